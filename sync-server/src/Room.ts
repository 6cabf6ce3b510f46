/**
 * One document in memory: its Y.Doc and awareness, the connections editing it, and the write
 * pipeline that keeps the server's promises:
 *  - load before serve: nothing is answered until the stored document is read whole (it is applied
 *    to the Y.Doc only when something needs that; a client with nothing gets the stored bytes);
 *  - write before relay: updates are appended to storage (through the server's WritePipeline:
 *    one batch per event-loop turn for every document, more while a write is in flight) before
 *    any other client receives them, and sync step 2 answers are computed at the same cut, so no
 *    client ever sees state that is not yet stored;
 *  - compaction once the log passes a threshold, and a flush-then-drop unload when the last
 *    connection leaves.
 */
import { CloseCode, MAX_TITLE_LENGTH, SyncMessageType, encodeSavedAck, readTitle } from '@tandem/protocol';
import type { Logger } from 'pino';
import * as Y from 'yjs';
import type { SyncServerConfig } from './config.js';
import type { Connection } from './Connection.js';
import { ProtocolError, decodeClientMessage, encodeSyncStep1, encodeSyncStep2, encodeSyncUpdate } from './messages.js';
import type { ServerMetrics } from './metrics.js';
import { Presence, type PresenceRoom } from './Presence.js';
import type { PresenceClaims } from './PresenceClaims.js';
import { applyKeepingLostWords, serverDocOptions } from './rescue/lostWords.js';
import { framesForFreshClient, isEmptyStateVector, storedStateVector } from './storedState.js';
import type { DocAppend, DocStore } from './storage/DocStore.js';
import { changesDocument, refuseReadOnlyChange } from './readOnlyUpdates.js';
import { decodeClientUpdate } from './updateGuard.js';
import { toWireFrame } from './websocket/frameWriter.js';
import type { CutSource, PreparedCut, WritePipeline } from './WritePipeline.js';

type RoomConfig = Pick<SyncServerConfig, 'compactAfterUpdates' | 'compactAfterBytes' | 'maxDocBytes' | 'maxAwarenessBytes'>;

/** What every room of a server shares. */
export interface RoomDeps {
  store: DocStore;
  /** The server's write path: the room's cuts are written in the same batch as every other room's. */
  pipeline: WritePipeline;
  logger: Logger;
  metrics: ServerMetrics;
  config: RoomConfig;
  /** Who set which presence client IDs, server-wide: claims outlive rooms. */
  presenceClaims: PresenceClaims;
  /** Called once the room has unloaded (or failed) and must be forgotten. */
  onClosed: (room: Room) => void;
}

interface RelayedUpdate {
  origin: Connection;
  update: Uint8Array;
  frame: Uint8Array;
}

/** A batch after it was applied: what to store and what to relay (origin undefined: to everyone). */
interface AppliedBatch {
  stored: Uint8Array[];
  relay: Array<{ origin: Connection | undefined; frame: Uint8Array }>;
}

/** Updates applied per Yjs transaction at a cut. */
const TRANSACTION_CHUNK = 1000;
/** Least time between two writes of a document's listing summary (title, size, update time). */
const SUMMARY_INTERVAL_MS = 1000;

/** What one cut of the pipeline writes and then delivers. */
interface Batch {
  updates: RelayedUpdate[];
  /**
   * The state vector of each connection's latest sync step 1: one answer per connection per cut,
   * however many it sent (each answer can be the whole document).
   */
  step1Requests: Map<Connection, Uint8Array>;
  acks: Map<Connection, number>;
}

const emptyBatch = (): Batch => ({ updates: [], step1Requests: new Map(), acks: new Map() });

export class Room implements PresenceRoom, CutSource {
  readonly connections = new Set<Connection>();
  /** Resolves when the stored document is loaded; rejects if it cannot be. */
  readonly loaded: Promise<void>;
  /** Resolves when the room is gone from memory. */
  readonly closed: Promise<void>;
  state: 'loading' | 'ready' | 'unloading' | 'closed' = 'loading';

  /** Work for the next cut; made by the first message that brings some. */
  private pending: Batch | undefined = undefined;
  /** A cut is being written and delivered, or the log compacted: the next cut waits for it. */
  private busy = false;
  private readonly settledWaiters: Array<() => void> = [];
  private logCount = 0;
  private logBytes = 0;
  private totalBytes = 0;
  /** When the listing summary was last written (performance.now()); the first write always has one. */
  private summaryWrittenAt = Number.NEGATIVE_INFINITY;
  /** Armed when an append went without the summary: writes it a second later if no append has. */
  private summaryTimer: NodeJS.Timeout | undefined = undefined;
  /** The next cut writes the summary, even with no updates. */
  private summaryOwed = false;
  /** Stored updates not yet applied to `doc` (see ensureDocument), and the state vector they add up to. */
  private unapplied: { updates: Uint8Array[]; stateVector: Uint8Array } | undefined;
  private childLog: Logger | undefined = undefined;
  private resolveClosed!: () => void;
  private ydoc: Y.Doc | undefined = undefined;
  private ownPresence: Presence | undefined = undefined;

