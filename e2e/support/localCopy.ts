import type { Page } from '@playwright/test';
import * as Y from 'yjs';

/** The IndexedDB database the editor keeps a document in (`localCopyName` in @tandem/editor). */
export function localCopyName(syncUrl: string, docName: string): string {
  return `tandem:${syncUrl}/${docName}`;
}

/**
 * From `page` (any page of the app's origin), hold a read-write transaction on the document's
 * copy, as a busy disk or another tab's long write would: the editor's writes wait behind it.
 * Resolves once the transaction is under way; call the returned function to let it finish.
 */
export async function holdLocalWrites(page: Page, name: string): Promise<() => Promise<void>> {
  await page.evaluate(
    (dbName) =>
      new Promise<void>((resolve, reject) => {
        const request = indexedDB.open(dbName);
        request.onerror = () => reject(request.error!);
        request.onsuccess = () => {
          const store = request.result.transaction(['updates'], 'readwrite').objectStore('updates');
          const holder = window as unknown as { tandemHolding: boolean };
          holder.tandemHolding = true;
          // A transaction stays open while it has requests: keep asking until released.
          const spin = () => {
            if (holder.tandemHolding) store.count().onsuccess = spin;
          };
          spin();
          resolve();
        };
      }),
    name,
  );
  return async () => {
    if (page.isClosed()) return;
    await page.evaluate(() => void ((window as unknown as { tandemHolding: boolean }).tandemHolding = false)).catch(() => {});
  };
}

/**
 * The document's text as this browser's copy holds it, read straight from IndexedDB by `page`
 * (any page of the app's origin) and decoded here: what a reopened editor will load, without
 * racing it. Empty when there is no copy (the database is not created by asking).
 */
export async function storedText(page: Page, name: string): Promise<string> {
  const updates = await page.evaluate(
    (dbName) =>
      new Promise<number[][]>((resolve, reject) => {
        void indexedDB.databases().then((databases) => {
          if (!databases.some((d) => d.name === dbName)) return resolve([]);
          const request = indexedDB.open(dbName);
          request.onerror = () => reject(request.error!);
          request.onsuccess = () => {
            const db = request.result;
            const all = db.transaction(['updates']).objectStore('updates').getAll();
            all.onsuccess = () => {
              db.close();
              resolve((all.result as Uint8Array[]).map((update) => [...update]));
            };
            all.onerror = () => reject(all.error!);
          };
        }, reject);
      }),
    name,
  );
  const doc = new Y.Doc();
  for (const update of updates) Y.applyUpdate(doc, new Uint8Array(update));
  return doc.getXmlFragment('prosemirror').toString().replace(/<[^>]*>/g, '');
}
