/**
 * The storage contract every backend keeps. Per document: an append-only log of Yjs updates
 * and one compacted snapshot; a crash at any instant leaves a loadable document.
 *
 * What the four things a room asks of storage mean:
 *  - **append durably** ({@link DocStore.append}): once the promise resolves the updates survive a
 *    crash of this process (and, for a backend shared by several processes, are in the order every
 *    other process will read them); before it resolves nobody may be told they are saved or be sent them.
 *  - **load** ({@link DocStore.load}): everything appended before the call, whole, snapshot first.
 *  - **follow others' updates** ({@link DocStore.follow}): for a backend several server processes
 *    share, every update another process appends after that load, once each, in the backend's order.
 *  - **compact** ({@link DocStore.compact}): fold what the caller holds into a snapshot, losing nothing
 *    anyone else appended meanwhile, safely when two processes compact at once or one dies half-way.
 */

import type { DocSummary } from '@tandem/protocol';

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

/** Summary of one stored document, for listings: the API's entry without who last edited it. */
export type DocInfo = DocSummary;

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

/** A record kept beside a document (see {@link DocStore.putRecord}). */
export interface DocRecord {
  id: string;
  value: Uint8Array;
}

/**
 * What a record kind or id may be: they become parts of storage keys. Kinds are the code's own
 * names (`version`, `file`, …); ids are made by the code too (hashes, counters, timestamps).
 */
export const RECORD_KIND_PATTERN = /^[a-z][a-z0-9-]{0,31}$/;
export const RECORD_ID_PATTERN = /^[A-Za-z0-9._-]{1,128}$/;

/** Throws unless `kind` and `id` fit the patterns above (a bug in the caller, never user input). */
export function checkRecordKey(kind: string, id?: string): void {
  if (!RECORD_KIND_PATTERN.test(kind)) throw new Error(`invalid record kind ${JSON.stringify(kind)}`);
  if (id !== undefined && !RECORD_ID_PATTERN.test(id)) throw new Error(`invalid record id ${JSON.stringify(id)}`);
}

/** Updates another server process appended to a followed document (see {@link DocStore.follow}). */
export interface FollowedAppend {
  updates: Uint8Array[];
  /**
   * This process has appended entries to the document that the shared order puts after these, or
   * that are not ordered yet: it applied them before these. A repair that depends on the order two
   * updates were applied in (the rescue of words typed into a deleted paragraph) is this process's
   * to make only then; otherwise the process that appended these makes it.
   */
  ownEntriesAhead: boolean;
  /**
   * The updates are the document's stored snapshot, sent instead of entries this process fell too
   * far behind to read (compaction removed them): apply it, relay only what it adds.
   */
  whole?: boolean;
}

export interface DocStore {
  /** Read one document whole. A document never written loads as empty. */
  load(name: string): Promise<StoredDoc>;
  /**
   * Append updates to one or more documents: durable once it resolves. Each document's part is
   * atomic; a backend may write several documents' parts in one atomic write (LevelDB) or in a few
   * sent together (Redis: one per bucket). When it rejects, none of it counts as stored, though
   * some documents' parts may be (the caller's updates are sent again, and applying one twice
   * changes nothing).
   */
  append(appends: DocAppend[]): Promise<void>;
  /**
   * Deliver to `onAppend` every update other processes append to `name` after the last `load` of
   * it, in order, each once, until the returned function is called or `name` is released (a
   * dropped connection resumes where it stopped). Called right after `load`, in the same turn.
   * Left out by backends only one process can open: nobody else appends to them.
   */
  follow?(name: string, onAppend: (append: FollowedAppend) => void): () => void;
  /**
   * Replace everything stored for `name` up to now with `snapshot` (and its state vector),
   * atomically: the snapshot must contain every update already appended by this process and every
   * update `follow` has delivered. Updates appended after the call started, and updates other
   * processes appended that were not delivered yet, survive. Called in the same turn as the
   * snapshot is encoded. A snapshot older than one already stored changes nothing.
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
  /**
   * Records kept beside a document, by kind and id: versions, uploaded files, per-document
   * settings. They are not part of the document's Yjs state and never loaded with it. Keep large
   * payloads under a kind of their own and their small descriptions under another, because
   * {@link listRecords} returns values.
   */
  putRecord(name: string, kind: string, id: string, value: Uint8Array): Promise<void>;
  /** One record, or undefined when there is none. */
  getRecord(name: string, kind: string, id: string): Promise<Uint8Array | undefined>;
  /** Every record of `kind` kept beside `name`, in id order (byte order of the ids). */
  listRecords(name: string, kind: string): Promise<DocRecord[]>;
  /** Delete records of `kind` by id, atomically; ids that do not exist are ignored. */
  deleteRecords(name: string, kind: string, ids: readonly string[]): Promise<void>;
  /**
   * Delete everything stored for `name` — snapshot, log, state vector, listing summary, records —
   * atomically. The document then loads as never written. The caller must not hold it in memory.
   */
  purge(name: string): Promise<void>;
  /** The caller no longer holds `name` in memory: drop whatever the store keeps for it. */
  release(name: string): void;
  /** Every stored document's summary, in name order. */
  list(): Promise<DocInfo[]>;
  /** True while the store can serve reads and writes. */
  isOpen(): boolean;
  close(): Promise<void>;
}
