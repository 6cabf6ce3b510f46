import * as Y from 'yjs';
import type { LocalWrites } from './saveStatus.js';
import { logToConsole, type OnError } from './editorError.js';

/**
 * The IndexedDB database that keeps this browser's copy of a document: one per sync server and
 * document name, so that two servers' documents of the same name never mix.
 */
export function localCopyName(serverUrl: string, docName: string): string {
  return `tandem:${serverUrl.replace(/\/+$/, '')}/${docName}`;
}

/**
 * Object stores, as y-indexeddb laid them out (databases it wrote keep loading): `updates`
 * holds Yjs updates (v1) under auto-incremented keys, `custom` is unused but created alike.
 */
const UPDATES_STORE = 'updates';
const CUSTOM_STORE = 'custom';
/** Past this many entries, they are merged into one (y-indexeddb's trim size). */
export const COMPACT_AFTER_ENTRIES = 500;

/** This browser's copy of a document in IndexedDB, and how far its writing has got. */
export interface LocalCopy extends LocalWrites {
  /** True once what IndexedDB held has been loaded into the document. */
  readonly loaded: boolean;
  /** Resolves once what IndexedDB held is loaded into the document (also when loading failed). */
  readonly whenLoaded: Promise<void>;
  /** Start writing whatever is waiting, now, even while another write is under way (the page is going away). */
  flush(): void;
  /** Resolves once every update handed over so far is committed; rejects if a write fails first. */
  whenWritten(): Promise<void>;
  /** Write what is waiting, then close the database; what was stored stays for the next visit. */
  destroy(): void;
}

/**
 * Keep a copy of `doc` in this browser's IndexedDB: load what is there into the document, then
 * write every update to it. Returns undefined where IndexedDB is unavailable (some private modes,
 * old browsers), in which case edits made offline live only as long as the tab.
 *
 * Written for Tandem's promise rather than taken from y-indexeddb, whose storage layout it keeps:
 * y-indexeddb starts one transaction per update and tells no one when a write is done, so the
 * last keystrokes before a closed tab or a crash could be lost while the status said they were
 * kept. Here the updates of one task go out in one transaction, while one is under way the next
 * ones wait and go out together, each transaction is committed at once with `strict` durability
 * (on disk, not only handed to the operating system), and {@link LocalWrites.writing} says whether
 * anything handed over is not yet committed.
 */
export function openLocalCopy(
  serverUrl: string,
  docName: string,
  doc: Y.Doc,
  { factory, onError = logToConsole }: { factory?: IDBFactory; onError?: OnError } = {},
): LocalCopy | undefined {
  const idb = factory ?? (typeof indexedDB === 'undefined' ? undefined : indexedDB);
  if (!idb) return undefined;
  let request: IDBOpenDBRequest;
  try {
    request = idb.open(localCopyName(serverUrl, docName));
  } catch {
    return undefined;
  }
  return new IndexedDbCopy(request, doc, onError);
}

type Waiter = { resolve: () => void; reject: (error: Error) => void };

class IndexedDbCopy implements LocalCopy {
  private db: IDBDatabase | undefined;
  /** Updates handed over and not yet in a transaction. */
  private queue: Uint8Array[] = [];
  /** Transactions started and not yet complete. */
  private inFlight = 0;
  /** Entries written since the last merge (or since loading). */
  private entriesSinceCompaction = 0;
  private pumpScheduled = false;
  private destroyed = false;
  private lastError: Error | undefined;
  private readonly listeners = new Set<() => void>();
  private waiters: Waiter[] = [];
  private wasWriting = false;
  private wasFailed = false;
  loaded = false;
  failed = false;
  readonly whenLoaded: Promise<void>;

  private readonly onUpdate = (update: Uint8Array, origin: unknown) => {
    // What was just loaded from here needs no writing back.
    if (origin === this || this.destroyed) return;
    this.queue.push(update);
    this.schedulePump();
    this.changed();
  };

  constructor(
    request: IDBOpenDBRequest,
    private readonly doc: Y.Doc,
    private readonly onError: OnError,
  ) {
    doc.on('update', this.onUpdate);
    this.whenLoaded = new Promise<void>((resolve) => {
      request.onupgradeneeded = () => {
        const db = request.result;
        if (!db.objectStoreNames.contains(UPDATES_STORE)) db.createObjectStore(UPDATES_STORE, { autoIncrement: true });
        if (!db.objectStoreNames.contains(CUSTOM_STORE)) db.createObjectStore(CUSTOM_STORE);
      };
      request.onsuccess = () => {
        const db = request.result;
        if (this.destroyed) {
          db.close();
          resolve();
          return;
        }
        // Another tab deleting or upgrading the database: let it, and stop claiming a copy here.
        db.onversionchange = () => {
          db.close();
          this.db = undefined;
          this.fail(new Error('The local copy was closed by another page (deleted or upgraded)'));
        };
        this.db = db;
        this.load(resolve);
      };
      request.onerror = () => {
        this.fail(request.error ?? new Error('IndexedDB could not be opened'));
        resolve();
      };
    });
  }

