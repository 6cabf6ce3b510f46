/**
 * The frame parser on its own, table by table: bytes in, the events it reports out. What each row
 * sends is a client frame built by hand (test-support/rawWebSocket.ts), so any bit can be wrong.
 * websocket.test.ts covers the same layer through a live server; this one names every rule.
 */
import { describe, expect, it } from 'vitest';
import { clientFrame } from '../test-support/rawWebSocket.js';
import { FrameParser } from './frameParser.js';
import { CloseStatus, Opcode } from './rfc6455.js';

const { Text: TEXT, Binary: BINARY, Continuation: CONTINUATION, Close: CLOSE, Ping: PING, Pong: PONG } = Opcode;
const MAX_MESSAGE_BYTES = 1024;

type ParserEvent =
  | { message: string; isBinary: boolean }
  | { control: number; payload: string }
  | { error: number; reason: string };

/** A parser that writes down what it reports, payloads as text for readable expectations. */
class RecordingParser extends FrameParser {
  readonly events: ParserEvent[] = [];

  constructor(maxMessageBytes = MAX_MESSAGE_BYTES) {
    super(maxMessageBytes);
  }

  protected onMessage(payload: Buffer, isBinary: boolean): void {
    this.events.push({ message: payload.toString('latin1'), isBinary });
  }

  protected onControlFrame(opcode: number, payload: Buffer): void {
    this.events.push({ control: opcode, payload: payload.toString('latin1') });
  }

  protected onProtocolError(status: number, message: string): void {
    this.events.push({ error: status, reason: message });
  }
}

/** Feed `bytes` to a fresh parser in one chunk (or one byte at a time) and return what it reported. */
function parse(bytes: Buffer, { byteByByte = false, maxMessageBytes = MAX_MESSAGE_BYTES } = {}): ParserEvent[] {
  const parser = new RecordingParser(maxMessageBytes);
  if (byteByByte) for (let i = 0; i < bytes.length; i++) parser.parse(bytes.subarray(i, i + 1));
  else parser.parse(bytes);
  return parser.events;
}

const frame = (opcode: number, payload: string | Buffer, options?: Parameters<typeof clientFrame>[2]): Buffer =>
  clientFrame(opcode, typeof payload === 'string' ? Buffer.from(payload, 'latin1') : payload, options);

/** A masked frame header that declares a 64-bit `length` and sends no payload. */
function header64(opcode: number, length: bigint): Buffer {
  const header = Buffer.alloc(14);
  header[0] = 0x80 | opcode;
  header[1] = 0x80 | 127;
  header.writeBigUInt64BE(length, 2);
  return header;
}

const message = (text: string, isBinary = true): ParserEvent => ({ message: text, isBinary });
const control = (opcode: number, payload = ''): ParserEvent => ({ control: opcode, payload });
const refused = (status: number, reason: RegExp) => [expect.objectContaining({ error: status, reason: expect.stringMatching(reason) })];

describe('frames it takes', () => {
  const big = 'b'.repeat(300); // a 16-bit length
  it.each<[string, () => Buffer, ParserEvent[]]>([
    ['a binary message', () => frame(BINARY, 'hello'), [message('hello')]],
    ['an empty binary message', () => frame(BINARY, ''), [message('')]],
    ['a message with a 16-bit length', () => frame(BINARY, big), [message(big)]],
    // The layer carries binary messages only; the parser reports a text one as such and Connection refuses it (badInput.test.ts).
    ['a text message, reported as text', () => frame(TEXT, 'words'), [message('words', false)]],
    ['two messages in one chunk, in order', () => Buffer.concat([frame(BINARY, 'one'), frame(BINARY, 'two')]), [message('one'), message('two')]],
    [
      'a message in three fragments',
      () => Buffer.concat([frame(BINARY, 'ab', { fin: false }), frame(CONTINUATION, 'cd', { fin: false }), frame(CONTINUATION, 'ef')]),
      [message('abcdef')],
    ],
    [
      'a fragmented text message, reported as text',
      () => Buffer.concat([frame(TEXT, 'ab', { fin: false }), frame(CONTINUATION, 'cd')]),
      [message('abcd', false)],
    ],
    [
      'empty fragments among full ones',
      () => Buffer.concat([frame(BINARY, '', { fin: false }), frame(CONTINUATION, 'x', { fin: false }), frame(CONTINUATION, '', { fin: false }), frame(CONTINUATION, '')]),
      [message('x')],
    ],
    [
      'control frames between the fragments of a message',
      () => Buffer.concat([frame(BINARY, 'ab', { fin: false }), frame(PING, 'p'), frame(PONG, 'q'), frame(CONTINUATION, 'cd')]),
      [control(PING, 'p'), control(PONG, 'q'), message('abcd')],
    ],
    ['a ping of exactly 125 bytes', () => frame(PING, 'p'.repeat(125)), [control(PING, 'p'.repeat(125))]],
    ['a close frame, payload unmasked', () => frame(CLOSE, Buffer.from([0x03, 0xe8, 0x6f, 0x6b])), [control(CLOSE, '\x03\xe8ok')]],
    ['a message of exactly the limit', () => frame(BINARY, 'm'.repeat(MAX_MESSAGE_BYTES)), [message('m'.repeat(MAX_MESSAGE_BYTES))]],
    [
      'fragments adding up to exactly the limit',
      () => Buffer.concat([frame(BINARY, 'm'.repeat(MAX_MESSAGE_BYTES - 1), { fin: false }), frame(CONTINUATION, 'n')]),
      [message(`${'m'.repeat(MAX_MESSAGE_BYTES - 1)}n`)],
    ],
  ])('%s', (_label, bytes, expected) => {
    expect(parse(bytes())).toEqual(expected);
    expect(parse(bytes(), { byteByByte: true })).toEqual(expected);
  });

  it('reads a 64-bit length', () => {
    const payload = 'L'.repeat(70_000);
    expect(parse(frame(BINARY, payload), { maxMessageBytes: 100_000 })).toEqual([message(payload)]);
  });
});

