/**
 * One client's WebSocket: sending (corked), closing with named codes, per-connection limits and
 * the heartbeat flag. What the messages mean is the Room's business.
 */
import { CloseCode, type CloseCodeEntry, closeCodeName } from '@tandem/protocol';
import type { Socket } from 'node:net';
import type { Logger } from 'pino';
import type { WebSocket } from 'ws';
import type { MessageRateLimiter } from './limits.js';
import type { ServerStats } from './metrics.js';

/** Who is on the other end, as the upgrade established it. */
export interface ConnectionIdentity {
  docName: string;
  /** The real client address (or the trusted proxy's forwarded one). */
  remoteAddress: string;
  /** Token subject in auth mode; undefined in open mode. */
  userId: string | undefined;
  readOnly: boolean;
  /** The client opted in to Saved acknowledgements. */
  wantsSavedAck: boolean;
  /** Milliseconds since the epoch when the token expires, if it does. */
  expiresAt: number | undefined;
}

let nextConnectionId = 1;

export class Connection {
  readonly id = nextConnectionId++;
  /** Awareness client IDs this connection has set and may change or remove. */
  readonly awarenessIds = new Set<number>();
  /** Document-change frames (sync step 2 / update) received, for Saved acknowledgements. */
  changeCount = 0;
  /** Cleared on every ping, set by the pong; a ping that finds it cleared ends the connection. */
  alive = true;
  closed = false;
  private childLog: Logger | undefined;

  constructor(
    readonly socket: WebSocket,
    readonly identity: ConnectionIdentity,
    private readonly stats: ServerStats,
    private readonly rateLimiter: MessageRateLimiter | undefined,
    private readonly logger: Logger,
  ) {}

  /** This connection's logger, made on first use: most connections never log a line. */
  get log(): Logger {
    this.childLog ??= this.logger.child({ doc: this.identity.docName, conn: this.id });
    return this.childLog;
  }

  get docName(): string {
    return this.identity.docName;
  }

  /** Count an incoming message against the rate limit; false (and closed) when over it. */
  admit(byteLength: number): boolean {
    this.stats.messagesIn++;
    this.stats.bytesIn += byteLength;
    if (this.rateLimiter && !this.rateLimiter.take()) {
      this.stats.reject('rate-limit');
      this.close(CloseCode.RateLimited);
      return false;
    }
    return true;
  }

  send(frame: Uint8Array): void {
    if (this.closed) return;
    this.stats.messagesOut++;
    this.stats.bytesOut += frame.byteLength;
    this.socket.send(frame, { binary: true });
  }

  /**
   * Send frames already framed for the wire by `toWireFrame`, several corked into one TCP write.
   * Bypasses ws's per-send framing; sound because permessage-deflate is off (see wireFrame.ts).
   */
  sendWire(wireFrames: readonly Buffer[]): void {
    if (this.closed || wireFrames.length === 0 || this.socket.readyState !== this.socket.OPEN) return;
    const tcp = (this.socket as unknown as { _socket: Socket })._socket;
    this.stats.messagesOut += wireFrames.length;
    if (wireFrames.length === 1) {
      // One frame (the common case): corking would only add a buffered request to unwind.
      this.stats.bytesOut += wireFrames[0]!.byteLength;
      tcp.write(wireFrames[0]!);
      return;
    }
    tcp.cork();
    for (const wire of wireFrames) {
      this.stats.bytesOut += wire.byteLength;
      tcp.write(wire);
    }
    tcp.uncork();
  }

  /** Close with a named code; logs why. Safe to call more than once. */
  close(entry: CloseCodeEntry, detail?: string): void {
    if (this.closed) return;
    this.closed = true;
    const name = closeCodeName(entry.code) ?? String(entry.code);
    this.stats.closed(name);
    const level = entry.code === CloseCode.Normal.code || entry.code === CloseCode.GoingAway.code ? 'debug' : 'warn';
    this.log[level]({ code: entry.code, closeReason: name, detail }, `closing connection: ${entry.reason}`);
    this.socket.close(entry.code, entry.reason);
  }

  /** Drop the socket at once, without a closing handshake (dead peer). */
  terminate(): void {
    if (!this.closed) {
      this.closed = true;
      this.stats.closed(closeCodeName(CloseCode.HeartbeatTimeout.code)!);
      this.log.warn('terminating connection: missed heartbeat');
    }
    this.socket.terminate();
  }
}
