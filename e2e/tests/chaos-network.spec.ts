import type { Page } from '@playwright/test';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { chaosFor, recordClaims, type Chaos, type Claims } from '../support/chaos.js';
import { expect, isSubsequence, test, type Person } from '../support/fixtures.js';
import { killSyncServer, restartSyncServer } from '../support/processes.js';

/**
 * The keystroke hunt of issue 12, kept as a suite: the network and the server fail while people
 * type, and afterwards every word typed is on the server, and nothing the status badge called
 * saved was ever missing from it. Random choices come from a printed seed (TANDEM_CHAOS_SEED).
 * Concurrent deletions are another suite's subject; these people only add text.
 */

const SAVED = 'All changes saved';

/** The document's text as the server holds it, read by a fresh stock y-websocket client. */
async function serverText(syncUrl: string, docName: string): Promise<string> {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(syncUrl, docName, doc, { WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket, disableBc: true });
  try {
    await new Promise<void>((resolve) => provider.once('sync', () => resolve()));
    return doc.getXmlFragment('prosemirror').toString().replace(/<[^>]*>/g, '');
  } finally {
    provider.destroy();
  }
}

/** Type `text` key by key at a random brisk pace, calling `between` after each key. */
async function typeWith(page: Page, text: string, chaos: Chaos, between: (index: number) => Promise<void> = async () => {}): Promise<void> {
  for (let i = 0; i < text.length; i++) {
    await page.keyboard.type(text[i]!);
    await between(i);
    const pause = chaos.int(0, 25);
    if (pause > 0) await page.waitForTimeout(pause);
  }
}

/** Every text the badge showed as saved on the server is within the server's text, in order. */
function expectSavedClaimsHold(claims: Claims, onServer: string, who: string): void {
  for (const { state, text } of claims.seen) {
    if (state !== 'saved') continue;
    expect(isSubsequence(text.replace(/\s+/g, ''), onServer.replace(/\s+/g, '')), `${who}: the badge said saved for ${JSON.stringify(text)}; the server has ${JSON.stringify(onServer)}`).toBe(true);
  }
}

async function openWithClaims(person: Person, docName: string): Promise<Claims> {
  const claims = await recordClaims(person.page);
  await person.open(docName);
  return claims;
}

