import { expect, test, TYPING_DELAY } from '../support/fixtures.js';

/**
 * The everyday polish of issue 18: the keyboard shortcut list, printing the document only, the
 * tab's title and icon, readable cursor labels at one spot, and avatars that find a person's cursor.
 */

test('Ctrl+/ and the menu open the shortcut list, which lists the editor’s keys', async ({ person, docName }) => {
  const ada = await person('Ada');
  await ada.open(docName);
  await ada.editor.click();
  await ada.page.keyboard.press('Control+/');
  const help = ada.page.getByTestId('shortcut-help');
  await expect(help).toBeVisible();
  await expect(help.getByTestId('shortcut').filter({ hasText: 'Bold' })).toContainText('Ctrl+B');
  await expect(help.getByTestId('shortcut').filter({ hasText: 'Redo' })).toContainText('Shift+Ctrl+Z or Ctrl+Y');
  expect(await help.getByTestId('shortcut').count()).toBeGreaterThan(20);
  await ada.page.keyboard.press('Escape');
  await expect(help).toBeHidden();
  // Typing goes on where it was: the list took nothing from the text.
  await ada.page.keyboard.type('still here', { delay: TYPING_DELAY });
  await expect(ada.editor).toHaveText('still here');

  await ada.page.getByTestId('document-menu').click();
  await ada.page.getByRole('menuitem', { name: /Keyboard shortcuts/ }).click();
  await expect(help).toBeVisible();
});

test('printing shows the title and the text only, with page margins', async ({ person, docName }) => {
  const ada = await person('Ada');
  await ada.open(docName);
  await ada.page.getByTestId('title').fill('Printed plans');
  await ada.editor.click();
  await ada.page.keyboard.type('Only this is printed.', { delay: TYPING_DELAY });
  const bob = await person('Bob');
  await bob.open(docName);
  await ada.page.locator('.tandem-cursor').waitFor();

  await ada.page.emulateMedia({ media: 'print' });
  await expect(ada.page.locator('.topbar')).toBeHidden();
  await expect(ada.page.locator('.tandem-toolbar')).toBeHidden();
  await expect(ada.page.getByTestId('title')).toBeVisible();
  await expect(ada.editor).toBeVisible();
  const label = await ada.page.locator('.tandem-cursor').first().evaluate((cursor) => getComputedStyle(cursor, '::after').display);
  expect(label).toBe('none');
  const pdf = await ada.page.pdf({ format: 'A4' });
  expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
  expect(pdf.byteLength).toBeGreaterThan(1000);
});

test('the tab shows the document’s title and Tandem’s icon', async ({ person, docName }) => {
  const ada = await person('Ada');
  await ada.open(docName);
  await ada.page.getByTestId('title').fill('Tab title');
  await expect(ada.page).toHaveTitle('Tab title · Tandem');
  const icon = await ada.page.locator('link[rel="icon"]').first().getAttribute('href');
  expect(icon).toMatch(/^\/icon\.svg/);
  const response = await ada.page.request.get(icon!);
  expect(response.headers()['content-type']).toContain('image/svg+xml');
  await ada.page.goto('/');
  await expect(ada.page).toHaveTitle('Documents · Tandem');
});

test('cursor labels at one spot stack readably; clicking an avatar scrolls to that person’s cursor', async ({ person, docName }) => {
  const ada = await person('Ada');
  await ada.open(docName);
  await ada.editor.click();
  for (let i = 0; i < 40; i++) await ada.page.keyboard.insertText(`Paragraph ${i}\n`);
  await ada.page.keyboard.insertText('The end');
  await expect(ada.page.getByTestId('status')).toHaveText('All changes saved');

  // Three people with their cursors at the end of the text.
  const others = [await person('Bob'), await person('Cleo'), await person('Dan')];
  for (const other of others) {
    await other.open(docName);
    await other.editor.locator('p').last().click();
    await other.page.keyboard.press('End');
  }
  await ada.page.keyboard.press('Control+Home');
  await expect(ada.editor.locator('.tandem-cursor')).toHaveCount(3);
  const labels = await ada.editor.locator('.tandem-cursor').evaluateAll((cursors) =>
    cursors.map((cursor) => ({ bottom: parseFloat(getComputedStyle(cursor, '::after').bottom), height: parseFloat(getComputedStyle(cursor, '::after').height) })),
  );
  const bottoms = labels.map((l) => l.bottom).sort((a, b) => a - b);
  for (let i = 1; i < bottoms.length; i++) expect(bottoms[i]! - bottoms[i - 1]!).toBeGreaterThanOrEqual(labels[0]!.height);

  // Ada is at the top; Bob's cursor is far below, out of view until she clicks his avatar.
  const bobCursor = ada.editor.locator('.tandem-cursor[data-name="Bob"]');
  await expect(bobCursor).not.toBeInViewport();
  await ada.page.getByTestId('presence').getByTestId('avatar').first().click();
  await expect(bobCursor).toBeInViewport();
});