  constructor(
    readonly name: string,
    private readonly deps: RoomDeps,
  ) {
    this.closed = new Promise((resolve) => (this.resolveClosed = resolve));
    this.loaded = this.load();
    this.loaded.catch(() => {}); // failures are handled in load(); callers see the rejection when they await
  }

  /** This document's logger, made on first use: most documents never log a line. */
  private get log(): Logger {
    this.childLog ??= this.deps.logger.child({ doc: this.name });
    return this.childLog;
  }

  /**
   * Who is here, made when the first presence arrives: many documents are open with nobody
   * showing presence, and an awareness holds a Y.Doc and a timer.
   */
  get presence(): Presence {
    this.ownPresence ??= new Presence(this, this.deps.config.maxAwarenessBytes, this.deps.presenceClaims);
    return this.ownPresence;
  }

  /**
   * The Y.Doc, made on first use: a document served from its stored bytes (see ensureDocument) to
   * clients without presence never needs one.
   */
  get doc(): Y.Doc {
    this.ydoc ??= new Y.Doc(serverDocOptions);
    return this.ydoc;
  }

  private async load(): Promise<void> {
    const started = performance.now();
    try {
      const stored = await this.deps.store.load(this.name);
      const read = performance.now();
      this.logCount = stored.logCount;
      this.logBytes = stored.logBytes;
      this.totalBytes = stored.totalBytes;
      const stateVector = storedStateVector(stored);
      if (stateVector) this.unapplied = { updates: stored.updates, stateVector };
      else this.applyStored(stored.updates);
      this.state = 'ready';
      const ms = (from: number, to = performance.now()): number => +(to - from).toFixed(2);
      if (this.deps.logger.isLevelEnabled('debug')) this.log.debug({ readMs: ms(started, read), prepareMs: ms(read), updates: stored.updates.length, lazy: Boolean(stateVector) }, 'document loaded');
    } catch (error) {
      this.fail(error as Error, 'load');
      throw error;
    }
  }

