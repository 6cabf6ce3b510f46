/**
 * Frames from a client (RFC 6455 §5), parsed from TCP chunks as they arrive: a small state machine
 * that lives on the connection's one object. It buffers only what the current frame still lacks,
 * never copies a frame that arrived whole, and refuses an oversized message from its header,
 * before buffering any of the payload.
 *
 * The layer carries binary messages only (the y-websocket protocol is binary): a text message is
 * reported as text, its bytes unchecked, and the connection closes it with 4400 MalformedMessage.
 */
import { CloseStatus, MAX_CONTROL_PAYLOAD, Opcode } from './rfc6455.js';

// What the parser waits for next.
const HEADER = 0;
const LENGTH_16 = 1;
const LENGTH_64 = 2;
const MASK_KEY = 3;
const PAYLOAD = 4;
/** After a protocol error or a close frame: everything else is ignored. */
const STOPPED = 5;

const FIN = 0x80;
const RSV = 0x70;
const MASKED = 0x80;

const EMPTY = Buffer.alloc(0);

export abstract class FrameParser {
  private step: number = HEADER;
  /** Received bytes not yet consumed; undefined when there are none (most of the time). */
  private chunks: Buffer[] | undefined = undefined;
  private bufferedBytes = 0;
  /** The first header byte of the frame being read: FIN, RSV and opcode. */
  private head = 0;
  private payloadLength = 0;
  private maskKey: Buffer | undefined = undefined;
  /**
   * A message whose last frame has not come yet: its opcode (0 when there is none) and its bytes
   * so far, gathered in one buffer grown by doubling. (A list of fragments would let a client
   * sending one-byte fragments cost the server a Buffer object per byte.)
   */
  private fragmentsOpcode = 0;
  private fragments: Buffer | undefined = undefined;
  private fragmentsBytes = 0;

  protected constructor(private readonly maxMessageBytes: number) {}

  /** A whole data message. A text message's bytes are not checked as UTF-8: the caller refuses text anyway. */
  protected abstract onMessage(payload: Buffer, isBinary: boolean): void;
  /** A ping, pong or close frame, payload unmasked. */
  protected abstract onControlFrame(opcode: number, payload: Buffer): void;
  /** The client broke the protocol; parsing has stopped. */
  protected abstract onProtocolError(status: number, message: string): void;

  /** Feed bytes from the socket; every frame they complete is reported before this returns. */
  parse(chunk: Buffer): void {
    if (this.stopped || chunk.length === 0) return;
    this.bufferedBytes += chunk.length;
    if (this.chunks) this.chunks.push(chunk);
    else this.chunks = [chunk];
    while (this.advance());
    if (this.bufferedBytes === 0) this.chunks = undefined;
  }

  private get stopped(): boolean {
    return this.step === STOPPED;
  }

  /** Ignore everything from now on and let go of what was buffered. */
  protected stopParsing(): void {
    this.step = STOPPED;
    this.chunks = undefined;
    this.bufferedBytes = 0;
    this.maskKey = undefined;
    this.fragments = undefined;
    this.fragmentsOpcode = 0;
  }

  /** Take the next step if its bytes are here; false when waiting for more (or stopped). */
  private advance(): boolean {
    switch (this.step) {
      case HEADER:
        return this.bufferedBytes >= 2 && this.readHeader();
      case LENGTH_16:
        if (this.bufferedBytes < 2) return false;
        this.payloadLength = this.consume(2).readUInt16BE(0);
        return this.checkLength();
      case LENGTH_64: {
        if (this.bufferedBytes < 8) return false;
        const bytes = this.consume(8);
        const high = bytes.readUInt32BE(0);
        if (high >= 0x8000_0000) return this.fail(CloseStatus.ProtocolError, '64-bit length with its most significant bit set (RFC 6455 §5.2)');
        // Past 2^53 a length is no longer an exact number; it is far past any limit anyway.
        this.payloadLength = high >= 2 ** 21 ? Number.POSITIVE_INFINITY : high * 2 ** 32 + bytes.readUInt32BE(4);
        return this.checkLength();
      }
      case MASK_KEY:
        if (this.bufferedBytes < 4) return false;
        this.maskKey = this.consume(4);
        this.step = PAYLOAD;
        return true;
      case PAYLOAD:
        if (this.bufferedBytes < this.payloadLength) return false;
        this.readPayload();
        return !this.stopped; // a close frame or the message's handler may have stopped parsing
      default:
        return false;
    }
  }

