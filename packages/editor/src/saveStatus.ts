import { MessageType, SAVED_ACK_PARAM, SyncMessageType } from '@tandem/protocol';
import * as decoding from 'lib0/decoding';
import type { WebsocketProvider } from 'y-websocket';
import type * as Y from 'yjs';

/**
 * Where this person's own edits are, as the sync server's Saved acknowledgements tell it
 * (PROTOCOL.md), never guessed from a timer:
 *
 * - `saving`: connected; some edits are on their way and not yet durable on the server.
 * - `saved`: connected; every edit made here is durable on the server.
 * - `offline-unsaved`: not connected; some edits exist only on this device (in IndexedDB when
 *   offline persistence is on, else only in this tab) and will be sent once the connection is back.
 * - `offline`: not connected; nothing unsaved.
 */
export type SaveStatus = 'saving' | 'saved' | 'offline-unsaved' | 'offline';

/** URL parameters that opt a connection in to Saved acknowledgements. */
export const SAVED_ACK_PARAMS: Readonly<Record<string, string>> = { [SAVED_ACK_PARAM]: '1' };

/** What one connection has sent: the frames the server's count refers to. */
interface ConnectionLog {
  /** For each document-change frame sent, in order: the local edit sequence number at send time. */
  sentAt: number[];
  /** How many frames at the front of `sentAt` were dropped (already acknowledged). */
  dropped: number;
  /** Frame number (from 1) of the first sync step 2 sent on this connection; 0 while none was. */
  step2Frame: number;
  /** Highest count acknowledged so far. */
  acked: number;
}

type Waiter = { target: number; resolve: () => void; reject: (error: Error) => void };

/**
 * Keeps count of this client's own edits and of which of them the server has acknowledged as
 * durable. Local edits are Yjs `update` events whose origin is not the provider (typing, undo,
 * the title, updates loaded from IndexedDB); updates that came from the server or from another
 * tab through the provider are someone else's to save.
 *
 * How an acknowledgement maps to edits: every document-change frame this client sends records
 * the local edit sequence number at send time. A frame's record is a promise only once the
 * connection's sync step 2 is among the acknowledged frames: step 2 carries everything the server
 * lacked when it was sent, and every local edit after it goes out as an update frame on the same
 * connection. So an acknowledgement of `count ≥ step 2's frame` means every local edit up to the
 * record of frame `count` is durable. A new connection starts a new count.
 *
 * Create it before the provider: its `update` listener must run before the provider's, so that
 * an update frame sent for an edit records that edit.
 */
export class SaveTracker {
  private localSeq = 0;
  private savedSeq = 0;
  private provider: WebsocketProvider | undefined;
  private readonly logs = new WeakMap<object, ConnectionLog>();
  /** The socket constructed last: the one behind the provider's current connection. */
  private latest: object | undefined;
  private readonly listeners = new Set<(status: SaveStatus) => void>();
  private waiters: Waiter[] = [];
  private current: SaveStatus;
  private destroyed = false;
  private readonly onUpdate = (_update: Uint8Array, origin: unknown) => {
    if (!this.tracking || (this.provider && origin === this.provider)) return;
    this.localSeq++;
    this.refresh();
  };
  private readonly onStatus = () => this.refresh();

  /**
   * @param doc the document whose local edits are counted
   * @param tracking false for read-only editors: nothing they do is an edit to save
   */
  constructor(
    private readonly doc: Y.Doc,
    private readonly tracking = true,
  ) {
    doc.on('update', this.onUpdate);
    this.current = this.compute();
  }

  /**
   * A WebSocket class, derived from `Base`, whose `send` records each document-change frame for
   * the acknowledgement count. Pass it to the provider as `WebSocketPolyfill`.
   */
  webSocketClass(Base: typeof WebSocket): typeof WebSocket {
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const tracker = this;
    return class TrackedWebSocket extends Base {
      constructor(url: string | URL, protocols?: string | string[]) {
        super(url, protocols);
        tracker.latest = this;
      }

      override send(data: string | ArrayBufferLike | Blob | ArrayBufferView): void {
        super.send(data as ArrayBufferView);
        if (data instanceof Uint8Array) tracker.frameSent(this, data);
      }
    };
  }

