import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { expect, isSubsequence, test, TYPING_DELAY } from '../support/fixtures.js';
import { freezeSyncServer, thawSyncServer } from '../support/processes.js';

const SAVED = 'All changes saved';
const SAVING = 'Saving…';
const OFFLINE_UNSAVED = 'Offline — changes kept on this device';
const OFFLINE_SAVED = 'Offline — all changes saved';

/** With TANDEM_SHOTS_DIR set, a screenshot of the page header (where the status is) and of the page. */
async function shot(page: Page, name: string): Promise<void> {
  const dir = process.env.TANDEM_SHOTS_DIR;
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  await page.locator('header.topbar').screenshot({ path: join(dir, `status-${name}.png`), animations: 'disabled' });
  await page.screenshot({ path: join(dir, `page-${name}.png`), animations: 'disabled' });
}

/** Start recording every state the status badge shows (its `data-state`), from now on. */
async function recordStatus(page: Page): Promise<() => Promise<string[]>> {
  await page.getByTestId('status').evaluate((el) => {
    const log: string[] = [el.getAttribute('data-state') ?? ''];
    (window as unknown as { __statusLog: string[] }).__statusLog = log;
    new MutationObserver(() => {
      const state = el.getAttribute('data-state') ?? '';
      if (log.at(-1) !== state) log.push(state);
    }).observe(el, { attributes: true, attributeFilter: ['data-state'] });
  });
  return () => page.evaluate(() => (window as unknown as { __statusLog: string[] }).__statusLog.slice());
}

function inOrder(wanted: string[], seen: string[]): boolean {
  let i = 0;
  for (const state of seen) if (state === wanted[i]) i++;
  return i === wanted.length;
}

