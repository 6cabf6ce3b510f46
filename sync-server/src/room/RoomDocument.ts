/**
 * A room's document in memory and what storage holds of it: the Y.Doc (made and filled only when
 * something needs it: until then clients are answered from the stored bytes), the size of the log
 * and of the whole document, compaction, and applying what other server instances appended.
 */
import { MAX_TITLE_LENGTH, encodeSyncStep2, readTitle } from '@tandem/protocol';
import * as Y from 'yjs';
import { type Restoration, applyKeepingLostWords, serverDocOptions } from '../rescue/lostWords.js';
import type { DocAppend, DocStore, FollowedAppend, StoredDoc } from '../storage/DocStore.js';
import { framesForFreshClient, storedStateVector } from '../storedState.js';

export class RoomDocument {
  /** Entries in the stored log since the last compaction (this instance's and, in cluster mode, the others'). */
  logCount = 0;
  logBytes = 0;
  /** Bytes of everything stored for the document, and of what is queued to be. */
  totalBytes = 0;
  private ydoc: Y.Doc | undefined = undefined;
  /** Stored updates not yet applied to the Y.Doc, and the state vector they add up to. */
  private unapplied: { updates: Uint8Array[]; stateVector: Uint8Array } | undefined;

  constructor(private readonly name: string) {}

  /** The Y.Doc, made on first use: a document served from its stored bytes to clients without presence never needs one. */
  get doc(): Y.Doc {
    this.ydoc ??= new Y.Doc(serverDocOptions);
    return this.ydoc;
  }

  /** Take what a load returned: applied now only when its state vector is not known without it. */
  loaded(stored: StoredDoc): void {
    this.logCount = stored.logCount;
    this.logBytes = stored.logBytes;
    this.totalBytes = stored.totalBytes;
    const stateVector = storedStateVector(stored);
    if (stateVector) this.unapplied = { updates: stored.updates, stateVector };
    else this.applyStored(stored.updates);
  }

  /** Whether the stored bytes are still unapplied (so the load was cheap). */
  get lazy(): boolean {
    return this.unapplied !== undefined;
  }

  /**
   * Apply the stored updates to the Y.Doc, once, when something needs the document itself: an
   * update to apply, a client that already has part of it, a compaction.
   */
  ensure(): void {
    if (!this.unapplied) return;
    const { updates } = this.unapplied;
    this.unapplied = undefined;
    this.applyStored(updates);
  }

  private applyStored(updates: readonly Uint8Array[]): void {
    Y.transact(this.doc, () => {
      for (const update of updates) Y.applyUpdate(this.doc, update);
    });
  }

  /** The state vector to send a newcomer. */
  stateVector(): Uint8Array {
    return this.unapplied?.stateVector ?? Y.encodeStateVector(this.doc);
  }

  /** The frames that answer a sync step 1 with `stateVector`: what the client lacks. */
  answer(stateVector: Uint8Array): Uint8Array[] {
    if (this.unapplied) return framesForFreshClient(this.unapplied.updates);
    return [encodeSyncStep2(Y.encodeStateAsUpdate(this.doc, stateVector))];
  }

  /** Count what an append added to the log, for the compaction thresholds. */
  appended(append: DocAppend): void {
    this.logCount += append.updates.length;
    for (const update of append.updates) this.logBytes += update.byteLength;
  }

  /**
   * Apply updates another server instance appended (and stored) to the Y.Doc. Words they sweep away
   * with a paragraph deleted concurrently are written back only when this instance's own, later
   * entries are the other half of that collision (see FollowedAppend.ownEntriesAhead): otherwise
   * the instance that appended these makes the repair, and it arrives through the stream too.
   */
  applyFollowed({ updates, ownEntriesAhead, whole }: FollowedAppend): { relay: Uint8Array[]; restored: Restoration | null } {
    this.ensure();
    if (whole) {
      // The stored snapshot, instead of entries this instance missed: relay only what it adds.
      const before = Y.encodeStateVector(this.doc);
      Y.transact(this.doc, () => updates.forEach((update) => Y.applyUpdate(this.doc, update, 'follow')));
      return { relay: [Y.encodeStateAsUpdate(this.doc, before)], restored: null };
    }
    for (const update of updates) {
      this.logCount++;
      this.logBytes += update.byteLength;
      this.totalBytes += update.byteLength;
    }
    const applyAll = (): void =>
      Y.transact(this.doc, () => {
        for (const update of updates) Y.applyUpdate(this.doc, update, 'follow');
      });
    if (!ownEntriesAhead) {
      applyAll();
      return { relay: updates, restored: null };
    }
    const [, restored] = applyKeepingLostWords(this.doc, updates, applyAll);
    if (restored) this.totalBytes += restored.update.byteLength;
    return { relay: updates, restored };
  }

  compactionDue(limits: { compactAfterUpdates: number; compactAfterBytes: number }): boolean {
    return this.logCount >= limits.compactAfterUpdates || this.logBytes >= limits.compactAfterBytes;
  }

  /** Merge the log into one snapshot. */
  async compact(store: DocStore): Promise<void> {
    this.ensure();
    const snapshot = Y.encodeStateAsUpdate(this.doc);
    // Encoded and handed over in the same turn: the store knows exactly what the snapshot holds.
    await store.compact(this.name, snapshot, Y.encodeStateVector(this.doc), this.title());
    this.logCount = 0;
    this.logBytes = 0;
    this.totalBytes = snapshot.byteLength;
  }

  /** The document's title as the editor stores it (see @tandem/protocol's title.ts), for listings. */
  title(): string | null {
    return readTitle(this.doc).slice(0, MAX_TITLE_LENGTH) || null;
  }

  destroy(): void {
    this.ydoc?.destroy();
  }
}
