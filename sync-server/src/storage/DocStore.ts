/**
 * The storage contract every backend keeps. Per document: an append-only log of Yjs updates
 * and one compacted snapshot; a crash at any instant leaves a loadable document.
 */

/** What one document holds in storage, ready to apply in order. */
export interface StoredDoc {
  /** The compacted snapshot first (if any), then the log in append order. */
  updates: Uint8Array[];
  /**
   * The state vector as last written beside the log or the snapshot; lets a server answer without
   * loading the document. It may lag behind the last appends (see DocAppend.stateVector), never
   * run ahead. Undefined when none was stored.
   */
  stateVector: Uint8Array | undefined;
  /** Number of updates in the log (not counting the snapshot). */
  logCount: number;
  /** Bytes in the log. */
  logBytes: number;
  /** Bytes of snapshot plus log. */
  totalBytes: number;
}

/** Summary of one stored document, for listings. */
export interface DocInfo {
  name: string;
  title: string | null;
  /** Bytes stored (snapshot plus log). */
  size: number;
  /** ISO 8601 time of the last write. */
  updatedAt: string;
}

/** Updates to append for one document. */
export interface DocAppend {
  name: string;
  updates: Uint8Array[];
  /**
   * The document's state vector after these updates, when it is due to be rewritten (with the
   * summary, about once a second). One that lags costs little: a client told the server has less
   * than it has sends the difference again, and applying it twice changes nothing.
   */
  stateVector?: Uint8Array;
  /** The listing's summary, when it is due to be rewritten. */
  summary?: { title: string | null; totalBytes: number };
}

export interface DocStore {
  /** Read one document whole. A document never written loads as empty. */
  load(name: string): Promise<StoredDoc>;
  /** Append updates to one or more documents in one atomic write. */
  append(appends: DocAppend[]): Promise<void>;
  /**
   * Replace everything stored for `name` up to now with `snapshot` (and its state vector),
   * atomically: the snapshot must contain every update already appended. Updates appended after
   * the call started survive.
   */
  compact(name: string, snapshot: Uint8Array, stateVector: Uint8Array, title: string | null): Promise<void>;
  /**
   * Names of the documents whose log holds entries: those that were in memory when the process
   * last stopped without unloading them (compaction empties the log).
   */
  namesWithLog(): Promise<string[]>;
  /**
   * Replace the snapshot and the first `logCount` log entries (as `load` returned them) with
   * `merged`, one update holding exactly what they held, and the stored state vector with
   * `stateVector` (merged's), atomically. Entries appended after them and the listing summary
   * stay as they are.
   */
  mergeLog(name: string, merged: Uint8Array, logCount: number, stateVector: Uint8Array): Promise<void>;
  /** The caller no longer holds `name` in memory: drop whatever the store keeps for it. */
  release(name: string): void;
  /** Every stored document's summary, in name order. */
  list(): Promise<DocInfo[]>;
  /** True while the store can serve reads and writes. */
  isOpen(): boolean;
  close(): Promise<void>;
}