describe('frames it refuses, and then reads nothing more', () => {
  const after = frame(BINARY, 'never read');
  it.each<[string, () => Buffer, number, RegExp]>([
    ['an unmasked client frame', () => frame(BINARY, 'x', { masked: false }), CloseStatus.ProtocolError, /not masked/],
    ['an unmasked control frame', () => frame(PING, 'x', { masked: false }), CloseStatus.ProtocolError, /not masked/],
    ['RSV1 set (no extension negotiated)', () => frame(BINARY, 'x', { rsv: 0b100 }), CloseStatus.ProtocolError, /RSV/],
    ['RSV2 set', () => frame(BINARY, 'x', { rsv: 0b010 }), CloseStatus.ProtocolError, /RSV/],
    ['RSV3 set', () => frame(BINARY, 'x', { rsv: 0b001 }), CloseStatus.ProtocolError, /RSV/],
    ['RSV set on a continuation', () => Buffer.concat([frame(BINARY, 'x', { fin: false }), frame(CONTINUATION, 'y', { rsv: 0b100 })]), CloseStatus.ProtocolError, /RSV/],
    ['an unknown data opcode', () => frame(0x3, 'x'), CloseStatus.ProtocolError, /unknown opcode 3/],
    ['an unknown control opcode', () => frame(0xb, ''), CloseStatus.ProtocolError, /unknown opcode 11/],
    ['a fragmented ping', () => frame(PING, 'x', { fin: false }), CloseStatus.ProtocolError, /fragmented control/],
    ['a fragmented close', () => frame(CLOSE, Buffer.from([0x03, 0xe8]), { fin: false }), CloseStatus.ProtocolError, /fragmented control/],
    ['a ping over 125 bytes', () => frame(PING, 'p'.repeat(126)), CloseStatus.ProtocolError, /over 125/],
    ['a close frame over 125 bytes', () => frame(CLOSE, Buffer.alloc(126)), CloseStatus.ProtocolError, /over 125/],
    ['a pong with a 64-bit length', () => header64(PONG, 10n), CloseStatus.ProtocolError, /over 125/],
    ['a continuation with no message to continue', () => frame(CONTINUATION, 'x'), CloseStatus.ProtocolError, /no message to continue/],
    ['a new message inside a fragmented one', () => Buffer.concat([frame(BINARY, 'a', { fin: false }), frame(BINARY, 'b')]), CloseStatus.ProtocolError, /before the fragmented one ended/],
    ['a text message inside a fragmented one', () => Buffer.concat([frame(BINARY, 'a', { fin: false }), frame(TEXT, 'b')]), CloseStatus.ProtocolError, /before the fragmented one ended/],
    ['a 64-bit length with its most significant bit set', () => header64(BINARY, 2n ** 63n + 5n), CloseStatus.ProtocolError, /most significant bit/],
    ['a message over the limit, from its header', () => header64(BINARY, BigInt(MAX_MESSAGE_BYTES + 1)), CloseStatus.MessageTooBig, /over 1024 bytes/],
    ['a 64-bit length past 2^53, from its header', () => header64(BINARY, 2n ** 60n), CloseStatus.MessageTooBig, /over 1024 bytes/],
    [
      'fragments adding up to more than the limit',
      () => Buffer.concat([frame(BINARY, 'm'.repeat(MAX_MESSAGE_BYTES), { fin: false }), frame(CONTINUATION, 'n')]),
      CloseStatus.MessageTooBig,
      /over 1024 bytes/,
    ],
  ])('%s', (_label, bytes, status, reason) => {
    expect(parse(Buffer.concat([bytes(), after]))).toEqual(refused(status, reason));
    expect(parse(Buffer.concat([bytes(), after]), { byteByByte: true })).toEqual(refused(status, reason));
  });
});