  private readHeader(): boolean {
    const header = this.consume(2);
    const head = header[0]!;
    const second = header[1]!;
    const opcode = head & 0x0f;
    if (head & RSV) return this.fail(CloseStatus.ProtocolError, 'RSV bits set, but no extension was negotiated');
    if (opcode >= Opcode.Close) {
      if (opcode > Opcode.Pong) return this.fail(CloseStatus.ProtocolError, `unknown opcode ${opcode}`);
      if (!(head & FIN)) return this.fail(CloseStatus.ProtocolError, 'fragmented control frame');
      if ((second & 0x7f) > MAX_CONTROL_PAYLOAD) return this.fail(CloseStatus.ProtocolError, 'control frame over 125 bytes');
    } else if (opcode === Opcode.Continuation) {
      if (this.fragmentsOpcode === 0) return this.fail(CloseStatus.ProtocolError, 'continuation frame with no message to continue');
    } else if (opcode === Opcode.Text || opcode === Opcode.Binary) {
      if (this.fragmentsOpcode !== 0) return this.fail(CloseStatus.ProtocolError, 'new message before the fragmented one ended');
    } else {
      return this.fail(CloseStatus.ProtocolError, `unknown opcode ${opcode}`);
    }
    if (!(second & MASKED)) return this.fail(CloseStatus.ProtocolError, 'client frame not masked');
    this.head = head;
    const length = second & 0x7f;
    if (length === 126) this.step = LENGTH_16;
    else if (length === 127) this.step = LENGTH_64;
    else {
      this.payloadLength = length;
      return this.checkLength();
    }
    return true;
  }

  /** Refuse a message over the limit as soon as its length is known, before reading its payload. */
  private checkLength(): boolean {
    const continued = (this.head & 0x0f) === Opcode.Continuation ? this.fragmentsBytes : 0;
    if (continued + this.payloadLength > this.maxMessageBytes) {
      return this.fail(CloseStatus.MessageTooBig, `message over ${this.maxMessageBytes} bytes`);
    }
    this.step = MASK_KEY;
    return true;
  }

  private readPayload(): void {
    const payload = this.payloadLength === 0 ? EMPTY : this.consume(this.payloadLength);
    unmask(payload, this.maskKey!);
    this.maskKey = undefined;
    this.step = HEADER;
    const opcode = this.head & 0x0f;
    const fin = (this.head & FIN) !== 0;
    if (opcode >= Opcode.Close) return this.onControlFrame(opcode, payload);
    if (opcode !== Opcode.Continuation) {
      if (fin) return this.onMessage(payload, opcode === Opcode.Binary);
      this.fragmentsOpcode = opcode;
    }
    this.appendFragment(payload);
    if (!fin) return;
    const message = this.fragments ? this.fragments.subarray(0, this.fragmentsBytes) : EMPTY;
    const isBinary = this.fragmentsOpcode === Opcode.Binary;
    this.fragments = undefined;
    this.fragmentsBytes = 0;
    this.fragmentsOpcode = 0;
    this.onMessage(message, isBinary);
  }

  private appendFragment(payload: Buffer): void {
    if (payload.length === 0) return;
    const needed = this.fragmentsBytes + payload.length; // ≤ maxMessageBytes: checked from the header
    if (!this.fragments || needed > this.fragments.length) {
      const grown = Buffer.allocUnsafeSlow(Math.min(this.maxMessageBytes, Math.max(needed, 2 * (this.fragments?.length ?? 0))));
      this.fragments?.copy(grown, 0, 0, this.fragmentsBytes);
      this.fragments = grown;
    }
    payload.copy(this.fragments, this.fragmentsBytes);
    this.fragmentsBytes = needed;
  }

  /** Take `count` buffered bytes (count ≤ bufferedBytes): a view when they sit in one chunk, else a copy. */
  private consume(count: number): Buffer {
    const chunks = this.chunks!;
    this.bufferedBytes -= count;
    const first = chunks[0]!;
    if (first.length > count) {
      chunks[0] = first.subarray(count);
      return first.subarray(0, count);
    }
    if (first.length === count) {
      chunks.shift();
      return first;
    }
    const out = Buffer.allocUnsafe(count);
    let filled = 0;
    while (filled < count) {
      const chunk = chunks[0]!;
      const take = Math.min(chunk.length, count - filled);
      chunk.copy(out, filled, 0, take);
      filled += take;
      if (take === chunk.length) chunks.shift();
      else chunks[0] = chunk.subarray(take);
    }
    return out;
  }

  private fail(status: number, message: string): false {
    this.stopParsing();
    this.onProtocolError(status, message);
    return false;
  }
}

/** Clients mask every frame with a 4-byte key (§5.3); the bytes are ours, so unmask in place. */
function unmask(payload: Buffer, key: Buffer): void {
  for (let i = 0; i < payload.length; i++) payload[i] ^= key[i & 3]!;
}
