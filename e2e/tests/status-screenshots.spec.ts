import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, TYPING_DELAY } from '../support/fixtures.js';
import { holdLocalWrites, localCopyName } from '../support/localCopy.js';
import { freezeSyncServer, thawSyncServer } from '../support/processes.js';

/**
 * Screenshots of the page header in every save state, at desktop and phone width:
 * `TANDEM_SHOTS_DIR=<dir> npx playwright test status-screenshots` (skipped without it). Each
 * state is reached for real (frozen server, offline, a held IndexedDB write), except `error`,
 * which no working editor reaches on its own: that one is the badge set to its state by hand.
 */
const DIR = process.env.TANDEM_SHOTS_DIR;

for (const width of [1200, 390]) {
  test(`status badge in each state at ${width} px`, async ({ person, docName, stack }) => {
    test.skip(!DIR, 'set TANDEM_SHOTS_DIR to take the screenshots');
    test.setTimeout(90_000);
    mkdirSync(DIR!, { recursive: true });
    const ada = await person('Ada');
    const page = ada.page;
    await page.setViewportSize({ width, height: 700 });
    const status = page.getByTestId('status');
    const shot = async (state: string) => {
      await expect(status).toHaveAttribute('data-state', state);
      await page.locator('header.topbar').screenshot({ path: join(DIR!, `status-${state}-${width}.png`), animations: 'disabled' });
    };
    const type = (text: string) => page.keyboard.type(text, { delay: TYPING_DELAY });

    await ada.open(docName);
    await ada.editor.click();
    await type('Where are my words? ');
    await shot('saved');

    freezeSyncServer();
    try {
      await type('On their way. ');
      await shot('saving');
    } finally {
      thawSyncServer();
    }
    await expect(status).toHaveText('All changes saved');

    const other = await ada.context.newPage();
    await other.goto('/');
    await ada.context.setOffline(true);
    await shot('offline');
    const release = await holdLocalWrites(other, localCopyName(stack.syncUrl, docName));
    await type('Not on disk yet. ');
    await shot('offline-storing');
    await release();
    await shot('offline-unsaved');

    freezeSyncServer();
    try {
      await ada.context.setOffline(false);
      page.once('dialog', (dialog) => void dialog.accept());
      await page.reload();
      await shot('connecting-unsaved');
    } finally {
      thawSyncServer();
    }
    await expect(status).toHaveText('All changes saved');

    await status.evaluate((badge) => {
      badge.setAttribute('data-state', 'error');
      badge.querySelector('.status-label')!.textContent = 'Not saved — copy your recent text, then reload';
    });
    await shot('error');
    await other.close();
  });
}