test.describe('chaos: the network and the server fail while people type', () => {
  test.describe.configure({ timeout: 120_000 });

  test('offline toggles in the middle of a burst', async ({ person, docName, stack }) => {
    const chaos = chaosFor('offline toggles mid-burst');
    const ada = await person('Ada');
    const claims = await openWithClaims(ada, docName);
    await ada.editor.click();
    const text = chaos.words(120);
    let offline = false;
    await typeWith(ada.page, text, chaos, async () => {
      if (chaos.next() < 0.08) {
        offline = !offline;
        await ada.context.setOffline(offline);
      }
    });
    await ada.context.setOffline(false);
    await expect(ada.page.getByTestId('status')).toHaveText(SAVED, { timeout: 20_000 });
    await expect(ada.editor).toHaveText(text);
    const onServer = await serverText(stack.syncUrl, docName);
    expect(onServer).toBe(text);
    expectSavedClaimsHold(claims, onServer, 'Ada');
  });

  test('reloads and closes while saving, online and offline', async ({ person, docName, stack }) => {
    const chaos = chaosFor('reload or close while saving');
    const ada = await person('Ada');
    await ada.open(docName);
    let page = ada.page;
    let typed = '';
    for (let round = 0; round < 6; round++) {
      if (page.isClosed()) {
        page = await ada.context.newPage();
        await page.goto(`/d/${docName}`);
        await expect(page.getByTestId('status')).toHaveText(SAVED, { timeout: 20_000 });
      }
      const offline = chaos.next() < 0.5;
      await ada.context.setOffline(offline);
      await page.locator('.ProseMirror').click();
      await page.keyboard.press('Control+End');
      const burst = `${chaos.words(chaos.int(5, 15))} `;
      await typeWith(page, burst, chaos);
      typed += burst;
      if (!offline && chaos.next() < 0.5) {
        page.once('dialog', (dialog) => void dialog.accept());
        await page.reload();
        await expect(page.getByTestId('status')).toHaveText(SAVED, { timeout: 20_000 });
      } else {
        // Offline, a reload would need the service worker's copy of the page: close instead.
        await page.close({ runBeforeUnload: false });
      }
      await ada.context.setOffline(false);
    }
    if (page.isClosed()) {
      page = await ada.context.newPage();
      await page.goto(`/d/${docName}`);
    }
    await expect(page.getByTestId('status')).toHaveText(SAVED, { timeout: 20_000 });
    await expect(page.locator('.ProseMirror')).toHaveText(typed);
    expect(await serverText(stack.syncUrl, docName)).toBe(typed);
  });

  test('the sync server is killed in the middle of a burst and comes back', async ({ person, docName, stack }) => {
    const chaos = chaosFor('server SIGKILL mid-burst');
    const ada = await person('Ada');
    const bob = await person('Bob');
    const adaClaims = await openWithClaims(ada, docName);
    await bob.open(docName);
    await ada.editor.click();
    const text = chaos.words(80);
    const killAt = chaos.int(10, 50);
    let restarted: Promise<void> | undefined;
    await typeWith(ada.page, text, chaos, async (i) => {
      if (i === killAt) {
        await killSyncServer();
        restarted = new Promise<void>((resolve) => setTimeout(resolve, chaos.int(200, 1500))).then(() => restartSyncServer());
      }
    });
    await restarted;
    await expect(ada.page.getByTestId('status')).toHaveText(SAVED, { timeout: 30_000 });
    await expect(bob.editor).toHaveText(text, { timeout: 30_000 });
    const onServer = await serverText(stack.syncUrl, docName);
    expect(onServer).toBe(text);
    expectSavedClaimsHold(adaClaims, onServer, 'Ada');
  });

  test('two tabs of one person type in turn while the network comes and goes', async ({ person, docName, stack }) => {
    const chaos = chaosFor('two tabs');
    const ada = await person('Ada');
    const claimsP = await openWithClaims(ada, docName);
    const tabQ = await ada.context.newPage();
    const claimsQ = await recordClaims(tabQ);
    await tabQ.goto(`/d/${docName}`);
    await expect(tabQ.getByTestId('status')).toHaveText(SAVED);
    const tabs = [ada.page, tabQ];
    let expected = '';
    for (let round = 0; round < 8; round++) {
      await ada.context.setOffline(chaos.next() < 0.5);
      const tab = chaos.pick(tabs);
      await tab.locator('.ProseMirror').click();
      await tab.keyboard.press('Control+End');
      const burst = `${chaos.words(chaos.int(4, 12))} `;
      await typeWith(tab, burst, chaos);
      expected += burst;
      // Both tabs show the same text, connected or not (they sync directly).
      for (const other of tabs) await expect(other.locator('.ProseMirror')).toHaveText(expected);
    }
    await ada.context.setOffline(false);
    for (const tab of tabs) await expect(tab.getByTestId('status')).toHaveText(SAVED, { timeout: 20_000 });
    const onServer = await serverText(stack.syncUrl, docName);
    expect(onServer).toBe(expected);
    expectSavedClaimsHold(claimsP, onServer, 'tab P');
    expectSavedClaimsHold(claimsQ, onServer, 'tab Q');
  });

  test('two people offline at once, each adding their own paragraph, then back', async ({ person, docName, stack }) => {
    const chaos = chaosFor('two people offline');
    const ada = await person('Ada');
    const bob = await person('Bob');
    const adaClaims = await openWithClaims(ada, docName);
    const bobClaims = await openWithClaims(bob, docName);
    await ada.editor.click();
    await ada.page.keyboard.type('Ada: ');
    await ada.page.keyboard.press('Enter');
    await ada.page.keyboard.type('Bob: ');
    await expect(bob.editor.locator('p')).toHaveCount(2);
    await expect(ada.page.getByTestId('status')).toHaveText(SAVED);

    const adaText = chaos.words(40);
    const bobText = chaos.words(40);
    await ada.context.setOffline(true);
    await bob.context.setOffline(true);
    await ada.editor.locator('p').first().click();
    await ada.page.keyboard.press('End');
    await bob.editor.locator('p').nth(1).click();
    await bob.page.keyboard.press('End');
    await Promise.all([typeWith(ada.page, adaText, chaos), typeWith(bob.page, bobText, chaos)]);
    await Promise.all([ada.context.setOffline(false), bob.context.setOffline(false)]);
    for (const p of [ada, bob]) await expect(p.page.getByTestId('status')).toHaveText(SAVED, { timeout: 20_000 });
    await expect(ada.editor.locator('p')).toHaveText([`Ada: ${adaText}`, `Bob: ${bobText}`]);
    await expect(bob.editor.locator('p')).toHaveText([`Ada: ${adaText}`, `Bob: ${bobText}`]);
    const onServer = await serverText(stack.syncUrl, docName);
    expect(onServer).toBe(`Ada: ${adaText}Bob: ${bobText}`);
    expectSavedClaimsHold(adaClaims, onServer, 'Ada');
    expectSavedClaimsHold(bobClaims, onServer, 'Bob');
  });
});
