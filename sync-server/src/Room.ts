/**
 * One document in memory: its connections, its presence, and the lifecycle that keeps the
 * server's promises, whatever storage backend it runs on:
 *  - load before serve: nothing is answered until the stored document is read whole;
 *  - write before relay: updates are appended durably (through the server's WritePipeline: one
 *    batch per event-loop turn for every document, more while a write is in flight) before any
 *    other client receives them, and sync step 2 answers are computed at the same cut, so no
 *    client ever sees state that is not yet stored;
 *  - what other server instances append (cluster mode) is applied and relayed as the store
 *    delivers it: it is stored already;
 *  - compaction once the log passes a threshold, and a flush-then-drop unload when the last
 *    connection leaves; a storage failure closes the room's connections and forgets it.
 * What a cut does to the document is in room/cutBatch.ts, the document and its counts in
 * room/RoomDocument.ts, the listing summary's timing in room/SummarySchedule.ts.
 */
import { CloseCode, SyncMessageType, encodeSyncStep1, encodeSyncUpdate } from '@tandem/protocol';
import type { Logger } from 'pino';
import * as Y from 'yjs';
import type { PresenceBus, PresenceHolder } from './cluster/PresenceBus.js';
import type { SyncServerConfig } from './config.js';
import type { Connection } from './Connection.js';
import { ProtocolError, decodeClientMessage } from './messages.js';
import type { ServerMetrics } from './metrics.js';
import { Presence, type PresenceRoom } from './Presence.js';
import type { PresenceClaims } from './PresenceClaims.js';
import { changesDocument, refuseReadOnlyChange } from './readOnlyUpdates.js';
import type { Restoration } from './rescue/lostWords.js';
import { type AppliedBatch, type Batch, applyBatch, batchHasWork, deliverBatch, emptyBatch } from './room/cutBatch.js';
import { RoomDocument } from './room/RoomDocument.js';
import { SummarySchedule } from './room/SummarySchedule.js';
import type { DocAppend, DocStore, FollowedAppend } from './storage/DocStore.js';
import { isEmptyStateVector } from './storedState.js';
import { ServerChanges, type RunServerChanges, type ServerChange } from './serverChanges.js';
import { decodeClientUpdate } from './updateGuard.js';
import { RoomHistory, type HistoryRoom, type Versions } from './versions/RoomHistory.js';
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
  /** Presence between server instances (cluster mode); undefined on a single server. */
  presenceBus?: PresenceBus;
  /** Version history: where checkpoints go and when they are taken. */
  versions: Versions;
  /** `conn` has changed the document (called for every such update): who last edited it (documents/LastEditors.ts). */
  onEdited?: (room: Room, conn: Connection) => void;
  /** Called once the room has unloaded (or failed) and must be forgotten. */
  onClosed: (room: Room) => void;
}

/** What the room keeps about one of its connections. */
interface Member {
  /** Document-change frames (sync step 2 / update) received, for Saved acknowledgements. */
  changeCount: number;
  /** Changes refused because the connection is read-only (logged the first time). */
  refusedChanges: number;
}

export class Room implements PresenceRoom, CutSource, HistoryRoom {
  private readonly members = new Map<Connection, Member>();
  /** Resolves when the stored document is loaded; rejects if it cannot be. */
  readonly loaded: Promise<void>;
  /** Resolves when the room is gone from memory. */
  readonly closed: Promise<void>;
  state: 'loading' | 'ready' | 'unloading' | 'closed' = 'loading';

  private readonly document: RoomDocument;
  private readonly summary = new SummarySchedule(() => {
    if (this.state !== 'closed') this.scheduleCut();
  });
  /** Work for the next cut; made by the first message that brings some. */
  private pending: Batch | undefined = undefined;
  /** A cut is being written and delivered, or the log compacted: the next cut waits for it. */
  private busy = false;
  private readonly settledWaiters: Array<() => void> = [];
  /** Stop hearing other instances (their appends, their presence). */
  private readonly unfollow: Array<() => void> = [];
  private childLog: Logger | undefined = undefined;
  private resolveClosed!: () => void;
  private ownPresence: Presence | undefined = undefined;
  /** The server's own changes and reads, for the next cut (see serverChanges.ts). */
  private readonly serverChanges = new ServerChanges();
  private ownHistory: RoomHistory | undefined = undefined;
  /** Work outside any connection (an HTTP request) that needs the room to stay loaded. */
  private holds = 0;

