import * as Y from 'yjs';
import { expect, test, TYPING_DELAY, type Person } from '../support/fixtures.js';
import { holdLocalWrites, localCopyName } from '../support/localCopy.js';
import { freezeSyncServer, thawSyncServer } from '../support/processes.js';

const SAVED = 'All changes saved';
const OFFLINE_SAVED = 'Offline — all changes saved';
const OFFLINE_UNSAVED = 'Offline — changes kept on this device';
const OFFLINE_STORING = 'Offline — storing changes on this device…';
const OFFLINE_IN_TAB = 'Offline — changes kept in this tab until back online';
const CONNECTING_UNSAVED = 'Connecting — changes kept on this device';


test.describe('the status describes the document on screen', () => {
  test("two tabs offline, only one types: the other does not call those words saved, and asks before it closes", async ({ person, docName }) => {
    const ada = await person('Ada');
    await ada.open(docName);
    const tabP = ada.page;
    const tabQ = await ada.context.newPage();
    await tabQ.goto(`/d/${docName}`);
    await expect(tabQ.getByTestId('status')).toHaveText(SAVED);

    await ada.context.setOffline(true);
    await expect(tabP.getByTestId('status')).toHaveText(OFFLINE_SAVED);
    await expect(tabQ.getByTestId('status')).toHaveText(OFFLINE_SAVED);
    await ada.editor.click();
    await tabP.keyboard.type('Only tab P types this.', { delay: TYPING_DELAY });
    await expect(tabQ.locator('.ProseMirror')).toHaveText('Only tab P types this.');
    // Q shows words the server does not have.
    await expect(tabQ.getByTestId('status')).toHaveText(OFFLINE_UNSAVED);
    await expect(tabP.getByTestId('status')).toHaveText(OFFLINE_UNSAVED);

    await tabP.close({ runBeforeUnload: false });
    // Q now holds the only open copy of those words: closing it asks first.
    const asked: string[] = [];
    tabQ.on('dialog', (dialog) => {
      asked.push(dialog.type());
      void dialog.dismiss();
    });
    await tabQ.close({ runBeforeUnload: true });
    await expect.poll(() => asked).toEqual(['beforeunload']);
    expect(tabQ.isClosed()).toBe(false);

    // Back online, Q saves them, and a newcomer finds them on the server.
    await ada.context.setOffline(false);
    await expect(tabQ.getByTestId('status')).toHaveText(SAVED);
    const bob = await person('Bob');
    await bob.open(docName);
    await expect(bob.editor).toHaveText('Only tab P types this.');
  });

  test('while the first connection hangs mid-handshake, edits loaded from this device are said to be only here', async ({ person, docName }) => {
    const ada = await person('Ada');
    const status = ada.page.getByTestId('status');
    await ada.open(docName);
    await ada.context.setOffline(true);
    await expect(status).toHaveText(OFFLINE_SAVED);
    await ada.editor.click();
    await ada.page.keyboard.type('Kept here.', { delay: TYPING_DELAY });
    await expect(status).toHaveText(OFFLINE_UNSAVED);

    // The server takes the connection but never answers the upgrade.
    freezeSyncServer();
    try {
      await ada.context.setOffline(false);
      ada.page.on('dialog', (dialog) => void dialog.accept());
      await ada.page.reload();
      await expect(ada.editor).toHaveText('Kept here.');
      await expect(status).toHaveText(CONNECTING_UNSAVED);
      await expect(status).toHaveAttribute('data-state', 'connecting-unsaved');
    } finally {
      thawSyncServer();
    }
    await expect(status).toHaveText(SAVED);
  });
});

/** Open the document, open another page of the site beside it (loaded while online), then go offline. */
async function offlineWithAnotherPage(ada: Person, docName: string) {
  const status = ada.page.getByTestId('status');
  await ada.open(docName);
  const other = await ada.context.newPage();
  await other.goto('/');
  await ada.context.setOffline(true);
  await expect(status).toHaveText(OFFLINE_SAVED);
  return { ada, status, other };
}

