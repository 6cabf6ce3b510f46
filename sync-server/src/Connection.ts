/**
 * One client's WebSocket: what it sends goes to its room (held back until the room is loaded),
 * sending (corked), closing with named codes, per-connection limits, token expiry and the
 * heartbeat flag. What the messages mean, and what a room keeps per connection, is the Room's
 * (and its Presence's) business. A quiet connection is this
 * object, its ServerSocket and the TCP socket: no closures, nothing allocated before it is used.
 */
import { CloseCode, type CloseCodeEntry, type LinkClaim, MessageType, closeCodeName } from '@tandem/protocol';
import { randomInt } from 'node:crypto';
import type { Socket } from 'node:net';
import type { Logger } from 'pino';
import type { MessageRateLimiter } from './limits.js';
import type { ServerStats } from './metrics.js';
import type { Room } from './Room.js';
import { CloseStatus } from './websocket/rfc6455.js';
import { ServerSocket, type WebSocketEvents } from './websocket/ServerSocket.js';

/** Who is on the other end, as the upgrade established it. */
export interface ConnectionIdentity {
  docName: string;
  /** The real client address (or the trusted proxy's forwarded one). */
  remoteAddress: string;
  /** Token subject in auth mode; undefined in open mode. */
  userId: string | undefined;
  /** The token's `name`, if it has one. */
  userName: string | undefined;
  readOnly: boolean;
  /** The client opted in to Saved acknowledgements. */
  wantsSavedAck: boolean;
  /** Milliseconds since the epoch when the token expires, if it does. */
  expiresAt: number | undefined;
  /** The share link the token was minted from, if any: its connections close when that link is rotated. */
  link: LinkClaim | undefined;
}

/** What every connection of one server shares: given to each, so none needs closures of its own. */
export interface ConnectionServices {
  readonly stats: ServerStats;
  readonly logger: Logger;
  readonly maxMessageBytes: number;
  /** Bytes that may wait to be sent to one connection, beyond the sync answer it is reading. */
  readonly maxSendBacklogBytes: number;
  /** The socket has closed: forget the connection and give back its address's slot. */
  forget(conn: Connection): void;
}

/** The longest delay setTimeout honours. */
const MAX_TIMER_MS = 2 ** 31 - 1;

let nextConnectionId = 1;

export class Connection implements WebSocketEvents {
  readonly id = nextConnectionId++;
  readonly socket: ServerSocket;
  /** Cleared on every ping, set by the pong that echoes it; a ping that finds it cleared ends the connection. */
  alive = true;
  closed = false;
  /**
   * Set while the connection waits for its token as its first message (authByMessage.ts): that
   * frame goes here, and the ones after it wait with the others until the connection enters a room.
   */
  awaitingToken: ((frame: Buffer) => void) | undefined = undefined;
  /** Set once a connection that sent its token as a message is admitted: takes later Token messages (renewals, authByMessage.ts). */
  tokenRenewal: ((frame: Buffer) => void) | undefined = undefined;
  private room: Room | undefined = undefined;
  /** Frames that came before the room was loaded, in order. */
  private early: Buffer[] | undefined = undefined;
  private expiryTimer: NodeJS.Timeout | undefined = undefined;
  private childLog: Logger | undefined = undefined;
  /** The random payload of the last ping: only a pong that echoes it counts. */
  private pingNonce = 0;
  /** The last sync answer sent: its size, and where it ends in the outgoing stream (see outstandingAnswerBytes). */
  private answerBytes = 0;
  private answerEndsAt = 0;

  constructor(
    tcp: Socket,
    head: Buffer,
    readonly identity: ConnectionIdentity,
    private readonly services: ConnectionServices,
    private readonly rateLimiter: MessageRateLimiter | undefined,
  ) {
    this.socket = new ServerSocket(tcp, head, this, services.maxMessageBytes);
    if (identity.expiresAt !== undefined) this.watchExpiry();
  }

  /** This connection's logger, made on first use: most connections never log a line. */
  get log(): Logger {
    this.childLog ??= this.services.logger.child({ doc: this.identity.docName, conn: this.id });
    return this.childLog;
  }

  get docName(): string {
    return this.identity.docName;
  }

  /** The document is loaded: join its room and hand it what arrived meanwhile. */
  enter(room: Room): void {
    this.room = room;
    room.join(this);
    const early = this.early;
    this.early = undefined;
    if (early) for (const frame of early) room.receive(this, frame);
  }

  onMessage(data: Buffer, isBinary: boolean): void {
    if (this.closed || !this.admit(data.byteLength)) return;
    if (!isBinary) return this.close(CloseCode.MalformedMessage, 'text frame');
    const takeToken = this.awaitingToken;
    if (takeToken) {
      this.awaitingToken = undefined;
      return takeToken(data);
    }
    if (this.tokenRenewal && data[0] === MessageType.Token) return this.tokenRenewal(data);
    if (this.room) this.room.receive(this, data);
    else (this.early ??= []).push(data);
  }

  /**
   * Only the echo of our last ping proves the client reads: a client that has stopped reading
   * could otherwise keep itself alive by sending pongs of its own.
   */
  onPong(payload: Buffer): void {
    if (payload.byteLength === 4 && payload.readUInt32BE(0) === this.pingNonce) this.alive = true;
  }

  onProtocolError(status: number, message: string): void {
    this.services.stats.closed(status === CloseStatus.MessageTooBig ? 'MessageTooBig' : 'ProtocolError');
    this.log.warn({ err: message }, 'connection error');
  }

  onClose(): void {
    this.closed = true;
    clearTimeout(this.expiryTimer);
    this.services.forget(this);
    this.room?.leave(this);
    if (this.services.logger.isLevelEnabled('debug')) this.log.debug('connection closed');
  }