  /** Start listening to `provider`: its connection status and its Saved messages. */
  attach(provider: WebsocketProvider): void {
    this.provider = provider;
    // The provider only reads messages of its current connection, and that connection's real
    // socket is the one constructed last (a wrapper, such as the token refresher's, may stand
    // between the provider and it).
    provider.messageHandlers[MessageType.Saved] = (_encoder, decoder) => {
      this.acknowledge(this.latest ?? null, decoding.readVarUint(decoder));
    };
    provider.on('status', this.onStatus);
    this.refresh();
  }

  /** The current {@link SaveStatus}. */
  get status(): SaveStatus {
    return this.current;
  }

  /** True while some edit made here is not yet durable on the server. */
  get hasUnsavedEdits(): boolean {
    return this.localSeq > this.savedSeq;
  }

  /** Call `listener` whenever the status changes. Returns a function that stops it. */
  onChange(listener: (status: SaveStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Resolves once every edit made here before the call is durable on the server (at once when
   * there is none). Rejects if the tracker is destroyed first.
   */
  whenSaved(): Promise<void> {
    if (this.destroyed) return Promise.reject(new Error('The editor is destroyed'));
    const target = this.localSeq;
    if (this.savedSeq >= target) return Promise.resolve();
    return new Promise((resolve, reject) => this.waiters.push({ target, resolve, reject }));
  }

  /** Record a frame sent on `socket` (called by the WebSocket class). */
  frameSent(socket: object, frame: Uint8Array): void {
    const kind = changeKind(frame);
    if (kind === undefined) return;
    let log = this.logs.get(socket);
    if (!log) {
      log = { sentAt: [], dropped: 0, step2Frame: 0, acked: 0 };
      this.logs.set(socket, log);
    }
    log.sentAt.push(this.localSeq);
    if (kind === SyncMessageType.Step2 && log.step2Frame === 0) log.step2Frame = log.dropped + log.sentAt.length;
  }

  /** The server made the first `count` document-change frames sent on `socket` durable. */
  acknowledge(socket: object | null, count: number): void {
    const log = socket ? this.logs.get(socket) : undefined;
    if (!log || count <= log.acked) return;
    const sent = log.dropped + log.sentAt.length;
    // A count beyond what was sent cannot be ours to trust; take what we can account for.
    log.acked = Math.min(count, sent);
    if (log.step2Frame === 0 || log.acked < log.step2Frame) return;
    const covered = log.sentAt[log.acked - 1 - log.dropped]!;
    const drop = log.acked - log.dropped - 1;
    if (drop > 0) {
      log.sentAt.splice(0, drop);
      log.dropped += drop;
    }
    if (covered > this.savedSeq) {
      this.savedSeq = covered;
      this.refresh();
    }
  }

  /** Stop listening; pending {@link whenSaved} promises reject. */
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.doc.off('update', this.onUpdate);
    this.provider?.off('status', this.onStatus);
    this.listeners.clear();
    const error = new Error('The editor was destroyed before these changes were saved');
    this.waiters.splice(0).forEach((w) => w.reject(error));
  }

  private compute(): SaveStatus {
    const connected = !!this.provider?.wsconnected;
    const unsaved = this.hasUnsavedEdits;
    if (connected) return unsaved ? 'saving' : 'saved';
    return unsaved ? 'offline-unsaved' : 'offline';
  }

  private refresh(): void {
    if (this.destroyed) return;
    if (this.waiters.length) {
      const still: Waiter[] = [];
      for (const waiter of this.waiters) {
        if (waiter.target <= this.savedSeq) waiter.resolve();
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

/** The sync sub-type of a document-change frame (step 2 or update), else undefined. */
function changeKind(frame: Uint8Array): number | undefined {
  try {
    const decoder = decoding.createDecoder(frame);
    if (decoding.readVarUint(decoder) !== MessageType.Sync) return undefined;
    const kind = decoding.readVarUint(decoder);
    return kind === SyncMessageType.Step2 || kind === SyncMessageType.Update ? kind : undefined;
  } catch {
    return undefined;
  }
}