test.describe('offline editing', () => {
  test('one person goes offline, both edit one paragraph, the offline one reloads and comes back: everything both typed is kept, once', async ({ person, docName }) => {
    const ada = await person('Ada');
    const bob = await person('Bob');
    const status = ada.page.getByTestId('status');
    await ada.open(docName);
    await ada.editor.click();
    await ada.page.keyboard.type('Shared: ', { delay: TYPING_DELAY });
    await expect(status).toHaveText(SAVED);
    await bob.open(docName);
    await expect(bob.editor).toHaveText('Shared: ');
    await bob.editor.click();
    await bob.page.keyboard.press('End');
    // The page itself must load without a network: wait until the service worker has it.
    await expect(ada.page.locator('html')).toHaveAttribute('data-offline-ready', 'true');

    await ada.context.setOffline(true);
    await expect(status).toHaveText(OFFLINE_SAVED);
    await shot(ada.page, 'offline-saved');

    const adaText = 'ada wrote this offline';
    const bobText = 'BOB WROTE THIS ONLINE';
    await Promise.all([
      ada.page.keyboard.type(adaText, { delay: TYPING_DELAY }),
      bob.page.keyboard.type(bobText, { delay: TYPING_DELAY }),
    ]);
    await expect(status).toHaveText(OFFLINE_UNSAVED);
    await expect(status).toHaveAttribute('data-state', 'offline-unsaved');
    await expect(bob.page.getByTestId('status')).toHaveText(SAVED);
    expect(await bob.text()).toBe(`Shared: ${bobText}`);
    await shot(ada.page, 'offline-unsaved');

    // Reload while still offline. The tab warns first: these edits are on this device only.
    const dialogs: string[] = [];
    ada.page.on('dialog', (dialog) => {
      dialogs.push(dialog.type());
      void dialog.accept();
    });
    const reloaded = await ada.page.reload();
    expect(dialogs).toEqual(['beforeunload']);
    // No network: the page came from the service worker's cache, the text from IndexedDB.
    expect(reloaded?.fromServiceWorker()).toBe(true);
    await expect(ada.editor).toHaveText(`Shared: ${adaText}`);
    await expect(status).toHaveText(OFFLINE_UNSAVED);
    const history = await recordStatus(ada.page);

    await ada.context.setOffline(false);
    await expect(status).toHaveText(SAVED);
    const expectedLength = 'Shared: '.length + adaText.length + bobText.length;
    await expect.poll(async () => (await ada.text()).length).toBe(expectedLength);
    await expect.poll(() => bob.text()).toBe(await ada.text());
    const final = await ada.text();
    expect(final.startsWith('Shared: ')).toBe(true);
    expect(isSubsequence(adaText, final), final).toBe(true);
    expect(isSubsequence(bobText, final), final).toBe(true);
    expect(await ada.editor.locator('p').count()).toBe(1);
    const seen = await history();
    expect(inOrder(['offline-unsaved', 'saving', 'saved'], seen), seen.join(' → ')).toBe(true);
    await shot(ada.page, 'saved');

    // Saved means on the server: a newcomer gets it all from there.
    const cleo = await person('Cleo');
    await cleo.open(docName);
    await expect.poll(() => cleo.text()).toBe(final);
  });

  test('two tabs of one browser stay in sync while the server is unreachable, and both save when it is back', async ({ person, docName }) => {
    const ada = await person('Ada');
    await ada.open(docName);
    const tab2 = await ada.context.newPage();
    await tab2.goto(`/d/${docName}`);
    await expect(tab2.getByTestId('status')).toHaveText(SAVED);
    const editor2 = tab2.locator('.ProseMirror');

    await ada.context.setOffline(true);
    await expect(ada.page.getByTestId('status')).toHaveText(OFFLINE_SAVED);
    await expect(tab2.getByTestId('status')).toHaveText(OFFLINE_SAVED);
    await ada.editor.click();
    await ada.page.keyboard.type('From tab one. ', { delay: TYPING_DELAY });
    await expect(editor2).toHaveText('From tab one. ');
    // Tab two shows words the server does not have: not "all changes saved".
    await expect(tab2.getByTestId('status')).toHaveText(OFFLINE_UNSAVED);
    await editor2.click();
    await tab2.keyboard.press('End');
    await tab2.keyboard.type('From tab two.', { delay: TYPING_DELAY });
    await expect(ada.editor).toHaveText('From tab one. From tab two.');
    await expect(ada.page.getByTestId('status')).toHaveText(OFFLINE_UNSAVED);
    await expect(tab2.getByTestId('status')).toHaveText(OFFLINE_UNSAVED);

    await ada.context.setOffline(false);
    await expect(ada.page.getByTestId('status')).toHaveText(SAVED);
    await expect(tab2.getByTestId('status')).toHaveText(SAVED);
    const bob = await person('Bob');
    await bob.open(docName);
    await expect(bob.editor).toHaveText('From tab one. From tab two.');
  });

  test('"Saving…" lasts until the server has written: a frozen server keeps it there', async ({ person, docName }) => {
    const ada = await person('Ada');
    const status = ada.page.getByTestId('status');
    await ada.open(docName);
    await ada.editor.click();
    await ada.page.keyboard.type('Written ', { delay: TYPING_DELAY });
    await expect(status).toHaveText(SAVED);
    freezeSyncServer();
    try {
      await ada.page.keyboard.type('while the server is busy', { delay: TYPING_DELAY });
      await expect(status).toHaveText(SAVING);
      await expect(status).toHaveAttribute('data-state', 'saving');
      await shot(ada.page, 'saving');
      // Still connected, still not written: leaving now would warn.
      const warns = await ada.page.evaluate(() => {
        const event = new Event('beforeunload', { cancelable: true });
        window.dispatchEvent(event);
        return event.defaultPrevented;
      });
      expect(warns).toBe(true);
    } finally {
      thawSyncServer();
    }
    await expect(status).toHaveText(SAVED);
  });

  test('a stock y-websocket client beside Tandem works, never sees a Saved message, and logs no errors', async ({ person, docName, stack }) => {
    const logged: string[] = [];
    const original = { error: console.error, warn: console.warn };
    console.error = (...args: unknown[]) => void logged.push(`error: ${args.join(' ')}`);
    console.warn = (...args: unknown[]) => void logged.push(`warn: ${args.join(' ')}`);
    const messageTypes: number[] = [];
    class RecordingWebSocket extends WebSocket {
      constructor(url: string, protocols?: string | string[]) {
        super(url, protocols);
        // The provider asks for ArrayBuffers; the first byte is the message type (all are < 128).
        this.on('message', (data: ArrayBuffer | Buffer) => messageTypes.push(new Uint8Array(data as ArrayBuffer)[0]!));
      }
    }
    const doc = new Y.Doc();
    const stock = new WebsocketProvider(stack.syncUrl, docName, doc, {
      WebSocketPolyfill: RecordingWebSocket as unknown as typeof globalThis.WebSocket,
      disableBc: true,
    });
    try {
      const ada = await person('Ada');
      const browserErrors: string[] = [];
      ada.page.on('console', (message) => {
        if (message.type() === 'error') browserErrors.push(message.text());
      });
      await ada.open(docName);
      await ada.editor.click();
      await ada.page.keyboard.type('Hello from Tandem', { delay: TYPING_DELAY });
      const fragment = doc.getXmlFragment('prosemirror');
      await expect.poll(() => fragment.toString()).toContain('Hello from Tandem');

      const paragraph = new Y.XmlElement('paragraph');
      paragraph.insert(0, [new Y.XmlText('Hello from a stock client')]);
      fragment.push([paragraph]);
      await expect(ada.editor.locator('p').nth(1)).toHaveText('Hello from a stock client');
      await expect(ada.page.getByTestId('status')).toHaveText(SAVED);
      await ada.page.keyboard.type('!', { delay: TYPING_DELAY });
      await expect.poll(() => fragment.toString()).toContain('Hello from Tandem!');
      await expect(ada.page.getByTestId('status')).toHaveText(SAVED);

      expect(messageTypes).toContain(0);
      expect(messageTypes).not.toContain(100);
      expect(browserErrors).toEqual([]);
    } finally {
      stock.destroy();
      console.error = original.error;
      console.warn = original.warn;
    }
    expect(logged).toEqual([]);
  });
});
