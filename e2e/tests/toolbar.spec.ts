import type { Page } from '@playwright/test';
import { expect, test, TYPING_DELAY } from '../support/fixtures.js';

/** The formatting toolbar: every control reachable at any width, none in read-only views, and a link prompt that explains refusals. */

/** Every toolbar button whose box is not wholly inside the viewport, or that something else covers. */
async function unreachableButtons(page: Page, width: number): Promise<string[]> {
  // The table controls show only in a table.
  const buttons = page.locator('.tandem-toolbar-button:visible');
  expect(await buttons.count()).toBe(22);
  const problems: string[] = [];
  for (const button of await buttons.all()) {
    const id = (await button.getAttribute('data-command'))!;
    const box = await button.boundingBox();
    if (!box || box.x < 0 || box.y < 0 || box.x + box.width > width) {
      problems.push(`${id} at ${JSON.stringify(box)}`);
      continue;
    }
    // The button itself is what a tap at its centre reaches (not clipped, not covered).
    const hit = await page.evaluate(
      ({ x, y, id }) => document.elementFromPoint(x, y)?.closest('[data-command]')?.getAttribute('data-command') === id,
      { x: box.x + box.width / 2, y: box.y + box.height / 2, id },
    );
    if (!hit) problems.push(`${id} covered or clipped`);
  }
  return problems;
}

for (const width of [390, 600]) {
  test(`every toolbar button is on screen and reachable by keyboard at ${width} px, on the document page and in an embed`, async ({ person, docName }) => {
    const ada = await person('Ada');
    await ada.page.setViewportSize({ width, height: 800 });
    for (const path of [`/d/${docName}`, `/embed/${docName}`]) {
      await ada.page.goto(path);
      await expect(ada.page.locator('.tandem-toolbar-button').first()).toBeVisible();
      expect(await unreachableButtons(ada.page, width), path).toEqual([]);
      // One tab stop; the arrow keys walk every enabled button, End reaches the last one.
      await ada.editor.click();
      await ada.page.keyboard.type('Words', { delay: TYPING_DELAY });
      const enabled = await ada.page.locator('.tandem-toolbar-button:not(:disabled)').evaluateAll((els) => els.map((el) => (el as HTMLElement).dataset.command));
      await ada.page.locator('.tandem-toolbar-button:not([tabindex="-1"])').focus();
      const visited: string[] = [];
      for (let i = 0; i < enabled.length; i++) {
        visited.push(await ada.page.evaluate(() => (document.activeElement as HTMLElement).dataset.command ?? ''));
        await ada.page.keyboard.press('ArrowRight');
      }
      expect(visited.sort()).toEqual([...enabled].sort());
    }
  });
}

test('a read-only embed and the view page show no formatting toolbar', async ({ person, docName }) => {
  const ada = await person('Ada');
  await ada.open(docName);
  await ada.editor.click();
  await ada.page.keyboard.type('Look, do not touch', { delay: TYPING_DELAY });
  for (const path of [`/embed/${docName}?readonly=1`, `/v/${docName}`]) {
    await ada.page.goto(path);
    await expect(ada.editor).toHaveText('Look, do not touch');
    await expect(ada.editor).toHaveAttribute('contenteditable', 'false');
    await expect(ada.page.getByRole('toolbar')).toHaveCount(0);
    await expect(ada.page.locator('.tandem-toolbar-button:visible')).toHaveCount(0);
  }
  // The read-only embed keeps its presence and status.
  await ada.page.goto(`/embed/${docName}?readonly=1`);
  await expect(ada.page.locator('.tandem-status')).toHaveText('All changes saved');
});

test('the link prompt says why it refuses a javascript: link, and asks again', async ({ person, docName }) => {
  const ada = await person('Ada');
  await ada.open(docName);
  await ada.editor.click();
  await ada.page.keyboard.type('Tandem', { delay: TYPING_DELAY });
  await ada.page.keyboard.press('Shift+Home');
  // The word is selected before Mod-K asks where it links to (with nothing selected there is nothing to link).
  await expect.poll(() => ada.page.evaluate(() => getSelection()?.toString())).toBe('Tandem');
  const messages: string[] = [];
  const answers = ['javascript:alert(document.cookie)', 'example.com/docs'];
  ada.page.on('dialog', async (dialog) => {
    messages.push(dialog.message());
    const answer = answers.shift();
    if (answer === undefined) await dialog.dismiss();
    else await dialog.accept(answer);
  });
  await ada.page.keyboard.press('Control+k');
  await expect.poll(() => messages.length).toBe(2);
  expect(messages[0]).toBe('Link to');
  expect(messages[1]).toContain('"javascript:" links are not allowed');
  expect(messages[1]).toMatch(/https:/);
  await expect(ada.editor.locator('a')).toHaveAttribute('href', 'https://example.com/docs');
  await expect(ada.editor.locator('a')).toHaveText('Tandem');
});
