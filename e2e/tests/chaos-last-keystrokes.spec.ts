import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from '@playwright/test';
import { chaosFor, recordClaims, type Chaos, type Claims } from '../support/chaos.js';
import { expect, test } from '../support/fixtures.js';
import { launchKillableBrowser } from '../support/killableBrowser.js';
import { holdLocalWrites, localCopyName, storedText } from '../support/localCopy.js';

/**
 * The last keystrokes before the page dies (issue 12, part 1). Offline, a burst of typing, then
 * the tab is closed without a prompt, reloaded through the prompt, or the whole browser is
 * SIGKILLed — 0–20 ms after the last key, or the moment the badge shows the whole text — and the
 * document is opened again. In half the rounds the disk is busy: another page holds a write
 * transaction on the document's copy, as a slow disk or another tab's long write would, and lets
 * go at a random keystroke, or not before the end. Whatever the status badge called kept on this
 * device must be there afterwards; how often anything at all is lost is printed (a keystroke the
 * browser has not written yet can be lost to a kill; nothing the badge vouched for may be).
 *
 * `TANDEM_CHAOS_ROUNDS` sets the rounds per test (default 8); `TANDEM_CHAOS_SEED` replays a run.
 */
const ROUNDS = Number(process.env.TANDEM_CHAOS_ROUNDS ?? 8);
/** Badge states that vouch for the text on screen as on the server. */
const ON_SERVER = ['saved', 'offline'];
const USER = { name: 'Chaos', color: '#3e63dd' };

test.describe.configure({ timeout: 60_000 + ROUNDS * 20_000 });

/** Per disk condition: rounds, rounds that lost anything, characters lost. */
type Counts = { rounds: number; lostAny: number; lostChars: number };

interface Tally {
  idle: Counts;
  busy: Counts;
  /** Rounds where text the badge had vouched for was missing: each one a broken promise. */
  broken: string[];
}

const newTally = (): Tally => ({ idle: { rounds: 0, lostAny: 0, lostChars: 0 }, busy: { rounds: 0, lostAny: 0, lostChars: 0 }, broken: [] });

/** Print the figures, then fail if the badge ever vouched for text that did not survive. */
function report(label: string, tally: Tally): void {
  const line = (c: Counts) => `lost something in ${c.lostAny} of ${c.rounds} rounds (${c.lostChars} characters)`;
  console.log(
    `[chaos] ${label}: idle disk: ${line(tally.idle)}; busy disk: ${line(tally.busy)}; ` +
      `text the badge had called kept was missing in ${tally.broken.length}`,
  );
  expect(tally.broken).toEqual([]);
}

async function openDoc(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await expect(page.getByTestId('status')).toHaveAttribute('data-state', 'saved', { timeout: 20_000 });
}


/**
 * What this browser kept of the document: read from IndexedDB directly (a reopened editor loads
 * it a moment after the page says saved; reading it here does not race that). Then the document
 * is opened again online, and must show it.
 */
async function reopen(context: BrowserContext, appUrl: string, syncUrl: string, docName: string): Promise<string> {
  const page = await context.newPage();
  await page.goto(`${appUrl}/`);
  const kept = await storedText(page, localCopyName(syncUrl, docName));
  await page.goto(`${appUrl}/d/${docName}`);
  await expect(page.locator('.ProseMirror')).toHaveText(kept, { timeout: 20_000 });
  await expect(page.getByTestId('status')).toHaveAttribute('data-state', 'saved', { timeout: 20_000 });
  await page.close();
  return kept;
}

/**
 * Check one round: the text the badge last vouched for is all there (typing only appends), and
 * count what was typed but is gone.
 */
function judge(tally: Tally, claims: Claims, typed: string, reopened: string, busy: boolean, round: string): void {
  const counts = busy ? tally.busy : tally.idle;
  counts.rounds++;
  if (reopened !== typed) {
    counts.lostAny++;
    counts.lostChars += Math.max(0, typed.length - reopened.length);
    console.log(`[chaos] ${round}: typed ${JSON.stringify(typed)}, reopened ${JSON.stringify(reopened)}`);
  }
  for (const vouched of [claims.last(ON_SERVER), claims.last(['offline-unsaved'], 'kept on this device')]) {
    if (vouched !== undefined && !reopened.startsWith(vouched)) {
      const said = claims.seen.slice(-3).map((c) => `${c.state} "${c.label}" ${JSON.stringify(c.text)}`).join(' → ');
      tally.broken.push(`${round}: the badge vouched for ${JSON.stringify(vouched)}; reopened: ${JSON.stringify(reopened)}; it said ${said}`);
    }
  }
}

/**
 * Wait for the moment to strike: 0–20 ms after the last key was taken, or the moment the badge
 * shows the whole text offline (kept, or still being stored), then 0–3 ms more. Says which.
 */
