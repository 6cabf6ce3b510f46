/**
 * The server's own WebSocket layer against hand-written frames over raw TCP: the opening
 * handshake, frames split and packed any way TCP likes, fragmentation, control frames, the closing
 * handshake, and every protocol violation closing that one connection with the RFC's code while
 * the server goes on serving stock clients.
 */
import { CloseCode } from '@tandem/protocol';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as prng from 'lib0/prng';
import * as Y from 'yjs';
import { type ProviderClient, connectProvider, waitForSynced } from '../test-support/clients.js';
import { updateFrame } from '../test-support/frames.js';
import { type RawWebSocket, clientFrame, openRawWebSocket, rawHttpExchange, upgradeRequest } from '../test-support/rawWebSocket.js';
import { type TestServer, startTestServer, waitFor } from '../test-support/server.js';
import { Opcode } from './rfc6455.js';

const { Text: TEXT, Binary: BINARY, Continuation: CONTINUATION, Close: CLOSE, Ping: PING, Pong: PONG } = Opcode;
const MAX_MESSAGE_BYTES = 4096;

let server: TestServer;
const raws: RawWebSocket[] = [];
const clients: ProviderClient[] = [];
let docCounter = 0;

beforeAll(async () => {
  server = await startTestServer({ maxMessageBytes: MAX_MESSAGE_BYTES });
});
afterEach(() => {
  for (const raw of raws.splice(0)) raw.socket.destroy();
  for (const client of clients.splice(0)) client.destroy();
});
afterAll(() => server.dispose());

const freshDocName = (): string => `ws-${++docCounter}`;

async function open(docName: string, headers: Record<string, string> = {}): Promise<RawWebSocket & { response: string }> {
  const raw = await openRawWebSocket(server.port, `/${docName}`, headers);
  raws.push(raw);
  return raw;
}

/** Document updates that insert `parts` one after the other, as one client would send them. */
function sequentialUpdates(...parts: string[]): Uint8Array[] {
  return updatesOf(new Y.Doc(), parts);
}

/** The updates `doc` emits as `parts` are inserted into its text one after the other. */
function updatesOf(doc: Y.Doc, parts: string[]): Uint8Array[] {
  const updates: Uint8Array[] = [];
  doc.on('update', (update: Uint8Array) => updates.push(update));
  const text = doc.getText('text');
  for (const part of parts) text.insert(text.length, part);
  return updates;
}

const closeBody = (code: number, reason = ''): Buffer => Buffer.concat([Buffer.from([code >> 8, code & 0xff]), Buffer.from(reason)]);

/** The text of a document, as a stock client that connects now sees it. */
async function textOf(docName: string): Promise<string> {
  const client = connectProvider(server.url, docName);
  clients.push(client);
  await waitForSynced(client);
  return client.text.toString();
}

/** A stock client still syncs and relays through the server. */
async function expectStillServing(): Promise<void> {
  const docName = freshDocName();
  const writer = connectProvider(server.url, docName);
  const reader = connectProvider(server.url, docName);
  clients.push(writer, reader);
  await Promise.all([waitForSynced(writer), waitForSynced(reader)]);
  writer.text.insert(0, 'still serving');
  await waitFor(() => reader.text.toString() === 'still serving', { what: 'a relayed update' });
}

async function expectClosedWith(raw: RawWebSocket, code: number): Promise<void> {
  await waitFor(() => raw.closeFrame(), { what: `close frame ${code}` });
  expect(raw.closeFrame()?.code).toBe(code);
  await raw.ended; // and the server hung up
}

