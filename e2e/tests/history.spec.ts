import type { Page } from '@playwright/test';
import { expect, test, TYPING_DELAY } from '../support/fixtures.js';

/**
 * Version history in the browser: two people edit, one names a version, both edit more; one opens
 * the history, sees what changed marked, and restores; the other gets the restored text as an
 * ordinary update, without reloading, and the save status never says anything untrue.
 */

/** Every save state the page's status badge shows from now on, in order. */
async function recordStatus(page: Page): Promise<() => Promise<string[]>> {
  await page.evaluate(() => {
    const seen: string[] = [];
    (window as unknown as { statusSeen: string[] }).statusSeen = seen;
    const badge = document.querySelector('[data-testid="status"]')!;
    seen.push(badge.getAttribute('data-state')!);
    new MutationObserver(() => seen.push(badge.getAttribute('data-state')!)).observe(badge, { attributes: true, attributeFilter: ['data-state'] });
  });
  return () => page.evaluate(() => (window as unknown as { statusSeen: string[] }).statusSeen);
}

test('name a version, edit on, see the changes marked, restore it: the other person gets it live and every save state stays true', async ({ person, docName }) => {
  const ada = await person('Ada');
  const bob = await person('Bob');
  await ada.open(docName);
  await bob.open(docName);
  await ada.editor.click();
  await ada.page.keyboard.type('The plan ships in March.', { delay: TYPING_DELAY });
  await expect(bob.editor).toHaveText('The plan ships in March.');

  // Ada names the version.
  await ada.page.getByTestId('history').click();
  const panel = ada.page.getByTestId('history-panel');
  await expect(panel).toBeVisible();
  await panel.getByTestId('name-version').click();
  await panel.getByTestId('version-label').fill('Sent to client');
  await ada.page.keyboard.press('Enter');
  await expect(panel.getByTestId('version-item')).toHaveCount(1);
  await expect(panel.getByTestId('version-item').first()).toContainText('Sent to client');
  await expect(panel.getByTestId('version-item').first()).toContainText('Ada');
  await ada.page.keyboard.press('Escape');
  await expect(panel).toBeHidden();
  await expect(ada.page.getByTestId('history')).toBeFocused();

  // Both edit more.
  await ada.editor.click();
  await ada.page.keyboard.press('ControlOrMeta+End');
  await ada.page.keyboard.type(' Support is included.', { delay: TYPING_DELAY });
  await bob.editor.click();
  await bob.page.keyboard.press('ControlOrMeta+End');
  await bob.page.keyboard.press('Enter');
  await bob.page.keyboard.type('Bob adds a second paragraph.', { delay: TYPING_DELAY });
  const edited = 'The plan ships in March. Support is included.Bob adds a second paragraph.';
  await expect(ada.editor).toHaveText(edited);
  await expect(bob.editor).toHaveText(edited);
  for (const p of [ada, bob]) await expect(p.page.getByTestId('status')).toHaveText('All changes saved');

  // Bob's page is never reloaded: this survives only if it is the same page.
  await bob.page.evaluate(() => ((window as unknown as { samePage: boolean }).samePage = true));
  const bobStates = await recordStatus(bob.page);
  const adaStates = await recordStatus(ada.page);

  // Ada opens the history, picks the named version and sees what changed since, marked.
  await ada.page.getByTestId('history').click();
  await panel.getByTestId('version-item').filter({ hasText: 'Sent to client' }).click();
  const preview = panel.getByTestId('version-preview');
  await expect(preview.locator('.ProseMirror')).toContainText('The plan ships in March.');
  const removed = preview.locator('del.history-removed');
  // Everything since is one run of text at the end: Ada's sentence and Bob's paragraph.
  await expect(removed).toHaveCount(1);
  await expect(removed).toHaveText(/^ Support is included\.\s*Bob adds a second paragraph\.$/);
  await expect(removed).toHaveCSS('text-decoration-line', 'line-through');
  await expect(panel.getByTestId('change-summary')).toContainText('0 additions, 1 removal');

  // Restore, after a confirmation.
  await panel.getByTestId('restore').click();
  await expect(panel.getByTestId('confirm-restore')).toBeFocused();
  await ada.page.keyboard.press('Enter');
  await expect(panel.getByTestId('history-notice')).toContainText('Restored');
  await expect(panel.getByTestId('version-item').first()).toContainText('Before a restore');

  // Bob has the restored text, in the same page, and can go on typing.
  await expect(bob.editor).toHaveText('The plan ships in March.');
  expect(await bob.page.evaluate(() => (window as unknown as { samePage?: boolean }).samePage)).toBe(true);
  await bob.editor.click();
  await bob.page.keyboard.press('ControlOrMeta+End');
  await bob.page.keyboard.type(' Agreed.', { delay: TYPING_DELAY });
  await ada.page.keyboard.press('Escape');
  // Esc closes the history (its preview is a second .ProseMirror on the page until then).
  await expect(ada.page.getByTestId('version-preview')).toHaveCount(0);
  await expect(ada.editor).toHaveText('The plan ships in March. Agreed.');

  // The save status told the truth all along: saving and saved, never offline, and saved at the end.
  for (const p of [ada, bob]) await expect(p.page.getByTestId('status')).toHaveText('All changes saved');
  for (const states of [await adaStates(), await bobStates()]) {
    expect(states.every((state) => state === 'saved' || state === 'saving'), states.join(' ')).toBe(true);
  }
});

test('the view-only page lists and shows versions but offers no naming and no restoring', async ({ person, docName }) => {
  const ada = await person('Ada');
  await ada.open(docName);
  await ada.editor.click();
  await ada.page.keyboard.type('Read me.', { delay: TYPING_DELAY });
  await ada.page.getByTestId('history').click();
  await ada.page.getByTestId('name-version').click();
  await ada.page.getByTestId('version-label').fill('Final');
  await ada.page.keyboard.press('Enter');
  await expect(ada.page.getByTestId('version-item')).toHaveCount(1);

  const viewer = await person('Vera');
  await viewer.page.goto(`/v/${docName}`);
  await expect(viewer.editor).toHaveText('Read me.');
  await viewer.page.getByTestId('history').click();
  await viewer.page.getByTestId('version-item').click();
  await expect(viewer.page.getByTestId('version-preview')).toContainText('Read me.');
  await expect(viewer.page.getByTestId('change-summary')).toContainText('No text differs');
  await expect(viewer.page.getByTestId('restore')).toHaveCount(0);
  await expect(viewer.page.getByTestId('name-version')).toHaveCount(0);
});
