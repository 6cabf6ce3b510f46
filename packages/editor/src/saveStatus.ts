import { decodeSyncMessage, isDocumentChangeMessage, SyncMessageType } from '@tandem/protocol';
import type { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { changeOfTransaction, changeOfUpdate, emptyChange, type Change } from './idRanges.js';
import type { WireTap } from './provider/connectionSocket.js';

/**
 * Where the document on screen is, as far as the sync server's own messages tell (PROTOCOL.md),
 * never guessed from a timer:
 *
 * - `saving`: connected; the document holds changes the server has not yet made durable.
 * - `saved`: connected; everything in the document is durable on the server.
 * - `offline-storing`: not connected; some changes the server lacks are still being written to
 *   this device (IndexedDB). They are not yet safe from a closed tab or a crash.
 * - `offline-unsaved`: not connected; the server lacks some changes, and every one of them is
 *   written to this device (or, without a local copy, kept in this tab only).
 * - `offline`: not connected; the server has everything.
 * - `error`: the editor could not keep the text on screen and the document in step (a plugin
 *   failed, see bindingGuard.ts); what is on screen may not be saved anywhere.
 *
 * "Changes" means every change in the document, whoever made it: this tab's typing, another
 * tab's typing that arrived through the BroadcastChannel, what was loaded from IndexedDB.
 */
export type SaveStatus = 'saving' | 'saved' | 'offline-storing' | 'offline-unsaved' | 'offline' | 'error';

/** What the tracker needs to know of the copy on this device (see localCopy.ts). */
export interface LocalWrites {
  /** True while some update handed to the local copy is not yet committed to IndexedDB. */
  readonly writing: boolean;
  /** True while the local copy cannot write (its last write failed): nothing new is kept there. */
  readonly failed: boolean;
  /** Call `listener` when `writing` or `failed` changes. Returns a function that stops it. */
  onChange(listener: () => void): () => void;
}

/** The document-change frames one connection sent that the server has not acknowledged yet. */
interface ConnectionLog {
  frames: Uint8Array[];
  /** How many frames were sent on this connection before `frames[0]`. */
  before: number;
}

type Waiter = { left: Change; resolve: () => void; reject: (error: Error) => void };

/**
 * Tracks which changes in the document the server is known to hold, as Yjs IDs: the document
 * is unsaved while it holds an inserted item or a deletion outside that knowledge.
 *
 * Every transaction adds what it changed to the unsaved set, except one that applies a message from
 * the server (what it changes, the server holds or will, see onTransaction). The set shrinks by what the server
 * is known to hold: everything it sent over the WebSocket (its sync step 1 names its state
 * vector; its step 2 and updates carry items and deletions), and every document-change frame
 * this client sent once the server acknowledges the frame as durable (Tandem's Saved message).
 * Nothing that arrives through the BroadcastChannel counts: another tab's words are unsaved here
 * until the server has them, so no tab calls them saved while the server lacks them.
 *
 * Cheap on large documents: the sets hold clock ranges, and a burst of typing is one range;
 * frames are decoded only when they are acknowledged while something is unsaved.
 */
export class SaveTracker implements WireTap {
  private readonly unsaved: Change = emptyChange();
  private provider: WebsocketProvider | undefined;
  private readonly logs = new WeakMap<object, ConnectionLog>();
  /** The connection that sent or received last: the provider's current one. */
  private latest: object | undefined;
  private readonly listeners = new Set<(status: SaveStatus) => void>();
  private waiters: Waiter[] = [];
  private current: SaveStatus;
  private destroyed = false;
  private bindingFailed = false;
  private local: LocalWrites | undefined;
  private stopLocal: (() => void) | undefined;
  /** True while a message from the server is applied: its changes are settled right after. */
  private receiving = false;
  private readonly onTransaction = (transaction: Y.Transaction) => {
    if (!this.tracking) return;
    // The transaction that applies a message from the server changes nothing the server lacks: the
    // items and deletions it carries, and the deletions they imply (words someone typed into a
    // paragraph this editor deleted are deleted on arrival, here as on the server, once it has
    // this editor's deletion, itself tracked until then).
    if (this.receiving && this.provider !== undefined && transaction.origin === this.provider) return;
    const change = changeOfTransaction(transaction);
    if (!change) return;
    this.unsaved.inserted.addAll(change.inserted);
    this.unsaved.deleted.addAll(change.deleted);
  };
  // After every handler of the transaction's update has run (the local copy's among them, which
  // starts writing it), so that the status never says "kept" for a change not yet handed over.
  private readonly afterTransactions = () => {
    if (!this.receiving) this.refresh();
  };
  private readonly onStatus = () => this.refresh();

  /**
   * @param doc the document whose changes are tracked
   * @param tracking false for read-only editors: nothing they hold is theirs to save
   */
  constructor(
    private readonly doc: Y.Doc,
    private readonly tracking = true,
  ) {
    doc.on('afterTransaction', this.onTransaction);
    doc.on('afterAllTransactions', this.afterTransactions);
    this.current = this.compute();
  }

  /** Start listening to `provider`'s connection status. What its server sends comes through the {@link WireTap} methods. */
  attach(provider: WebsocketProvider): void {
    this.provider = provider;
    provider.on('status', this.onStatus);
    this.refresh();
  }

  /** Follow the copy on this device: while it writes, unsaved changes are not yet kept there. */
  attachLocalCopy(local: LocalWrites): void {
    this.stopLocal?.();
    this.local = local;
    this.stopLocal = local.onChange(() => this.refresh());
    this.refresh();
  }

  /** The editor could (true) or could again (false) not keep the text on screen and the document in step. */
  setBindingFailed(failed: boolean): void {
    this.bindingFailed = failed;
    this.refresh();
  }

  /** The current {@link SaveStatus}. */
  get status(): SaveStatus {
    return this.current;
  }

  /** True while the document holds a change the server has not made durable, or the binding failed. */
  get hasUnsavedChanges(): boolean {
    return this.bindingFailed || !isEmpty(this.unsaved);
  }

  /** Call `listener` whenever the status changes. Returns a function that stops it. */
  onChange(listener: (status: SaveStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Resolves once every change the document holds at the time of the call is durable on the
   * server (at once when there is none). Rejects if the tracker is destroyed first.
   */
  whenSaved(): Promise<void> {
    if (this.destroyed) return Promise.reject(new Error('The editor is destroyed'));
    if (isEmpty(this.unsaved)) return Promise.resolve();
    const left = { inserted: this.unsaved.inserted.clone(), deleted: this.unsaved.deleted.clone() };
    return new Promise((resolve, reject) => this.waiters.push({ left, resolve, reject }));
  }

  /** A frame this client sent on `connection` (WireTap). */
  frameSent(connection: object, frame: Uint8Array): void {
    this.latest = connection;
    if (!isDocumentChangeMessage(frame)) return;
    let log = this.logs.get(connection);
    if (!log) {
      log = { frames: [], before: 0 };
      this.logs.set(connection, log);
    }
    log.frames.push(frame);
  }

  /** The server made the first `count` document-change frames sent on `connection` durable (WireTap). */
  savedAck(connection: object, count: number): void {
    const log = this.logs.get(connection);
    if (!log || count <= log.before) return;
    // A count beyond what was sent cannot be ours to trust; take what we can account for.
    const durable = log.frames.splice(0, Math.min(count - log.before, log.frames.length));
    log.before += durable.length;
    for (const frame of durable) {
      if (!this.hasSomethingToSettle) break;
      this.settle(changeOfFrame(frame));
    }
    this.refresh();
  }

  /**
   * The server sent `frame` on `connection` (WireTap): what it names, it holds. The changes it
   * carries are settled right after `deliver()` applies them, before anyone hears of a status.
   * Nothing that arrives through the BroadcastChannel comes here.
   */
  frameReceived(connection: object, frame: Uint8Array, deliver: () => void): void {
    this.latest = connection;
    this.receiving = true;
    try {
      deliver();
    } finally {
      this.receiving = false;
    }
    this.serverSent(frame);
  }

  /** Stop listening; pending {@link whenSaved} promises reject. */
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.doc.off('afterTransaction', this.onTransaction);
    this.doc.off('afterAllTransactions', this.afterTransactions);
    this.provider?.off('status', this.onStatus);
    this.stopLocal?.();
    this.listeners.clear();
    const error = new Error('The editor was destroyed before these changes were saved');
    this.waiters.splice(0).forEach((w) => w.reject(error));
  }

  /** Drop the current connection's unacknowledged frames, keeping the count they started at. */
  private forgetFrames(): void {
    const log = this.latest ? this.logs.get(this.latest) : undefined;
    if (!log || log.frames.length === 0) return;
    log.before += log.frames.length;
    log.frames = [];
  }

  /** A message from the server: if it is a sync message, the server holds what it names. */
  private serverSent(frame: Uint8Array): void {
    if (this.hasSomethingToSettle) {
      const message = decodeSyncMessage(frame);
      try {
        if (message?.syncType === SyncMessageType.Step1) this.settleBelow(Y.decodeStateVector(message.payload));
        else if (message) this.settle(changeOfUpdate(message.payload));
      } catch {
        // A message Yjs could not read tells nothing about what the server holds.
      }
    }
    this.refresh();
  }

  private get hasSomethingToSettle(): boolean {
    return !isEmpty(this.unsaved) || this.waiters.length > 0;
  }

  /** The server holds `change`. */
  private settle(change: Change): void {
    for (const set of [this.unsaved, ...this.waiters.map((w) => w.left)]) {
      set.inserted.removeAll(change.inserted);
      set.deleted.removeAll(change.deleted);
    }
  }

  /** The server holds every item below its state vector `sv`. */
  private settleBelow(sv: Map<number, number>): void {
    for (const set of [this.unsaved, ...this.waiters.map((w) => w.left)]) set.inserted.removeBelow(sv);
  }

  private compute(): SaveStatus {
    if (this.bindingFailed) return 'error';
    const unsaved = !isEmpty(this.unsaved);
    if (this.provider?.wsconnected) return unsaved ? 'saving' : 'saved';
    if (!unsaved) return 'offline';
    return this.local && this.local.writing && !this.local.failed ? 'offline-storing' : 'offline-unsaved';
  }

  private refresh(): void {
    if (this.destroyed) return;
    // Nothing left to settle: the frames kept for acknowledgements have nothing more to tell.
    if (!this.hasSomethingToSettle) this.forgetFrames();
    if (this.waiters.length) {
      const still: Waiter[] = [];
      for (const waiter of this.waiters) {
        if (isEmpty(waiter.left)) waiter.resolve();
        else still.push(waiter);
      }
      this.waiters = still;
    }
    const next = this.compute();
    if (next === this.current) return;
    this.current = next;
    for (const listener of [...this.listeners]) listener(next);
  }
}

function isEmpty(change: Change): boolean {
  return change.inserted.isEmpty && change.deleted.isEmpty;
}

/** What a document-change frame this client sent carries. */
function changeOfFrame(frame: Uint8Array): Change {
  const message = decodeSyncMessage(frame);
  if (!message) return emptyChange();
  try {
    return changeOfUpdate(message.payload);
  } catch {
    return emptyChange();
  }
}