describe('opening handshake', () => {
  it('answers the RFC 6455 sample key with its accept value and declines permessage-deflate', async () => {
    const raw = await open(freshDocName(), {
      'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==',
      'Sec-WebSocket-Extensions': 'permessage-deflate; client_max_window_bits',
    });
    expect(raw.response).toContain('Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n');
    expect(raw.response).not.toMatch(/sec-websocket-extensions/i);
    await waitFor(() => raw.frames().length > 0, { what: "the server's sync step 1" });
    const [first] = raw.frames();
    expect(first).toMatchObject({ fin: true, opcode: BINARY });
    expect([...first!.payload.subarray(0, 2)]).toEqual([0, 0]); // sync, step 1
  });

  it('chooses the first subprotocol the client offers, as ws did', async () => {
    const raw = await open(freshDocName(), { 'Sec-WebSocket-Protocol': 'first, second' });
    expect(raw.response).toContain('Sec-WebSocket-Protocol: first\r\n');
  });

  it.each([
    ['another protocol version', { 'Sec-WebSocket-Version': '8' }, /^HTTP\/1\.1 400[^]*Sec-WebSocket-Version: 13\r\n/],
    ['a key that is not 16 bytes of base64', { 'Sec-WebSocket-Key': 'c2hvcnQ=' }, /^HTTP\/1\.1 400/],
    ['an Upgrade header naming another protocol', { Upgrade: 'h2c' }, /^HTTP\/1\.1 400/],
    ['a malformed subprotocol list', { 'Sec-WebSocket-Protocol': 'a b' }, /^HTTP\/1\.1 400/],
  ])('refuses %s with an HTTP error and no WebSocket', async (_label, headers, status) => {
    const docName = freshDocName();
    expect(await rawHttpExchange(server.port, upgradeRequest(`/${docName}`, headers))).toMatch(status);
    expect(server.server.rooms.has(docName)).toBe(false);
    await expectStillServing();
  });
});

describe('frames split and packed', () => {
  it('reads a frame that arrives one byte at a time', async () => {
    const docName = freshDocName();
    const raw = await open(docName);
    const [update] = sequentialUpdates('sent byte by byte');
    const frame = clientFrame(BINARY, updateFrame(update!));
    for (let i = 0; i < frame.length; i++) {
      raw.write(frame.subarray(i, i + 1));
      await new Promise((resolve) => setTimeout(resolve, 1)); // a TCP segment each
    }
    expect(await textOf(docName)).toBe('sent byte by byte');
    expect(raw.closeFrame()).toBeUndefined();
  });

  it('reads two frames that arrive in one chunk, in order', async () => {
    const docName = freshDocName();
    const raw = await open(docName);
    const [first, second] = sequentialUpdates('first, ', 'then second');
    raw.write(Buffer.concat([clientFrame(BINARY, updateFrame(first!)), clientFrame(BINARY, updateFrame(second!))]));
    await waitFor(async () => (await textOf(docName)) === 'first, then second', { what: 'both updates applied' });
    expect(raw.closeFrame()).toBeUndefined();
  });

  it('reassembles a fragmented message, answering a ping sent between its fragments', async () => {
    const docName = freshDocName();
    const raw = await open(docName);
    const [update] = sequentialUpdates('arrived in three fragments');
    const message = Buffer.from(updateFrame(update!));
    const third = Math.ceil(message.length / 3);
    raw.write(clientFrame(BINARY, message.subarray(0, third), { fin: false }));
    raw.write(clientFrame(PING, Buffer.from('between')));
    raw.write(clientFrame(CONTINUATION, message.subarray(third, 2 * third), { fin: false }));
    raw.write(clientFrame(CONTINUATION, message.subarray(2 * third)));
    await waitFor(() => raw.frames().some((f) => f.opcode === PONG && f.payload.toString() === 'between'), { what: 'pong' });
    expect(await textOf(docName)).toBe('arrived in three fragments');
    expect(raw.closeFrame()).toBeUndefined();
  });

  it('reassembles a message sent in one-byte fragments, empty ones among them', async () => {
    const docName = freshDocName();
    const raw = await open(docName);
    const [update] = sequentialUpdates('one byte per frame');
    const message = Buffer.from(updateFrame(update!));
    const frames = [clientFrame(BINARY, message.subarray(0, 1), { fin: false }), clientFrame(CONTINUATION, Buffer.alloc(0), { fin: false })];
    for (let i = 1; i < message.length; i++) frames.push(clientFrame(CONTINUATION, message.subarray(i, i + 1), { fin: i === message.length - 1 }));
    raw.write(Buffer.concat(frames));
    expect(await textOf(docName)).toBe('one byte per frame');
    expect(raw.closeFrame()).toBeUndefined();
  });
});