async function awaitMoment(claims: Claims, typed: string, chaos: Chaos): Promise<string> {
  if (chaos.next() < 0.5) {
    const wait = chaos.int(0, 20);
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    return `${wait} ms after the last key`;
  }
  await claims.when(['offline-unsaved', 'offline-storing'], typed);
  const wait = chaos.int(0, 3);
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  return `${wait} ms after the badge showed it all`;
}

/**
 * Open a fresh document online, type a first few words and wait until they are saved; then, in
 * half the rounds, make the disk busy; go offline and type a burst, releasing the disk at a
 * random key or not at all. Returns what was typed and how to release the disk.
 */
async function typeOffline(context: BrowserContext, appUrl: string, syncUrl: string, docName: string, chaos: Chaos) {
  await context.addInitScript((user) => window.localStorage.setItem('tandem:user', JSON.stringify(user)), USER);
  const page = await context.newPage();
  const claims = await recordClaims(page);
  const url = `${appUrl}/d/${docName}`;
  await openDoc(page, url);
  await page.locator('.ProseMirror').click();
  const start = `${chaos.words(chaos.int(3, 8))} `;
  await page.keyboard.type(start);
  await expect(page.getByTestId('status')).toHaveAttribute('data-state', 'saved');
  const text = chaos.words(chaos.int(6, 24));
  let release = async () => {};
  let releaseAt = -1;
  if (chaos.next() < 0.5) {
    const holder = await context.newPage();
    await holder.goto(`${appUrl}/`);
    release = await holdLocalWrites(holder, localCopyName(syncUrl, docName));
    releaseAt = chaos.int(0, text.length + 6); // past the end: held until the strike
  }
  await context.setOffline(true);
  await expect(page.getByTestId('status')).toHaveAttribute('data-state', 'offline');
  const delay = chaos.int(0, 12);
  for (let i = 0; i < text.length; i++) {
    await page.keyboard.type(text[i]!);
    if (i === releaseAt) await release();
    if (delay > 0) await page.waitForTimeout(delay);
  }
  const busy = releaseAt >= 0;
  const disk = !busy ? 'idle disk' : releaseAt < text.length ? `disk busy until key ${releaseAt}` : 'disk busy throughout';
  return { page, claims, typed: start + text, busy, disk, release };
}

test('closing or reloading the tab right after a burst of offline typing keeps everything it vouched for', async ({ browser, stack }) => {
  const chaos = chaosFor('close or reload right after typing');
  const tally = newTally();
  for (let round = 0; round < ROUNDS; round++) {
    const context = await browser.newContext();
    try {
      const docName = `chaos-close-${Date.now().toString(36)}-${round}`;
      const reload = chaos.next() < 0.3;
      const { page, claims, typed, busy, disk, release } = await typeOffline(context, stack.appUrl, stack.syncUrl, docName, chaos);
      const moment = await awaitMoment(claims, typed, chaos);
      let reopened: string;
      if (reload) {
        page.on('dialog', (dialog) => void dialog.accept());
        await page.reload();
        await release();
        reopened = await storedText(page, localCopyName(stack.syncUrl, docName));
        await context.setOffline(false);
        await expect(page.locator('.ProseMirror')).toHaveText(reopened, { timeout: 20_000 });
        await expect(page.getByTestId('status')).toHaveAttribute('data-state', 'saved', { timeout: 20_000 });
      } else {
        await page.close({ runBeforeUnload: false });
        await release();
        await context.setOffline(false);
        reopened = await reopen(context, stack.appUrl, stack.syncUrl, docName);
      }
      judge(tally, claims, typed, reopened, busy, `round ${round} (${reload ? 'reload' : 'close'} ${moment}, ${disk})`);
    } finally {
      await context.close();
    }
  }
  report('close or reload right after typing', tally);
});

test('killing the browser right after a burst of offline typing keeps everything it vouched for', async ({ stack }) => {
  const chaos = chaosFor('browser SIGKILL right after typing');
  const tally = newTally();
  const profile = mkdtempSync(join(tmpdir(), 'tandem-chaos-profile-'));
  try {
    for (let round = 0; round < ROUNDS; round++) {
      const killable = await launchKillableBrowser(profile);
      let killed = false;
      try {
        const docName = `chaos-kill-${Date.now().toString(36)}-${round}`;
        const { claims, typed, busy, disk } = await typeOffline(killable.context, stack.appUrl, stack.syncUrl, docName, chaos);
        const moment = await awaitMoment(claims, typed, chaos);
        await killable.kill();
        killed = true;
        const again = await launchKillableBrowser(profile);
        try {
          const reopened = await reopen(again.context, stack.appUrl, stack.syncUrl, docName);
          judge(tally, claims, typed, reopened, busy, `round ${round} (kill ${moment}, ${disk})`);
        } finally {
          await again.close();
        }
      } finally {
        if (!killed) await killable.close();
      }
    }
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
  report('browser SIGKILL right after typing', tally);
});
