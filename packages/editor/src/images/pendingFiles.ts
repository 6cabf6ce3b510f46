/**
 * Images waiting to be uploaded, kept in this browser (IndexedDB) until the server has them: an
 * image pasted offline survives a reload and is sent when the connection is back. One database per
 * sync server and document, like the document's own local copy. Where IndexedDB is unavailable (or
 * the editor keeps no local copy) they are kept in memory, for as long as the page lives.
 */
import * as idb from 'lib0/indexeddb';

const STORE = 'pending';

export interface PendingFiles {
  put(id: string, blob: Blob): Promise<void>;
  get(id: string): Promise<Blob | undefined>;
  delete(id: string): Promise<void>;
  /** Ids of every file waiting. */
  ids(): Promise<string[]>;
  close(): void;
}

/** The database's name for a document on a server. */
export function pendingFilesName(serverUrl: string, docName: string): string {
  return `tandem-files:${serverUrl.replace(/\/+$/, '')}/${docName}`;
}

/** Files kept in IndexedDB when `persistent` and available, else in memory. */
export function openPendingFiles(serverUrl: string, docName: string, persistent: boolean): PendingFiles {
  if (!persistent || typeof indexedDB === 'undefined') return memoryPendingFiles();
  const opened = idb.openDB(pendingFilesName(serverUrl, docName), (db) => idb.createStores(db, [[STORE]]));
  // A database that cannot open (a private mode, a full disk) falls back to memory for this page.
  const fallback = memoryPendingFiles();
  const run = async <T>(work: (store: IDBObjectStore) => Promise<T>, orElse: () => Promise<T>): Promise<T> => {
    let db: IDBDatabase;
    try {
      db = await opened;
    } catch {
      return orElse();
    }
    const [store] = idb.transact(db, [STORE]);
    return work(store!);
  };
  return {
    put: (id, blob) => run(async (store) => void (await idb.put(store, blob as unknown as ArrayBuffer, id)), () => fallback.put(id, blob)),
    get: (id) => run(async (store) => ((await idb.get(store, id)) as unknown as Blob | undefined) ?? undefined, () => fallback.get(id)),
    delete: (id) => run((store) => idb.del(store, id), () => fallback.delete(id)),
    ids: () => run(async (store) => (await idb.getAllKeys(store)).map(String), () => fallback.ids()),
    close: () => void opened.then((db) => db.close(), () => {}),
  };
}

function memoryPendingFiles(): PendingFiles {
  const files = new Map<string, Blob>();
  return {
    put: async (id, blob) => void files.set(id, blob),
    get: async (id) => files.get(id),
    delete: async (id) => void files.delete(id),
    ids: async () => [...files.keys()],
    close: () => files.clear(),
  };
}