describe('control frames', () => {
  it('answers a ping with a pong carrying the same payload', async () => {
    const raw = await open(freshDocName());
    raw.write(clientFrame(PING, Buffer.from('are you there')));
    await waitFor(() => raw.frames().some((f) => f.opcode === PONG), { what: 'pong' });
    expect(raw.frames().find((f) => f.opcode === PONG)?.payload.toString()).toBe('are you there');
  });

  it("echoes the client's close frame with its code and reason, then hangs up and forgets the connection", async () => {
    const docName = freshDocName();
    const raw = await open(docName);
    await waitFor(() => server.server.rooms.has(docName), { what: 'room loaded' });
    raw.write(clientFrame(CLOSE, closeBody(4000, 'see you')));
    await waitFor(() => raw.closeFrame(), { what: 'close echo' });
    expect(raw.closeFrame()).toEqual({ code: 4000, reason: 'see you' });
    await raw.ended;
    await waitFor(() => !server.server.rooms.has(docName), { what: 'the room to unload' });
    await expectStillServing();
  });

  it('completes a close it started once the client answers', async () => {
    const raw = await open(freshDocName());
    raw.write(clientFrame(TEXT, Buffer.from('text is not the protocol')));
    await waitFor(() => raw.closeFrame(), { what: 'close frame' });
    expect(raw.closeFrame()?.code).toBe(CloseCode.MalformedMessage.code);
    raw.write(clientFrame(CLOSE, closeBody(CloseCode.MalformedMessage.code)));
    await raw.ended;
  });

  it('drops a client that never answers its close frame, within the close timeout', async () => {
    const raw = await open(freshDocName());
    raw.write(clientFrame(TEXT, Buffer.from('text is not the protocol')));
    await waitFor(() => raw.closeFrame(), { what: 'close frame' });
    const closedAt = Date.now();
    await raw.ended; // the client neither answers nor hangs up: the server must not wait for ever
    expect(Date.now() - closedAt).toBeLessThan(15_000);
  }, 20_000);

  it('forgets a client that hangs up without a close frame', async () => {
    const docName = freshDocName();
    const raw = await open(docName);
    await waitFor(() => server.server.rooms.has(docName), { what: 'room loaded' });
    raw.socket.end();
    await raw.ended;
    await waitFor(() => !server.server.rooms.has(docName), { what: 'the room to unload' });
  });
});

describe('protocol violations close that connection only', () => {
  const payload = (): Buffer => Buffer.from(updateFrame(sequentialUpdates('must not be applied')[0]!));

  it.each([
    ['an unmasked frame', () => clientFrame(BINARY, payload(), { masked: false })],
    ['an unknown data opcode', () => clientFrame(0x3, payload())],
    ['an unknown control opcode', () => clientFrame(0xb, Buffer.alloc(0))],
    ['RSV1 set (no permessage-deflate)', () => clientFrame(BINARY, payload(), { rsv: 0b100 })],
    ['RSV3 set', () => clientFrame(BINARY, payload(), { rsv: 0b001 })],
    ['a continuation with no message to continue', () => clientFrame(CONTINUATION, payload())],
    ['a new message inside a fragmented one', () => Buffer.concat([clientFrame(BINARY, payload(), { fin: false }), clientFrame(BINARY, payload())])],
    ['a fragmented ping', () => clientFrame(PING, Buffer.from('x'), { fin: false })],
    ['a ping over 125 bytes', () => clientFrame(PING, Buffer.alloc(126))],
    ['a close frame with a 1-byte payload', () => clientFrame(CLOSE, Buffer.from([3]))],
    ['a close frame with a reserved code', () => clientFrame(CLOSE, closeBody(1005))],
  ])('closes %s with 1002', async (_label, frame) => {
    const docName = freshDocName();
    const raw = await open(docName);
    const before = server.server.metrics.stats.closes.get('ProtocolError') ?? 0;
    raw.write(frame());
    await expectClosedWith(raw, 1002);
    expect(server.server.metrics.stats.closes.get('ProtocolError')).toBe(before + 1);
    expect(await textOf(docName)).toBe('');
    await expectStillServing();
  });

  it('closes a close frame whose reason is not UTF-8 with 1007', async () => {
    const raw = await open(freshDocName());
    raw.write(clientFrame(CLOSE, Buffer.concat([closeBody(1000), Buffer.from([0xff, 0xfe])])));
    await expectClosedWith(raw, 1007);
    await expectStillServing();
  });

  it('refuses a frame over --max-message-bytes from its header alone, with 1009', async () => {
    const raw = await open(freshDocName());
    const header = Buffer.alloc(14);
    header[0] = 0x80 | BINARY;
    header[1] = 0x80 | 127; // masked, 64-bit length
    header.writeBigUInt64BE(2n ** 40n, 2); // 1 TiB declared; not a byte of it sent
    raw.write(header);
    await expectClosedWith(raw, CloseCode.MessageTooBig.code);
    expect(server.server.metrics.stats.closes.get('MessageTooBig')).toBeGreaterThanOrEqual(1);
    await expectStillServing();
  });

  it('takes a message of exactly --max-message-bytes', async () => {
    const docName = freshDocName();
    const raw = await open(docName);
    // The probe and the exact update come from one client ID: an update holds it as a varint, so
    // two random IDs can make headers of different lengths.
    const clientID = new Y.Doc().clientID;
    const docOfClient = (): Y.Doc => Object.assign(new Y.Doc(), { clientID });
    const message = Buffer.from(updateFrame(updatesOf(docOfClient(), ['x'.repeat(MAX_MESSAGE_BYTES)])[0]!));
    const [update] = updatesOf(docOfClient(), ['y'.repeat(MAX_MESSAGE_BYTES - (message.length - MAX_MESSAGE_BYTES))]);
    const exact = Buffer.from(updateFrame(update!));
    expect(exact.length).toBe(MAX_MESSAGE_BYTES);
    raw.write(clientFrame(BINARY, exact));
    expect((await textOf(docName)).length).toBe(MAX_MESSAGE_BYTES - (message.length - MAX_MESSAGE_BYTES));
    expect(raw.closeFrame()).toBeUndefined();
  });
});

