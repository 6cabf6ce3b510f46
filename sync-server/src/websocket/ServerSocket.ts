/**
 * One server-side WebSocket over a socket the HTTP server upgraded: frames in through the parser it
 * extends, frames out written straight to the socket, pings, and the closing handshake with a
 * timeout. It listens through module-level functions that find it on the socket, so a connection
 * costs this one object and no closures of its own.
 */
import { isUtf8 } from 'node:buffer';
import type { Socket } from 'node:net';
import { FrameParser } from './frameParser.js';
import { closePayload, encodeFrame } from './frameWriter.js';
import { CloseStatus, Opcode, isValidCloseCode } from './rfc6455.js';

/** What the owner of a ServerSocket hears. */
export interface WebSocketEvents {
  /** A whole message; `isBinary` false for a text message. */
  onMessage(data: Buffer, isBinary: boolean): void;
  /** A pong arrived, with the payload the client echoed. */
  onPong(payload: Buffer): void;
  /** The client broke the protocol; the socket is already closing with `status` (1002, 1007 or 1009). */
  onProtocolError(status: number, message: string): void;
  /** The TCP connection is gone. Called once. */
  onClose(): void;
}

/** How long a client has, once a close frame is sent, to hang up before the socket is dropped. */
const CLOSE_TIMEOUT_MS = 10_000;

const OPEN = 0;
/** Our close frame is sent (first, or as the answer to the client's): no more messages either way. */
const CLOSING = 1;
const CLOSED = 2;

const owner = Symbol('ServerSocket');

export class ServerSocket extends FrameParser {
  private state = OPEN;
  private closeTimer: NodeJS.Timeout | undefined = undefined;
  /** Every byte handed to the TCP socket so far, control frames included. */
  private written = 0;

  /**
   * Take over `socket` once the 101 answer is written. `head` is what the client sent after its
   * request (the HTTP server read it already).
   */
  constructor(
    private readonly socket: Socket,
    head: Buffer,
    private readonly events: WebSocketEvents,
    maxMessageBytes: number,
  ) {
    super(maxMessageBytes);
    (socket as SocketWithOwner)[owner] = this;
    socket.setNoDelay(true);
    // A client that hangs up without a close frame gets our FIN back at once (an HTTP server's
    // sockets are half-open capable); the stream does it, so no 'end' listener is needed.
    socket.allowHalfOpen = false;
    if (head.length > 0) socket.unshift(head);
    socket.on('data', onSocketData);
    socket.on('error', onSocketError);
    socket.on('close', onSocketClose);
  }

  /** Open: no close frame sent or received, and the socket still writable. */
  get isOpen(): boolean {
    return this.state === OPEN && this.socket.writable;
  }

  /** Bytes written but not yet taken by the kernel: what a slow reader makes us hold. */
  get unsentBytes(): number {
    return this.socket.writableLength;
  }

  /** Bytes written so far (a position in the outgoing stream). */
  get writtenBytes(): number {
    return this.written;
  }

  /** Bytes the kernel has taken so far: the outgoing stream up to here has left this process. */
  get flushedBytes(): number {
    return this.written - this.socket.writableLength;
  }

  /** Send one binary message. */
  send(message: Uint8Array): boolean {
    if (!this.isOpen) return false;
    this.write(encodeFrame(Opcode.Binary, message));
    return true;
  }

  /** Write frames already framed for the wire (see frameWriter.ts), several corked into one TCP write. */
  sendFrames(frames: readonly Buffer[]): boolean {
    if (!this.isOpen) return false;
    if (frames.length === 1) {
      // One frame (the common case): corking would only add a buffered request to unwind.
      this.write(frames[0]!);
      return true;
    }
    this.socket.cork();
    for (const frame of frames) this.write(frame);
    this.socket.uncork();
    return true;
  }

  /** Send a ping carrying `payload` (at most 125 bytes), which the client must echo in its pong. */
  ping(payload: Buffer): void {
    if (this.isOpen) this.write(encodeFrame(Opcode.Ping, payload));
  }

  private write(bytes: Buffer): void {
    this.written += bytes.byteLength;
    this.socket.write(bytes);
  }

  /** Start the closing handshake; the socket closes when the client answers, or after a timeout. */
  close(code: number, reason: string): void {
    if (this.state === OPEN) this.sendClose(closePayload(code, reason));
  }

  /** Drop the TCP connection now, with no closing handshake. */
  terminate(): void {
    this.socket.destroy();
  }

  protected onMessage(payload: Buffer, isBinary: boolean): void {
    if (this.state === OPEN) this.events.onMessage(payload, isBinary);
  }

  protected onControlFrame(opcode: number, payload: Buffer): void {
    if (opcode === Opcode.Ping) {
      if (this.isOpen) this.write(encodeFrame(Opcode.Pong, payload));
    } else if (opcode === Opcode.Pong) {
      this.events.onPong(payload);
    } else {
      this.receiveClose(payload);
    }
  }

  protected onProtocolError(status: number, message: string): void {
    if (this.state === CLOSED) return;
    this.events.onProtocolError(status, message);
    if (this.state === OPEN) this.sendClose(closePayload(status, ''));
    this.socket.end(); // no use waiting for the answer of a client that breaks the protocol
  }

  /** The client's close frame: answer it with the same code (unless we closed first), then hang up. */
  private receiveClose(payload: Buffer): void {
    this.stopParsing();
    if (payload.length === 1) return this.onProtocolError(CloseStatus.ProtocolError, 'close frame with a 1-byte payload');
    if (payload.length >= 2 && !isValidCloseCode(payload.readUInt16BE(0))) {
      return this.onProtocolError(CloseStatus.ProtocolError, `invalid close code ${payload.readUInt16BE(0)}`);
    }
    if (!isUtf8(payload.subarray(2))) return this.onProtocolError(CloseStatus.InvalidPayload, 'close reason is not UTF-8');
    if (this.state === OPEN) this.sendClose(payload);
    this.socket.end();
  }

  private sendClose(payload: Buffer): void {
    this.state = CLOSING;
    if (this.socket.writable) this.write(encodeFrame(Opcode.Close, payload));
    this.closeTimer ??= setTimeout(destroySocket, CLOSE_TIMEOUT_MS, this.socket);
  }

  /** @internal The socket's 'close' event. */
  socketClosed(): void {
    if (this.state === CLOSED) return;
    this.state = CLOSED;
    this.stopParsing();
    clearTimeout(this.closeTimer);
    this.events.onClose();
  }
}

type SocketWithOwner = Socket & { [owner]: ServerSocket };

function onSocketData(this: SocketWithOwner, chunk: Buffer): void {
  this[owner].parse(chunk);
}

/** A reset or a failed write: the socket destroys itself and 'close' follows. */
function onSocketError(): void {}

function onSocketClose(this: SocketWithOwner): void {
  this[owner].socketClosed();
}

function destroySocket(socket: Socket): void {
  socket.destroy();
}