test.describe('the copy on this device', () => {
  test('a database written by y-indexeddb (one entry per update) still loads, and its 600 entries are merged into few', async ({ person, docName, stack }) => {
    // What an older Tandem left behind: y-indexeddb's layout, one `updates` entry per Yjs update.
    const older = new Y.Doc();
    const updates: number[][] = [];
    older.on('update', (update: Uint8Array) => updates.push([...update]));
    const paragraph = new Y.XmlElement('paragraph');
    const text = new Y.XmlText();
    paragraph.insert(0, [text]);
    older.getXmlFragment('prosemirror').insert(0, [paragraph]);
    const words = 'Typed long ago, in a tab that kept its words in y-indexeddb. '.repeat(10);
    for (let i = 0; i < 600; i++) text.insert(i, words[i]!);
    expect(updates.length).toBeGreaterThan(600);

    const ada = await person('Ada');
    await ada.page.goto('/');
    await ada.page.evaluate(
      ([name, entries]) =>
        new Promise<void>((resolve, reject) => {
          // As y-indexeddb 9 opens it: no version, stores `updates` (auto-increment) and `custom`.
          const request = indexedDB.open(name);
          request.onupgradeneeded = () => {
            request.result.createObjectStore('updates', { autoIncrement: true });
            request.result.createObjectStore('custom');
          };
          request.onerror = () => reject(request.error!);
          request.onsuccess = () => {
            const db = request.result;
            const tx = db.transaction(['updates'], 'readwrite');
            for (const entry of entries) tx.objectStore('updates').add(new Uint8Array(entry));
            tx.oncomplete = () => {
              db.close();
              resolve();
            };
            tx.onerror = () => reject(tx.error!);
          };
        }),
      [localCopyName(stack.syncUrl, docName), updates] as const,
    );

    await ada.open(docName);
    await expect(ada.editor).toHaveText(words.slice(0, 600));
    // The server had nothing: what it has now came from this device.
    const bob = await person('Bob');
    await bob.open(docName);
    await expect(bob.editor).toHaveText(words.slice(0, 600));
    const entries = await ada.page.evaluate(
      (name) =>
        new Promise<number>((resolve, reject) => {
          const request = indexedDB.open(name);
          request.onerror = () => reject(request.error!);
          request.onsuccess = () => {
            const count = request.result.transaction(['updates']).objectStore('updates').count();
            count.onsuccess = () => {
              request.result.close();
              resolve(count.result);
            };
          };
        }),
      localCopyName(stack.syncUrl, docName),
    );
    expect(entries).toBeLessThan(10);
  });

  test('offline, changes are "storing" until IndexedDB has committed them, and leaving asks meanwhile', async ({ person, docName, stack }) => {
    const { ada, status, other } = await offlineWithAnotherPage(await person('Ada'), docName);
    // Another page holds a read-write transaction on the same store: the editor's write queues behind it.
    const release = await holdLocalWrites(other, localCopyName(stack.syncUrl, docName));
    await ada.editor.click();
    await ada.page.keyboard.type('Not yet on disk.', { delay: TYPING_DELAY });
    await expect(status).toHaveText(OFFLINE_STORING);
    await expect(status).toHaveAttribute('data-state', 'offline-storing');
    const warns = await ada.page.evaluate(() => {
      const event = new Event('beforeunload', { cancelable: true });
      window.dispatchEvent(event);
      return event.defaultPrevented;
    });
    expect(warns).toBe(true);
    // The other page lets go: the write goes through and only then is it "kept".
    await release();
    await expect(status).toHaveText(OFFLINE_UNSAVED);
    await other.close();
    await ada.context.setOffline(false);
    await expect(status).toHaveText(SAVED);
  });

  test('when the copy on this device is deleted under it, the status stops claiming one', async ({ person, docName, stack }) => {
    const { ada, status, other } = await offlineWithAnotherPage(await person('Ada'), docName);
    // Another page of the site deletes the database (as "clear site data" would).
    await other.evaluate(
      (name) =>
        new Promise<void>((resolve, reject) => {
          const request = indexedDB.deleteDatabase(name);
          request.onsuccess = () => resolve();
          request.onerror = () => reject(request.error!);
        }),
      localCopyName(stack.syncUrl, docName),
    );
    await other.close();
    await ada.editor.click();
    await ada.page.keyboard.type('Not on this device.', { delay: TYPING_DELAY });
    await expect(status).toHaveText(OFFLINE_IN_TAB);
    await ada.context.setOffline(false);
    await expect(status).toHaveText(SAVED);
    const bob = await person('Bob');
    await bob.open(docName);
    await expect(bob.editor).toHaveText('Not on this device.');
  });
});