  get writing(): boolean {
    return this.queue.length > 0 || this.inFlight > 0;
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  flush(): void {
    this.pump(true);
  }

  whenWritten(): Promise<void> {
    if (!this.writing) return Promise.resolve();
    if (this.failed) return Promise.reject(this.lastError ?? new Error('The local copy cannot write'));
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  destroy(): void {
    if (this.destroyed) return;
    this.pump(true);
    this.destroyed = true;
    this.doc.off('update', this.onUpdate);
    this.listeners.clear();
    // close() lets the transactions already started finish first.
    this.db?.close();
    this.db = undefined;
  }

  private load(done: () => void): void {
    const db = this.db!;
    let read: IDBTransaction;
    try {
      read = db.transaction([UPDATES_STORE], 'readonly');
    } catch (error) {
      this.fail(error);
      done();
      return;
    }
    const updates = read.objectStore(UPDATES_STORE).getAll();
    read.oncomplete = () => {
      const stored = updates.result as Uint8Array[];
      if (!this.destroyed) {
        Y.transact(this.doc, () => stored.forEach((update) => Y.applyUpdate(this.doc, update)), this, false);
        this.loaded = true;
      }
      done();
      // Updates made before the database was open have waited for it.
      this.pump();
      if (stored.length > COMPACT_AFTER_ENTRIES) this.compact();
    };
    read.onerror = () => {
      this.fail(read.error ?? new Error('IndexedDB could not be read'));
      done();
    };
  }

  private schedulePump(): void {
    if (this.pumpScheduled) return;
    this.pumpScheduled = true;
    // Every update of this task goes into one transaction.
    queueMicrotask(() => {
      this.pumpScheduled = false;
      this.pump();
    });
  }

  /** Write what is queued in one transaction; unless `now`, wait while another is under way. */
  private pump(now = false): void {
    const db = this.db;
    if (!db || this.destroyed || this.queue.length === 0 || (this.inFlight > 0 && !now)) return;
    const batch = this.queue;
    this.queue = [];
    let transaction: IDBTransaction;
    try {
      transaction = db.transaction([UPDATES_STORE], 'readwrite', { durability: 'strict' });
      transaction.objectStore(UPDATES_STORE).add(batch.length === 1 ? batch[0]! : Y.mergeUpdates(batch));
      // Nothing more will be asked of it: commit now rather than when the task ends.
      transaction.commit?.();
    } catch (error) {
      this.queue = batch.concat(this.queue);
      this.fail(error);
      return;
    }
    this.inFlight++;
    transaction.oncomplete = () => {
      this.inFlight--;
      this.entriesSinceCompaction++;
      this.failed = false;
      this.pump();
      if (!this.writing) this.waiters.splice(0).forEach((w) => w.resolve());
      this.changed();
      if (this.entriesSinceCompaction > COMPACT_AFTER_ENTRIES) this.compact();
    };
    transaction.onabort = () => {
      this.inFlight--;
      // Keep the batch: it is written with the next one, or stays unsaved (and said so).
      this.queue = batch.concat(this.queue);
      this.fail(transaction.error ?? new Error('An IndexedDB write was aborted'));
    };
  }

  /**
   * Merge every entry into one, in one transaction: read them all (another tab may have written
   * some this one has not seen), apply them, write the whole document, delete what was read.
   * A crash at any point leaves either the old entries or the merged one.
   */
  private compact(): void {
    const db = this.db;
    if (!db || this.destroyed) return;
    this.entriesSinceCompaction = 0;
    let transaction: IDBTransaction;
    try {
      transaction = db.transaction([UPDATES_STORE], 'readwrite', { durability: 'strict' });
    } catch {
      return;
    }
    const store = transaction.objectStore(UPDATES_STORE);
    const values = store.getAll();
    const keys = store.getAllKeys();
    keys.onsuccess = () => {
      const stored = values.result as Uint8Array[];
      const lastKey = keys.result[keys.result.length - 1];
      if (lastKey === undefined || this.destroyed) return;
      Y.transact(this.doc, () => stored.forEach((update) => Y.applyUpdate(this.doc, update)), this, false);
      store.add(Y.encodeStateAsUpdate(this.doc));
      store.delete(IDBKeyRange.upperBound(lastKey));
    };
    // A failed merge leaves the entries as they were; nothing to do.
  }

  private fail(error: unknown): void {
    this.lastError = error instanceof Error ? error : new Error(String(error));
    this.failed = true;
    this.onError({ kind: 'local-copy', message: 'the copy of this document on this device could not be written', cause: error });
    this.waiters.splice(0).forEach((w) => w.reject(this.lastError!));
    this.changed();
  }

  /** Tell the listeners when `writing` or `failed` changed. */
  private changed(): void {
    const writing = this.writing;
    if (writing === this.wasWriting && this.failed === this.wasFailed) return;
    this.wasWriting = writing;
    this.wasFailed = this.failed;
    for (const listener of [...this.listeners]) listener();
  }
}