  constructor(
    readonly name: string,
    private readonly deps: RoomDeps,
  ) {
    this.document = new RoomDocument(name);
    this.closed = new Promise((resolve) => (this.resolveClosed = resolve));
    this.loaded = this.load();
    this.loaded.catch(() => {}); // failures are handled in load(); callers see the rejection when they await
  }

  /** This document's logger, made on first use: most documents never log a line. */
  private get log(): Logger {
    this.childLog ??= this.deps.logger.child({ doc: this.name });
    return this.childLog;
  }

  /** The connections in the room. */
  get connections(): IterableIterator<Connection> {
    return this.members.keys();
  }

  get connectionCount(): number {
    return this.members.size;
  }

  /** Document-change frames received from `conn` so far (what its next Saved acknowledgement counts to). */
  changeCountOf(conn: Connection): number {
    return this.members.get(conn)?.changeCount ?? 0;
  }

  /**
   * Who is here, made when the first presence arrives: many documents are open with nobody
   * showing presence, and an awareness holds a Y.Doc and a timer.
   */
  get presence(): Presence {
    this.ownPresence ??= new Presence(this, this.deps.config.maxAwarenessBytes, this.deps.presenceClaims);
    return this.ownPresence;
  }

  /** Presence as it stands, without making it. */
  get currentPresence(): Presence | undefined {
    return this.ownPresence;
  }

  /** Checkpoints of this document (versions/RoomHistory.ts), made on first use. */
  get history(): RoomHistory {
    this.ownHistory ??= new RoomHistory(this, this.deps.versions);
    return this.ownHistory;
  }

  /**
   * Run `change` on the document at the next cut, after that cut's client updates: what it changes
   * is a forward update by the server, stored with the cut before anyone receives it, then relayed
   * to every connection. Resolves with what `change` returned once stored (rejects if it threw, or
   * the cut could not be stored). A change that only reads sees the document exactly as stored.
   */
  atNextCut<T>(change: ServerChange<T>): Promise<T> {
    if (this.state !== 'ready' && this.state !== 'unloading') return Promise.reject(new Error(`document ${this.name} is not loaded`));
    const done = this.serverChanges.add(change);
    this.scheduleCut();
    return done;
  }

  /** Keep the room loaded while `work` runs, though nobody may be connected (HTTP requests). */
  async hold<T>(work: () => Promise<T>): Promise<T> {
    this.holds++;
    try {
      return await work();
    } finally {
      this.holds--;
      this.unloadIfIdle();
    }
  }

  /** The Y.Doc (made and filled from storage on first use). */
  get doc(): Y.Doc {
    return this.document.doc;
  }

  private async load(): Promise<void> {
    const started = performance.now();
    const { store } = this.deps;
    try {
      const stored = await store.load(this.name);
      const read = performance.now();
      this.document.loaded(stored);
      this.state = 'ready';
      // In the same turn as the load: the store delivers everything appended after it.
      if (store.follow) this.unfollow.push(store.follow(this.name, (append) => this.followed(append)));
      const bus = this.deps.presenceBus;
      if (bus) {
        this.unfollow.push(
          bus.join(this.name, {
            remote: (instance, update, holders) => this.remotePresence(instance, update, holders),
            queried: () => this.ownPresence?.publishLocal(),
            instanceGone: (instance) => this.ownPresence?.removeInstance(instance),
          }),
        );
      }
      const ms = (from: number, to = performance.now()): number => +(to - from).toFixed(2);
      if (this.deps.logger.isLevelEnabled('debug')) this.log.debug({ readMs: ms(started, read), prepareMs: ms(read), updates: stored.updates.length, lazy: this.document.lazy }, 'document loaded');
    } catch (error) {
      this.fail(error as Error, 'load');
      throw error;
    }
  }

  /** Nothing is stored or queued for this document: a write connection that opens it creates it. */
  get isEmpty(): boolean {
    return this.document.totalBytes === 0;
  }

  /** Add a connection once the document is loaded: send our state vector and everyone's presence. */
  join(conn: Connection): void {
    this.members.set(conn, { changeCount: 0, refusedChanges: 0 });
    conn.send(encodeSyncStep1(this.document.stateVector()));
    const everyone = this.ownPresence?.everyoneFrame();
    if (everyone) conn.send(everyone);
  }

  /** Remove a connection (closed or dead): its presence goes for everyone at once. */
  leave(conn: Connection): void {
    if (!this.members.delete(conn)) return;
    this.ownPresence?.remove(conn);
    this.unloadIfIdle();
  }

  /** Unload when nobody is connected (also for a room loaded for a connection that left while it loaded). */
  unloadIfIdle(): void {
    if (this.members.size === 0 && this.holds === 0 && this.state === 'ready') void this.unload();
  }

