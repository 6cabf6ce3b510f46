import { expect, isSubsequence, test, TYPING_DELAY } from '../support/fixtures.js';

test.describe('two people in one document', () => {
  test('type into the same paragraph at the same time and end with the same text, every character kept', async ({ person, docName }) => {
    const ada = await person('Ada');
    const bob = await person('Bob');
    await ada.open(docName);
    await ada.editor.click();
    await ada.page.keyboard.type('Shared: ', { delay: TYPING_DELAY });
    await bob.open(docName);
    await expect(bob.editor).toHaveText('Shared: ');
    await bob.editor.click();
    await bob.page.keyboard.press('End');

    const adaText = 'ada types quickly 0123456789';
    const bobText = 'BOB TYPES TOO ~!@#$%^&*()_+';
    await Promise.all([
      ada.page.keyboard.type(adaText, { delay: TYPING_DELAY }),
      bob.page.keyboard.type(bobText, { delay: TYPING_DELAY }),
    ]);

    const expectedLength = 'Shared: '.length + adaText.length + bobText.length;
    await expect.poll(async () => (await ada.text()).length).toBe(expectedLength);
    await expect.poll(async () => bob.text()).toBe(await ada.text());
    const final = await ada.text();
    expect(final.startsWith('Shared: ')).toBe(true);
    expect(isSubsequence(adaText, final), `${adaText} in ${final}`).toBe(true);
    expect(isSubsequence(bobText, final), `${bobText} in ${final}`).toBe(true);
    expect(await ada.editor.locator('p').count()).toBe(1);
  });

  test("each sees the other's named cursor and presence; closing a tab drops them from the list", async ({ person, docName }) => {
    const ada = await person('Ada Lovelace', '#3e63dd');
    const bob = await person('Bob Marley', '#e5484d');
    await ada.open(docName);
    await ada.editor.click();
    await ada.page.keyboard.type('Hello there');
    await bob.open(docName);
    await bob.editor.click();

    const presence = (p: typeof ada) => p.page.getByTestId('presence');
    await expect(presence(ada).locator('[data-name="Bob Marley"]')).toHaveText(/BM/);
    await expect(presence(bob).locator('[data-name="Ada Lovelace"]')).toHaveText(/AL/);
    await expect(ada.editor.locator('.tandem-cursor[data-name="Bob Marley"]')).toBeVisible();
    await expect(bob.editor.locator('.tandem-cursor[data-name="Ada Lovelace"]')).toBeVisible();
    await expect(ada.editor.locator('.tandem-cursor').first()).toHaveCSS('border-left-color', 'rgb(229, 72, 77)');

    await bob.page.close();
    await expect(presence(ada).locator('[data-name="Bob Marley"]')).toHaveCount(0, { timeout: 5000 });
    await expect(ada.editor.locator('.tandem-cursor')).toHaveCount(0);
  });

  test('bold, heading and list made by one show for the other', async ({ person, docName }) => {
    const ada = await person('Ada');
    const bob = await person('Bob');
    await ada.open(docName);
    await bob.open(docName);
    await ada.editor.click();
    const type = (text: string) => ada.page.keyboard.type(text, { delay: 5 });
    await type('# Release plan\n');
    await type('Ship **on time** please\n');
    await type('- first\nsecond\n');
    await ada.page.keyboard.press('Tab');
    await type('nested');
    await expect(bob.editor.locator('h1')).toHaveText('Release plan');
    await expect(bob.editor.locator('p strong')).toHaveText('on time');
    await expect(bob.editor.locator(':scope > ul > li')).toHaveCount(2);
    await expect(bob.editor.locator('ul > li ul > li')).toHaveText('nested');

    // The toolbar and shortcuts work too, and show what is active.
    await ada.page.keyboard.press('Enter');
    await ada.page.keyboard.press('Shift+Tab');
    await ada.page.keyboard.press('Shift+Tab');
    await type('plain ');
    await ada.page.keyboard.press('ControlOrMeta+b');
    await type('strong');
    await expect(ada.page.locator('[data-command="bold"]')).toHaveAttribute('aria-pressed', 'true');
    await ada.page.locator('[data-command="heading-2"]').click();
    await expect(ada.page.locator('[data-command="heading-2"]')).toHaveAttribute('aria-pressed', 'true');
    await expect(bob.editor.locator('h2')).toHaveText('plain strong');
    await expect(bob.editor.locator('h2 strong')).toHaveText('strong');
  });

  test("undo removes only this person's last change, never the other's text", async ({ person, docName }) => {
    const ada = await person('Ada');
    const bob = await person('Bob');
    await ada.page.clock.install(); // time runs as usual, and the test can move Ada's clock forward
    await ada.open(docName);
    await bob.open(docName);
    await ada.editor.click();
    await ada.page.keyboard.type('ada-one ', { delay: TYPING_DELAY });
    await expect(bob.editor).toHaveText('ada-one ');
    await bob.editor.click();
    await bob.page.keyboard.press('End');
    await bob.page.keyboard.type('bob-one', { delay: TYPING_DELAY });
    await expect(ada.editor).toHaveText('ada-one bob-one');
    // Ada types again after Bob: her newest change is the last one in the document. Undo groups one
    // person's changes made less than 500 ms apart (Yjs's captureTimeout), so her clock moves on
    // 600 ms first, or on a fast machine both of her changes would be one undo step.
    await ada.page.clock.fastForward(600);
    await ada.page.keyboard.press('End');
    await ada.page.keyboard.type(' ada-two', { delay: TYPING_DELAY });
    await expect(bob.editor).toHaveText('ada-one bob-one ada-two');

    await bob.page.keyboard.press('ControlOrMeta+z');
    await expect(bob.editor).toHaveText('ada-one  ada-two');
    await expect(ada.editor).toHaveText('ada-one  ada-two');

    await ada.page.keyboard.press('ControlOrMeta+z');
    await expect(ada.editor).toHaveText('ada-one ');
    await expect(bob.editor).toHaveText('ada-one ');

    await bob.page.keyboard.press('ControlOrMeta+Shift+z');
    await expect(ada.editor).toHaveText('ada-one bob-one');
  });

  test('the title is shared live and names the document in the list', async ({ person, docName }) => {
    const ada = await person('Ada');
    const bob = await person('Bob');
    await ada.open(docName);
    await bob.open(docName);
    await ada.page.getByTestId('title').fill('Launch checklist');
    await expect(bob.page.getByTestId('title')).toHaveValue('Launch checklist');
    await expect(bob.page).toHaveTitle('Launch checklist · Tandem');
    await ada.page.goto('/');
    await expect(ada.page.locator(`[data-doc="${docName}"]`)).toContainText('Launch checklist');
  });
});
