import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test, TYPING_DELAY } from '../support/fixtures.js';

const SAVED = 'All changes saved';
const OFFLINE_SAVED = 'Offline — all changes saved';
const NOTICE = 'Words typed while someone deleted their paragraph were kept.';

/** With TANDEM_SHOTS_DIR set, screenshots of the page at desktop and phone widths. */
async function screenshots(page: Page, name: string): Promise<void> {
  const dir = process.env.TANDEM_SHOTS_DIR;
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  const size = page.viewportSize();
  for (const [label, width] of [['desktop', 1200], ['phone', 390]] as const) {
    await page.setViewportSize({ width, height: 800 });
    await page.screenshot({ path: join(dir, `${name}-${label}.png`), animations: 'disabled' });
  }
  if (size) await page.setViewportSize(size);
}

test.describe('concurrent deletion', () => {
  test('words typed offline into a paragraph someone else deleted come back, marked, for everyone', async ({ person, docName }) => {
    const ada = await person('Ada');
    const bob = await person('Bob');
    await ada.open(docName);
    await ada.editor.click();
    await ada.page.keyboard.type('First paragraph.', { delay: TYPING_DELAY });
    await ada.page.keyboard.press('Enter');
    await ada.page.keyboard.type('Second paragraph.', { delay: TYPING_DELAY });
    await ada.page.keyboard.press('Enter');
    await ada.page.keyboard.type('Third paragraph.', { delay: TYPING_DELAY });
    await expect(ada.page.getByTestId('status')).toHaveText(SAVED);
    await bob.open(docName);
    await expect(bob.editor.locator('p')).toHaveText(['First paragraph.', 'Second paragraph.', 'Third paragraph.']);

    // Bob loses the network and goes on typing at the end of paragraph 2.
    await bob.context.setOffline(true);
    await expect(bob.page.getByTestId('status')).toHaveText(OFFLINE_SAVED);
    await bob.editor.locator('p').nth(1).click();
    await bob.page.keyboard.press('End');
    const bobWords = ' Bob kept writing here while offline.';
    await bob.page.keyboard.type(bobWords, { delay: TYPING_DELAY });

    // Meanwhile Ada selects everything and deletes it.
    await ada.editor.click();
    await ada.page.keyboard.press('ControlOrMeta+a');
    await ada.page.keyboard.press('Backspace');
    await expect(ada.editor).toHaveText('');
    await expect(ada.page.getByTestId('status')).toHaveText(SAVED);

    await bob.context.setOffline(false);
    for (const page of [ada.page, bob.page]) {
      await expect(page.locator('.ProseMirror p.tandem-restored')).toHaveText(bobWords.trim());
      await expect(page.locator('.tandem-restored-notice')).toBeVisible();
      await expect(page.locator('.tandem-restored-notice')).toContainText(NOTICE);
      await expect(page.getByTestId('status')).toHaveText(SAVED);
    }
    expect(await bob.text()).toBe(await ada.text());
    await screenshots(bob.page, 'restored');

    // What both were shown is on the server: a newcomer sees it too, marked.
    const cleo = await person('Cleo');
    await cleo.open(docName);
    await expect(cleo.editor.locator('p.tandem-restored')).toHaveText(bobWords.trim());
    await expect(cleo.page.locator('.tandem-restored-notice')).toBeVisible();

    // Dismissing clears the mark for everyone; the words stay.
    await ada.page.locator('.tandem-restored-notice').getByRole('button', { name: 'Dismiss' }).click();
    for (const page of [ada.page, bob.page, cleo.page]) {
      await expect(page.locator('.ProseMirror p.tandem-restored')).toHaveCount(0);
      await expect(page.locator('.tandem-restored-notice')).toBeHidden();
      await expect(page.locator('.ProseMirror')).toContainText(bobWords.trim());
    }
    await expect(ada.page.getByTestId('status')).toHaveText(SAVED);
  });
});