  /** Handle one frame from a joined connection. */
  receive(conn: Connection, frame: Uint8Array): void {
    const member = this.members.get(conn);
    if (conn.closed || !member || this.state !== 'ready') return;
    try {
      const message = decodeClientMessage(frame);
      switch (message.kind) {
        case 'syncStep1':
          Y.decodeStateVector(message.stateVector); // validate now; the answer is computed at the next cut
          this.pendingBatch().step1Requests.set(conn, message.stateVector);
          this.scheduleCut();
          return;
        case 'update':
          return this.receiveUpdate(conn, member, message.update, frame);
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

  private receiveUpdate(conn: Connection, member: Member, update: Uint8Array, frame: Uint8Array): void {
    member.changeCount++;
    const empty = isEmptyUpdate(update);
    // Checked for read-only connections as well: malformed input closes any connection.
    const decoded = empty ? undefined : decodeClientUpdate(update);
    if (conn.identity.readOnly) {
      if (!decoded) return;
      this.document.ensure(); // compared with the document itself (readOnlyUpdates.ts)
      if (changesDocument(this.doc, decoded)) refuseReadOnlyChange(conn, member.refusedChanges++, this.deps.metrics.stats);
      return;
    }
    if (this.document.totalBytes + update.byteLength > this.deps.config.maxDocBytes) {
      this.deps.metrics.stats.reject('document-too-large');
      conn.close(CloseCode.DocumentTooLarge, `document would exceed ${this.deps.config.maxDocBytes} bytes`);
      return;
    }
    if (!empty) {
      // Applied at the next cut, with the rest of this turn's updates, in one transaction.
      // Relay the frame as an update even when it came as step 2: receivers treat both alike.
      this.pendingBatch().updates.push({ origin: conn, update, frame: frame[1] === SyncMessageType.Update ? frame : encodeSyncUpdate(update) });
      this.document.totalBytes += update.byteLength;
      this.history.edited(conn);
      this.deps.onEdited?.(this, conn);
    }
    if (conn.identity.wantsSavedAck) this.pendingBatch().acks.set(conn, member.changeCount);
    this.scheduleCut();
  }

  /**
   * Updates another server instance appended to this document (cluster mode): already stored, so
   * applied and relayed to every connection here at once.
   */
  private followed(append: FollowedAppend): void {
    if (this.state !== 'ready' && this.state !== 'unloading') return;
    let applied: ReturnType<RoomDocument['applyFollowed']>;
    try {
      applied = this.document.applyFollowed(append);
    } catch (error) {
      this.fail(error as Error, 'apply');
      return;
    }
    const { relay, restored } = applied;
    // Framed for the wire once, for every connection here.
    const wires = relay.map((update) => toWireFrame(encodeSyncUpdate(update)));
    for (const conn of this.members.keys()) conn.sendWire(wires);
    if (restored) {
      this.logRestored(restored);
      this.pendingBatch().applied.push(restored.update); // stored, then relayed, by the next cut
      this.scheduleCut();
    }
  }

  private remotePresence(instance: string, update: Uint8Array, holders: readonly PresenceHolder[]): void {
    try {
      this.presence.receiveRemote(instance, update, holders);
    } catch (error) {
      this.log.warn({ err: error, instance }, 'ignored a malformed presence update from another instance');
    }
  }

  broadcast(frame: Uint8Array): void {
    for (const conn of this.members.keys()) conn.send(frame);
  }

  publishPresence(update: Uint8Array, holders: readonly PresenceHolder[]): void {
    this.deps.presenceBus?.publish(this.name, update, holders);
  }

  private pendingBatch(): Batch {
    this.pending ??= emptyBatch();
    return this.pending;
  }

  private scheduleCut(): void {
    this.deps.pipeline.schedule(this);
  }

  private hasWork(): boolean {
    return batchHasWork(this.pending) || this.summary.owed || this.serverChanges.pending;
  }

  /**
   * Take everything pending and apply it; the pipeline writes what it returns and then calls
   * `stored`, which delivers. While a cut is in flight new work accumulates (group commit).
   */
  takeCut(): PreparedCut | undefined {
    if (this.state === 'closed' || this.busy || !this.hasWork()) return undefined;
    const batch = this.pending ?? emptyBatch();
    this.pending = undefined;
    const serverCut = this.serverChanges.pending;
    let applied: AppliedBatch;
    let answers: Array<{ conn: Connection; frames: Uint8Array[] }>;
    let server: RunServerChanges | undefined;
    try {
      if (serverCut || batch.updates.length > 0 || [...batch.step1Requests.values()].some((sv) => !isEmptyStateVector(sv))) this.document.ensure();
      applied = applyBatch(this.doc, batch.updates, batch.applied);
      for (const restored of applied.restorations) {
        this.document.totalBytes += restored.update.byteLength;
        this.logRestored(restored);
      }
      server = serverCut ? this.serverChanges.run(this.doc) : undefined;
      if (server?.update) {
        // The server's own changes: stored with the cut, relayed to everyone.
        applied.stored.push(server.update);
        applied.relay.push({ origin: undefined, frame: encodeSyncUpdate(server.update) });
        this.document.totalBytes += server.update.byteLength;
      }
      // The document now holds exactly what this batch and the ones before it store: answer step 1 from it.
      answers = [...batch.step1Requests].filter(([conn]) => !conn.closed).map(([conn, stateVector]) => ({ conn, frames: this.document.answer(stateVector) }));
    } catch (error) {
      // It decoded but could not be integrated (or Yjs could not encode the answer): memory may now
      // differ from storage. Start over from storage; this costs the room, not the process.
      server?.failed(error as Error);
      this.fail(error as Error, 'apply');
      return undefined;
    }
    this.busy = true;
    const append = applied.stored.length > 0 || this.summary.owed ? this.appendOf(applied) : undefined;
    const failed = (error: Error): void => {
      server?.failed(error);
      this.fail(error, 'write');
      this.settle();
    };
    return {
      append,
      stored: () => {
        if (append) this.document.appended(append);
        deliverBatch(this.members.keys(), applied, answers, batch.acks);
        server?.stored();
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

  /** What a cut appends to storage; the summary and state vector only when due (SummarySchedule.ts). */
  private appendOf(applied: AppliedBatch): DocAppend {
    const summaryDue = this.summary.takeDue();
    return {
      name: this.name,
      updates: applied.stored,
      stateVector: summaryDue ? Y.encodeStateVector(this.doc) : undefined,
      summary: summaryDue ? { title: this.document.title(), totalBytes: this.document.totalBytes } : undefined,
    };
  }

  private logRestored(restored: Restoration): void {
    this.log.info({ paragraphs: restored.paragraphs, characters: restored.characters }, 'restored words typed into deleted paragraphs');
  }

  private compactionDue(): boolean {
    return this.state !== 'closed' && this.document.compactionDue(this.deps.config);
  }

  private async compact(): Promise<void> {
    await this.document.compact(this.deps.store);
    this.deps.metrics.stats.compactions++;
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
    this.summary.oweNow();
    while (this.busy || this.hasWork()) {
      if (!this.busy) this.scheduleCut();
      await new Promise<void>((resolve) => this.settledWaiters.push(resolve));
      if (this.state !== 'unloading') return; // failed meanwhile
    }
    await this.ownHistory?.beforeUnload(); // a checkpoint of what changed since the last one
    if (this.state !== 'unloading') return;
    try {
      // A changed document leaves no log behind (only a crash does; recovery.ts merges that at the
      // next start). One nobody changed is left as it is: its state vector is stored, so the next
      // load is cheap, and applying it now only to compact would stall every other document.
      if (this.document.logCount > 0 && !this.document.lazy) await this.compact();
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
      for (const conn of this.members.keys()) conn.close(CloseCode.InternalError, 'document reset');
    } else {
      this.deps.metrics.stats.storageErrors++;
      this.log.error({ err: error, during }, `storage ${during} failed for document ${this.name}`);
      for (const conn of this.members.keys()) conn.close(CloseCode.StorageError, `storage ${during} failed`);
    }
    this.destroy();
  }

  /** Close every connection (server shutdown); pending writes still land. */
  async shutdown(): Promise<void> {
    for (const conn of this.members.keys()) conn.close(CloseCode.GoingAway);
    if (this.state === 'loading') await this.loaded.catch(() => {});
    if (this.state === 'ready') await this.unload();
    await this.closed;
  }

  private destroy(): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.summary.stop();
    for (const stop of this.unfollow.splice(0)) stop();
    this.members.clear();
    this.ownHistory?.dispose();
    this.serverChanges.rejectAll(new Error(`document ${this.name} was closed`));
    this.ownPresence?.destroy();
    this.document.destroy();
    this.deps.store.release(this.name);
    this.deps.onClosed(this);
    for (const wake of this.settledWaiters.splice(0)) wake();
    this.resolveClosed();
  }
}

/** An update with no structs and no deletions ([0, 0]): the stock client sends one on every connect. */
const isEmptyUpdate = (update: Uint8Array): boolean => update.byteLength === 2 && update[0] === 0 && update[1] === 0;