  /**
   * Apply the stored updates to the Y.Doc, once, when something needs the document itself: an
   * update to apply, a client that already has part of it, a compaction. Until then clients are
   * answered from the stored bytes.
   */
  private ensureDocument(): void {
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

  /**
   * The whole document as one Yjs update, as applied so far: for reads that serve HTTP (an
   * export). Call it while the room is loaded (right after `RoomRegistry.acquire`).
   */
  encodeState(): Uint8Array {
    this.ensureDocument();
    return Y.encodeStateAsUpdate(this.doc);
  }

  /** Nothing is stored or queued for this document: a write connection that opens it creates it. */
  get isEmpty(): boolean {
    return this.totalBytes === 0;
  }

  /** Add a connection once the document is loaded: send our state vector and everyone's presence. */
  join(conn: Connection): void {
    this.connections.add(conn);
    conn.send(encodeSyncStep1(this.unapplied?.stateVector ?? Y.encodeStateVector(this.doc)));
    const everyone = this.ownPresence?.everyoneFrame();
    if (everyone) conn.send(everyone);
  }

  /** Remove a connection (closed or dead): its presence goes for everyone at once. */
  leave(conn: Connection): void {
    if (!this.connections.delete(conn)) return;
    this.ownPresence?.remove(conn);
    this.unloadIfIdle();
  }

  /** Unload when nobody is connected (also for a room loaded for a connection that left while it loaded). */
  unloadIfIdle(): void {
    if (this.connections.size === 0 && this.state === 'ready') void this.unload();
  }

  /** Handle one frame from a joined connection. */
  receive(conn: Connection, frame: Uint8Array): void {
    if (conn.closed || this.state !== 'ready') return;
    try {
      const message = decodeClientMessage(frame);
      switch (message.kind) {
        case 'syncStep1':
          Y.decodeStateVector(message.stateVector); // validate now; the answer is computed at the next cut
          this.pendingBatch().step1Requests.set(conn, message.stateVector);
          this.scheduleCut();
          return;
        case 'update':
          return this.receiveUpdate(conn, message.update, frame);
        case 'awareness':
          return this.presence.receive(conn, message.update);
        case 'queryAwareness': {
          const everyone = this.ownPresence?.everyoneFrame();
          if (everyone) conn.send(everyone);
          return;
        }
      }
    } catch (error) {
      const protocolError = error instanceof ProtocolError ? error : new ProtocolError((error as Error).message);
      this.deps.metrics.stats.reject('malformed');
      conn.close(protocolError.close, protocolError.message);
    }
  }

  private receiveUpdate(conn: Connection, update: Uint8Array, frame: Uint8Array): void {
    conn.changeCount++;
    const empty = isEmptyUpdate(update);
    // Checked for read-only connections as well: malformed input closes any connection.
    const decoded = empty ? undefined : decodeClientUpdate(update);
    if (conn.identity.readOnly) {
      if (!decoded) return;
      this.ensureDocument(); // compared with the document itself (readOnlyUpdates.ts)
      if (changesDocument(this.doc, decoded)) refuseReadOnlyChange(conn, this.deps.metrics.stats);
      return;
    }
    if (this.totalBytes + update.byteLength > this.deps.config.maxDocBytes) {
      this.deps.metrics.stats.reject('document-too-large');
      conn.close(CloseCode.DocumentTooLarge, `document would exceed ${this.deps.config.maxDocBytes} bytes`);
      return;
    }
    if (!empty) {
      // Applied at the next cut, with the rest of this turn's updates, in one transaction.
      // Relay the frame as an update even when it came as step 2: receivers treat both alike.
      this.pendingBatch().updates.push({ origin: conn, update, frame: frame[1] === SyncMessageType.Update ? frame : encodeSyncUpdate(update) });
      this.totalBytes += update.byteLength;
    }
    if (conn.identity.wantsSavedAck) this.pendingBatch().acks.set(conn, conn.changeCount);
    this.scheduleCut();
  }

  broadcast(frame: Uint8Array): void {
    for (const conn of this.connections) conn.send(frame);
  }

  private pendingBatch(): Batch {
    this.pending ??= emptyBatch();
    return this.pending;
  }

  private scheduleCut(): void {
    this.deps.pipeline.schedule(this);
  }

  /**
   * Take everything pending and apply it; the pipeline writes what it returns and then calls
   * `stored`, which delivers. While a cut is in flight new work accumulates (group commit).
   */
  takeCut(): PreparedCut | undefined {
    if (this.state === 'closed' || this.busy || !this.hasWork()) return undefined;
    const batch = this.pending ?? emptyBatch();
    this.pending = undefined;
    let applied: AppliedBatch;
    try {
      if (batch.updates.length > 0 || [...batch.step1Requests.values()].some((sv) => !isEmptyStateVector(sv))) this.ensureDocument();
      applied = this.applyBatch(batch.updates);
    } catch (error) {
      // It decoded but could not be integrated: memory may now differ from storage. Start over from storage.
      this.fail(error as Error, 'apply');
      return undefined;
    }
    // The document now holds exactly what this batch and the ones before it store: answer step 1 from it.
    let step2Answers: Array<{ conn: Connection; frames: Uint8Array[] }>;
    try {
      const unapplied = this.unapplied;
      const askers = [...batch.step1Requests].filter(([conn]) => !conn.closed);
      step2Answers = askers.map(([conn, stateVector]) => ({
        conn,
        frames: unapplied ? framesForFreshClient(unapplied.updates) : [encodeSyncStep2(Y.encodeStateAsUpdate(this.doc, stateVector))],
      }));
    } catch (error) {
      // A document Yjs cannot encode must cost this room, not the process (this runs in setImmediate).
      this.fail(error as Error, 'apply');
      return undefined;
    }
    this.busy = true;
    const append = applied.stored.length > 0 || this.summaryOwed ? this.appendOf(applied) : undefined;
    const failed = (error: Error): void => {
      this.fail(error, 'write');
      this.settle();
    };
    return {
      append,
      stored: () => {
        if (append) this.counted(append);
        this.deliver(applied, step2Answers, batch.acks);
        if (!this.compactionDue()) return this.settle();
        this.compact().then(() => this.settle(), failed);
      },
      failed,
    };
  }

  /** The cut in flight has finished: wake whoever waits for it and cut what arrived meanwhile. */
  private settle(): void {
    this.busy = false;
    for (const wake of this.settledWaiters.splice(0)) wake();
    if (this.state !== 'closed' && this.hasWork()) this.scheduleCut();
  }

  /**
   * Apply a batch's updates, up to TRANSACTION_CHUNK per transaction. Yjs emits one update per
   * transaction: the chunk merged, far cheaper than Y.mergeUpdates. (Chunks, because inside one
   * huge transaction every deletion splits items Yjs merges back only at its end.) The raw updates
   * are kept instead for a chunk of one, and when structs wait for missing dependencies: Yjs
   * leaves those out of the transaction's update until they integrate, and storage must not miss them.
   */
  private applyBatch(updates: RelayedUpdate[]): AppliedBatch {
    const applied: AppliedBatch = { stored: [], relay: [] };
    for (let start = 0; start < updates.length; start += TRANSACTION_CHUNK) {
      const chunk = updates.slice(start, start + TRANSACTION_CHUNK);
      const [merged, restored] = applyKeepingLostWords(this.doc, chunk.map((u) => u.update), () =>
        chunk.length === 1 ? this.applyOne(chunk[0]!) : this.applyInOneTransaction(chunk),
      );
      if (merged === undefined || this.doc.store.pendingStructs !== null || this.doc.store.pendingDs !== null) {
        for (const { update, origin, frame } of chunk) {
          applied.stored.push(update);
          applied.relay.push({ origin, frame });
        }
      } else if (merged !== null) {
        applied.stored.push(merged);
        const soleOrigin = chunk.every((u) => u.origin === chunk[0]!.origin) ? chunk[0]!.origin : undefined;
        applied.relay.push({ origin: soleOrigin, frame: encodeSyncUpdate(merged) });
      }
      if (restored) {
        // Words the chunk deleted collaterally, written back (see rescue/lostWords.ts): stored with it, relayed to all.
        applied.stored.push(restored.update);
        applied.relay.push({ origin: undefined, frame: encodeSyncUpdate(restored.update) });
        this.totalBytes += restored.update.byteLength;
        this.log.info({ paragraphs: restored.paragraphs, characters: restored.characters }, 'restored words typed into deleted paragraphs');
      }
    }
    return applied;
  }

  /** Apply one update as it came; undefined: keep it raw. */
  private applyOne({ update, origin }: RelayedUpdate): undefined {
    Y.applyUpdate(this.doc, update, origin);
    return undefined;
  }

  /** Apply updates in one transaction; the update Yjs emits for it, or null when nothing changed. */
  private applyInOneTransaction(updates: readonly RelayedUpdate[]): Uint8Array | null {
    let merged: Uint8Array | null = null;
    const capture = (update: Uint8Array): void => void (merged = update);
    this.doc.on('update', capture);
    try {
      Y.transact(this.doc, () => {
        for (const { update, origin } of updates) Y.applyUpdate(this.doc, update, origin);
      });
    } finally {
      this.doc.off('update', capture);
    }
    return merged;
  }

  private hasWork(): boolean {
    return hasWork(this.pending) || this.summaryOwed;
  }

  /**
   * What a cut appends to storage. The listing's summary and the state vector are written at most
   * once a second (and at every compaction): neither is needed to load the document whole, and
   * they would triple the keys written for every keystroke. An append that goes without them arms
   * a timer, so the last second of a burst of edits (a new title, say) still reaches the listing
   * while people stay in the document.
   */
  private appendOf(applied: AppliedBatch): DocAppend {
    const now = performance.now();
    const summaryDue = this.summaryOwed || now - this.summaryWrittenAt >= SUMMARY_INTERVAL_MS;
    if (summaryDue) {
      this.summaryWrittenAt = now;
      this.summaryOwed = false;
    } else {
      this.summaryTimer ??= setTimeout(() => this.oweSummaryNow(), this.summaryWrittenAt + SUMMARY_INTERVAL_MS - now);
    }
    return {
      name: this.name,
      updates: applied.stored,
      stateVector: summaryDue ? Y.encodeStateVector(this.doc) : undefined,
      summary: summaryDue ? { title: this.title(), totalBytes: this.totalBytes } : undefined,
    };
  }

  /** A summary is waiting for its timer: have the next cut write it. */
  private oweSummaryNow(): void {
    if (!this.summaryTimer) return;
    clearTimeout(this.summaryTimer);
    this.summaryTimer = undefined;
    this.summaryOwed = true;
    if (this.state !== 'closed') this.scheduleCut();
  }

  /** Count what an append added to the log, for the compaction thresholds. */
  private counted(append: DocAppend): void {
    this.logCount += append.updates.length;
    for (const update of append.updates) this.logBytes += update.byteLength;
  }

  /**
   * Relay to every connection but the update's origin, each frame framed for the wire once. A merged
   * batch from several writers goes to all of them: applying one's own update again is a no-op.
   */
  private deliver(applied: AppliedBatch, step2Answers: Array<{ conn: Connection; frames: Uint8Array[] }>, acks: Map<Connection, number>): void {
    if (applied.relay.length > 0) {
      const wires = applied.relay.map(({ origin, frame }) => ({ origin, wire: toWireFrame(frame) }));
      const toEveryone = wires.map((w) => w.wire); // one array for all receivers but the writers
      for (const conn of this.connections) {
        conn.sendWire(wires.some((w) => w.origin === conn) ? wires.filter((w) => w.origin !== conn).map((w) => w.wire) : toEveryone);
      }
    }
    for (const { conn, frames } of step2Answers) conn.sendAnswer(frames.map(toWireFrame));
    for (const [conn, count] of acks) conn.send(encodeSavedAck(count));
  }

  private compactionDue(): boolean {
    const { compactAfterUpdates, compactAfterBytes } = this.deps.config;
    return this.state !== 'closed' && (this.logCount >= compactAfterUpdates || this.logBytes >= compactAfterBytes);
  }

  /** Merge the log into one snapshot. */
  private async compact(): Promise<void> {
    this.ensureDocument();
    const snapshot = Y.encodeStateAsUpdate(this.doc);
    await this.deps.store.compact(this.name, snapshot, Y.encodeStateVector(this.doc), this.title());
    this.deps.metrics.stats.compactions++;
    this.logCount = 0;
    this.logBytes = 0;
    this.totalBytes = snapshot.byteLength;
  }

  /** The document's title as the editor stores it (see @tandem/protocol's title.ts), for listings. */
  private title(): string | null {
    return readTitle(this.doc).slice(0, MAX_TITLE_LENGTH) || null;
  }

  /** Write what is pending, compact, and drop the document from memory. */
  private unload(): Promise<void> {
    if (this.state === 'ready') {
      this.state = 'unloading';
      void this.flushAndDestroy();
    }
    return this.closed;
  }

  private async flushAndDestroy(): Promise<void> {
    this.oweSummaryNow();
    while (this.busy || this.hasWork()) {
      if (!this.busy) this.scheduleCut();
      await new Promise<void>((resolve) => this.settledWaiters.push(resolve));
      if (this.state !== 'unloading') return; // failed meanwhile
    }
    try {
      // A changed document leaves no log behind (only a crash does; recovery.ts merges that at the
      // next start). One nobody changed is left as it is: its state vector is stored, so the next
      // load is cheap, and applying it now only to compact would stall every other document.
      if (this.logCount > 0 && !this.unapplied) await this.compact();
    } catch (error) {
      this.log.error({ err: error }, 'compaction at unload failed; the log is intact');
      this.deps.metrics.stats.storageErrors++;
    }
    this.destroy();
  }

  /** Storage (or applying an update) failed: say so loudly, close every connection, forget the in-memory state. */
  private fail(error: Error, during: 'load' | 'write' | 'apply'): void {
    if (this.state === 'closed') return;
    if (during === 'apply') {
      this.log.error({ err: error }, `update failed half-way for document ${this.name}; reloading it from storage`);
      for (const conn of this.connections) conn.close(CloseCode.InternalError, 'document reset');
    } else {
      this.deps.metrics.stats.storageErrors++;
      this.log.error({ err: error, during }, `storage ${during} failed for document ${this.name}`);
      for (const conn of this.connections) conn.close(CloseCode.StorageError, `storage ${during} failed`);
    }
    this.destroy();
  }

  /** Close every connection (server shutdown); pending writes still land. */
  async shutdown(): Promise<void> {
    for (const conn of this.connections) conn.close(CloseCode.GoingAway);
    if (this.state === 'loading') await this.loaded.catch(() => {});
    if (this.state === 'ready') await this.unload();
    await this.closed;
  }

  private destroy(): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    clearTimeout(this.summaryTimer);
    this.summaryOwed = false;
    this.connections.clear();
    this.ownPresence?.destroy();
    this.ydoc?.destroy();
    this.deps.store.release(this.name);
    this.deps.onClosed(this);
    for (const wake of this.settledWaiters.splice(0)) wake();
    this.resolveClosed();
  }
}

/** An update with no structs and no deletions ([0, 0]): the stock client sends one on every connect. */
const isEmptyUpdate = (update: Uint8Array): boolean => update.byteLength === 2 && update[0] === 0 && update[1] === 0;

const hasWork = (batch: Batch | undefined): boolean =>
  batch !== undefined && (batch.updates.length > 0 || batch.step1Requests.size > 0 || batch.acks.size > 0);