  /** Count an incoming message against the rate limit; false (and closed) when over it. */
  private admit(byteLength: number): boolean {
    const { stats } = this.services;
    stats.messagesIn++;
    stats.bytesIn += byteLength;
    if (this.rateLimiter && !this.rateLimiter.take()) {
      stats.reject('rate-limit');
      this.close(CloseCode.RateLimited);
      return false;
    }
    return true;
  }

  send(frame: Uint8Array): void {
    if (this.closed || this.droppedAsTooSlow() || !this.socket.send(frame)) return;
    this.services.stats.messagesOut++;
    this.services.stats.bytesOut += frame.byteLength;
  }

  /** Send frames already framed for the wire by `toWireFrame`, corked into one TCP write; false when not sent. */
  sendWire(wireFrames: readonly Buffer[]): boolean {
    if (this.closed || wireFrames.length === 0 || this.droppedAsTooSlow() || !this.socket.sendFrames(wireFrames)) return false;
    const { stats } = this.services;
    for (const wire of wireFrames) {
      stats.messagesOut++;
      stats.bytesOut += wire.byteLength;
    }
    return true;
  }

  /**
   * Send a sync answer (the document, or what the client lacks of it). A client may take its time
   * to read one answer, however large: until it has, that answer does not count against
   * --max-send-backlog-bytes. Only the latest answer has that allowance, and it shrinks as the
   * bytes leave, so a client that asks again and again without reading piles up backlog like any
   * other (a view-only client sending 400 sync step 1s on a 2 MiB document once held 1.7 GB).
   */
  sendAnswer(wireFrames: readonly Buffer[]): void {
    if (!this.sendWire(wireFrames)) return;
    this.answerBytes = 0;
    for (const wire of wireFrames) this.answerBytes += wire.byteLength;
    this.answerEndsAt = this.socket.writtenBytes;
  }

  /** Bytes of the latest sync answer not yet taken by the kernel. */
  private get outstandingAnswerBytes(): number {
    return Math.min(this.answerBytes, Math.max(0, this.answerEndsAt - this.socket.flushedBytes));
  }

  /** Bytes waiting to be sent to this connection beyond the sync answer it may still be reading. */
  get backlogBytes(): number {
    return Math.max(0, this.socket.unsentBytes - this.outstandingAnswerBytes);
  }

  /** Every byte waiting to be sent to this connection, answers included: what the server-wide limit counts. */
  get heldBytes(): number {
    return this.socket.unsentBytes;
  }

  /**
   * A client that stops reading would make the server hold everything sent to it until the
   * heartbeat notices: past the limit, drop it. True when dropped now.
   */
  private droppedAsTooSlow(): boolean {
    const { maxSendBacklogBytes, maxMessageBytes } = this.services;
    if (this.backlogBytes <= Math.max(maxSendBacklogBytes, maxMessageBytes)) return false;
    this.dropAsTooSlow('it reads too slowly, bytes are piling up for it');
    return true;
  }

  /** Drop a connection whose client does not read what is sent to it: it reconnects and syncs what it lacks, so nothing is lost. */
  dropAsTooSlow(why: string): void {
    if (this.closed) return;
    this.closed = true;
    this.services.stats.reject('too-slow-reader');
    this.log.warn({ buffered: this.socket.unsentBytes }, `terminating connection: ${why}`);
    this.socket.terminate();
  }

  /** A heartbeat with a fresh random payload: its echo must come before the next one. */
  ping(): void {
    this.alive = false;
    this.pingNonce = randomInt(2 ** 32);
    const payload = Buffer.allocUnsafe(4);
    payload.writeUInt32BE(this.pingNonce, 0);
    this.socket.ping(payload);
  }

  /** Close with a named code; logs why. Safe to call more than once. */
  close(entry: CloseCodeEntry, detail?: string): void {
    if (this.closed) return;
    this.closed = true;
    const name = closeCodeName(entry.code) ?? String(entry.code);
    this.services.stats.closed(name);
    const level = entry.code === CloseCode.Normal.code || entry.code === CloseCode.GoingAway.code ? 'debug' : 'warn';
    this.log[level]({ code: entry.code, closeReason: name, detail }, `closing connection: ${entry.reason}`);
    this.socket.close(entry.code, entry.reason);
  }

  /** Drop the socket at once, without a closing handshake (dead peer). */
  terminate(): void {
    if (!this.closed) {
      this.closed = true;
      this.services.stats.closed(closeCodeName(CloseCode.HeartbeatTimeout.code)!);
      this.log.warn('terminating connection: missed heartbeat');
    }
    this.socket.terminate();
  }

  /** The token came after the upgrade (as the first message): take what it grants. */
  authorize(grant: { userId: string; name: string | undefined; access: 'read' | 'write'; expiresAt: number; link: LinkClaim | undefined }): void {
    this.identity.userId = grant.userId;
    this.identity.userName = grant.name;
    this.identity.link = grant.link;
    this.identity.readOnly = grant.access === 'read';
    this.renewExpiry(grant.expiresAt);
  }

  /** The connection now lives by a later token: close when that one expires. */
  renewExpiry(expiresAt: number): void {
    clearTimeout(this.expiryTimer);
    this.identity.expiresAt = expiresAt;
    this.watchExpiry();
  }

  /** Close when the token expires. setTimeout fires at once past 2^31-1 ms (~24.8 days): wait in steps. */
  private watchExpiry(): void {
    const remaining = this.identity.expiresAt! - Date.now();
    if (remaining <= 0) return this.close(CloseCode.TokenExpired);
    this.expiryTimer = setTimeout(() => this.watchExpiry(), Math.min(remaining, MAX_TIMER_MS));
  }
}