describe('random bytes after the handshake', () => {
  /** One to six frame-shaped byte runs: random opcodes, bits, length encodings and payloads, or plain garbage. */
  function randomFrames(gen: prng.PRNG): Buffer {
    const parts: Buffer[] = [];
    for (let n = prng.uint32(gen, 1, 6); n > 0; n--) {
      if (prng.bool(gen) && prng.bool(gen)) {
        parts.push(Buffer.from(prng.uint8Array(gen, prng.uint32(gen, 1, 100))));
        continue;
      }
      const opcode = prng.oneOf(gen, [CONTINUATION, TEXT, BINARY, CLOSE, PING, PONG, prng.uint32(gen, 0, 15)]);
      const head = (prng.bool(gen) ? 0x80 : 0) | (prng.uint32(gen, 0, 9) === 0 ? prng.uint32(gen, 1, 7) << 4 : 0) | opcode;
      const masked = prng.uint32(gen, 0, 9) !== 0;
      const lengthKind = prng.uint32(gen, 0, 2);
      const declared = lengthKind === 0 ? prng.uint32(gen, 0, 125) : lengthKind === 1 ? prng.uint32(gen, 0, 0xffff) : prng.uint32(gen, 0, 0xffffffff) * 2 ** prng.uint32(gen, 0, 20);
      const header = Buffer.alloc(2 + (lengthKind === 1 ? 2 : lengthKind === 2 ? 8 : 0) + (masked ? 4 : 0));
      header[0] = head;
      header[1] = (masked ? 0x80 : 0) | (lengthKind === 0 ? declared : lengthKind === 1 ? 126 : 127);
      if (lengthKind === 1) header.writeUInt16BE(declared, 2);
      if (lengthKind === 2) header.writeBigUInt64BE(BigInt(Math.min(declared, Number.MAX_SAFE_INTEGER)), 2);
      if (masked) header.set(prng.uint8Array(gen, 4), header.length - 4);
      // The payload may be shorter than declared: the parser must wait without harm.
      parts.push(header, Buffer.from(prng.uint8Array(gen, Math.min(declared, prng.uint32(gen, 0, 300)))));
    }
    return Buffer.concat(parts);
  }

  it('never take the server down or leave a connection behind (seeded)', async () => {
    const seed = Number(process.env.TANDEM_FUZZ_SEED ?? 20261123);
    console.log(`[ws-fuzz] seed ${seed} (replay with TANDEM_FUZZ_SEED=${seed})`);
    const gen = prng.create(seed);
    for (let round = 0; round < 10; round++) {
      const batch = await Promise.all(Array.from({ length: 20 }, () => open(freshDocName())));
      for (const raw of batch) {
        const bytes = randomFrames(gen);
        // In random pieces, as TCP may deliver them.
        for (let at = 0; at < bytes.length; ) {
          const size = prng.uint32(gen, 1, 64);
          raw.write(bytes.subarray(at, at + size));
          at += size;
        }
      }
      // Hung up at an arbitrary point, as a fuzzer's peers do: random bytes can leave the parser
      // waiting mid-frame for ever, so there is no event to wait for first.
      await new Promise((resolve) => setTimeout(resolve, 50));
      for (const raw of batch) raw.socket.destroy();
    }
    await waitFor(() => server.server.metrics.stats.connections === 0, { what: 'every fuzzed connection forgotten' });
    await expectStillServing();
  });
});
