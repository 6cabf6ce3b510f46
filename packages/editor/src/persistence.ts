import { IndexeddbPersistence } from 'y-indexeddb';
import type * as Y from 'yjs';

/**
 * The IndexedDB database that keeps this browser's copy of a document: one per sync server and
 * document name, so that two servers' documents of the same name never mix.
 */
export function localCopyName(serverUrl: string, docName: string): string {
  return `tandem:${serverUrl.replace(/\/+$/, '')}/${docName}`;
}

/** This browser's copy of a document, kept in IndexedDB with `y-indexeddb`. */
export interface LocalCopy {
  /** The y-indexeddb provider. */
  readonly persistence: IndexeddbPersistence;
  /** True once the copy was opened and its updates applied to the document. */
  readonly loaded: boolean;
  /** Resolves once the copy was loaded into the document (never rejects). */
  readonly whenLoaded: Promise<void>;
  destroy(): void;
}

/**
 * Keep `doc` in IndexedDB: what was stored before is loaded into it, every later update is
 * stored. Returns undefined where IndexedDB is unavailable (some private modes, non-browsers),
 * in which case edits made offline live only as long as the tab.
 */
export function openLocalCopy(serverUrl: string, docName: string, doc: Y.Doc): LocalCopy | undefined {
  if (typeof indexedDB === 'undefined') return undefined;
  let persistence: IndexeddbPersistence;
  try {
    persistence = new IndexeddbPersistence(localCopyName(serverUrl, docName), doc);
  } catch {
    return undefined;
  }
  let loaded = false;
  const whenLoaded = persistence.whenSynced.then(() => {
    loaded = true;
  });
  return {
    persistence,
    get loaded() {
      return loaded;
    },
    whenLoaded,
    destroy() {
      // Closes the database; what was stored stays for the next visit.
      void persistence.destroy().catch(() => {});
    },
  };
}
