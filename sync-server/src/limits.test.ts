/**
 * Every limit a server on the internet needs, hit for real: message size, message rate,
 * connections per address (and who may claim an address), documents in memory, handshake
 * timeout, allowed origins, document size, and a reader that stops reading.
 */
import { CloseCode, MessageType } from '@tandem/protocol';
import { connect as tcpConnect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { SyncServerConfig } from './config.js';
import { type BacklogHolder, limitTotalBacklog } from './limits.js';
import { step1Frame, updateFrame } from './test-support/frames.js';
import { clientFrame, openRawWebSocket } from './test-support/rawWebSocket.js';
import { Opcode } from './websocket/rfc6455.js';
import { type ProviderClient, type RawClient, connectProvider, connectRaw, upgradeStatus, waitForSynced } from './test-support/clients.js';
import { type TestServer, startTestServer, waitFor } from './test-support/server.js';

let server: TestServer;
const clients: ProviderClient[] = [];
const raws: RawClient[] = [];
const sockets: Socket[] = [];

async function start(overrides: Partial<SyncServerConfig>): Promise<void> {
  server = await startTestServer(overrides);
}
function connect(docName: string): ProviderClient {
  const client = connectProvider(server.url, docName);
  clients.push(client);
  return client;
}
async function raw(docName: string, headers?: Record<string, string>): Promise<RawClient> {
  const client = await connectRaw(server.url, docName, { headers });
  raws.push(client);
  return client;
}
async function rejected(reason: string): Promise<number> {
  const text = await (await fetch(`${server.httpUrl}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`tandem_rejected_total{reason="${reason}"}`));
  return line ? Number(line.split(' ').pop()) : 0;
}
/** A plain TCP socket to the server, with what it receives and whether the server closed it. */
function tcp(): Promise<{ socket: Socket; received: () => string; ended: Promise<void> }> {
  return new Promise((resolve, reject) => {
    const socket = tcpConnect(server.port, '127.0.0.1');
    sockets.push(socket);
    let received = '';
    socket.on('data', (chunk) => (received += chunk.toString('latin1')));
    const ended = new Promise<void>((res) => socket.once('close', () => res()));
    socket.on('error', () => {});
    socket.once('connect', () => resolve({ socket, received: () => received, ended }));
    socket.once('error', reject);
  });
}
const queryAwareness = new Uint8Array([MessageType.QueryAwareness]);

afterEach(async () => {
  for (const client of clients.splice(0)) client.destroy();
  for (const client of raws.splice(0)) client.socket.terminate();
  for (const socket of sockets.splice(0)) socket.destroy();
  await server.dispose();
});

describe('message size', () => {
  it('closes with 1009 when one frame is over --max-message-bytes', async () => {
    await start({ maxMessageBytes: 2048 });
    const client = await raw('big');
    client.send(new Uint8Array(4096));
    expect((await client.closed).code).toBe(CloseCode.MessageTooBig.code);
  });

  it('closes with 1009 when a message sent in small fragments adds up to more than the limit', async () => {
    await start({ maxMessageBytes: 2048 });
    const client = await raw('big');
    for (let i = 0; i < 8; i++) client.socket.send(new Uint8Array(512), { binary: true, fin: false });
    client.socket.send(new Uint8Array(512), { binary: true, fin: true });
    expect((await client.closed).code).toBe(CloseCode.MessageTooBig.code);
  });
});

describe('message rate', () => {
  it('closes a connection that sends more than --max-messages-per-second with RateLimited, and only that one', async () => {
    await start({ maxMessagesPerSecond: 50 });
    const honest = connect('busy');
    await waitForSynced(honest);
    const flooder = await raw('busy');
    for (let i = 0; i < 300; i++) flooder.send(queryAwareness);
    expect((await flooder.closed).code).toBe(CloseCode.RateLimited.code);
    expect(await rejected('rate-limit')).toBe(1);
    honest.text.insert(0, 'still here');
    const reader = connect('busy');
    await waitFor(() => reader.text.toString() === 'still here', { what: 'honest client unaffected' });
  });

  it('lets a client that keeps under the rate stay connected', async () => {
    await start({ maxMessagesPerSecond: 50 });
    const client = await raw('calm');
    for (let i = 0; i < 20; i++) {
      client.send(queryAwareness);
      await new Promise((resolve) => setTimeout(resolve, 25)); // pacing: 40 a second, under the limit
    }
    expect(client.socket.readyState).toBe(client.socket.OPEN);
    expect(await rejected('rate-limit')).toBe(0);
  });
});

describe('connections per address', () => {
  it('answers 429 at the upgrade past --max-connections-per-ip, and frees the slot when a connection closes', async () => {
    await start({ maxConnectionsPerIp: 2 });
    const first = await raw('doc');
    await raw('doc');
    expect(await upgradeStatus(server.url, '/doc')).toBe(429);
    expect(await upgradeStatus(server.url, '/other-doc')).toBe(429); // per address, not per document
    first.socket.close();
    await first.closed;
    await waitFor(async () => (await upgradeStatus(server.url, '/doc')) === 101, { what: 'slot freed' });
  });

  it('ignores X-Forwarded-For unless --trust-proxy is on', async () => {
    await start({ maxConnectionsPerIp: 1 });
    await raw('doc', { 'x-forwarded-for': '203.0.113.1' });
    expect(await upgradeStatus(server.url, '/doc', { 'x-forwarded-for': '203.0.113.2' })).toBe(429);
  });

  it('behind a trusted proxy, counts the address the proxy appended, not what the client claims', async () => {
    await start({ maxConnectionsPerIp: 1, trustProxy: true });
    await raw('doc', { 'x-forwarded-for': '203.0.113.1' });
    expect(await upgradeStatus(server.url, '/doc', { 'x-forwarded-for': '203.0.113.2' })).toBe(101);
    // A client claiming another address before the proxy's entry is still counted by the proxy's entry.
    expect(await upgradeStatus(server.url, '/doc', { 'x-forwarded-for': '198.51.100.9, 203.0.113.1' })).toBe(429);
  });

  it('does not leak a slot when the WebSocket handshake itself is refused', async () => {
    await start({ maxConnectionsPerIp: 2 });
    for (let i = 0; i < 5; i++) {
      const { socket, received, ended } = await tcp();
      // An upgrade request without Sec-WebSocket-Key: past our checks, refused by the WebSocket layer.
      socket.write('GET /doc HTTP/1.1\r\nHost: localhost\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n');
      await ended;
      expect(received()).toMatch(/^HTTP\/1\.1 400/);
    }
    await raw('doc');
    await raw('doc');
    expect(await upgradeStatus(server.url, '/doc')).toBe(429);
  });
});

describe('documents in memory', () => {
  it('answers 503 for a new document past --max-loaded-docs, while loaded documents stay open', async () => {
    await start({ maxLoadedDocs: 2 });
    const a = connect('a');
    const b = connect('b');
    await Promise.all([waitForSynced(a), waitForSynced(b)]);
    expect(await upgradeStatus(server.url, '/c')).toBe(503);
    expect(await upgradeStatus(server.url, '/a')).toBe(101);
    a.destroy();
    clients.splice(clients.indexOf(a), 1);
    await waitFor(() => !server.server.rooms.has('a'), { what: 'a unloaded' });
    expect(await upgradeStatus(server.url, '/c')).toBe(101);
  });
});

describe('handshake timeout', () => {
  it('closes sockets that never finish (or never start) their HTTP request', async () => {
    await start({ handshakeTimeoutMs: 500 });
    const silent = await tcp();
    const slow = await tcp();
    slow.socket.write('GET /doc HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\n');
    const started = Date.now();
    await Promise.all([silent.ended, slow.ended]);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(await upgradeStatus(server.url, '/doc')).toBe(101);
  });
});

describe('allowed origins', () => {
  it('refuses an upgrade from an origin not in --allowed-origins with 403', async () => {
    await start({ allowedOrigins: ['https://tandem.example'] });
    expect(await upgradeStatus(server.url, '/doc', { origin: 'https://tandem.example' })).toBe(101);
    expect(await upgradeStatus(server.url, '/doc', { origin: 'https://evil.example' })).toBe(403);
    expect(await upgradeStatus(server.url, '/doc', { origin: 'https://tandem.example.evil.example' })).toBe(403);
    expect(await upgradeStatus(server.url, '/doc')).toBe(403); // no Origin at all
    expect(await rejected('origin')).toBe(3);
  });
});

describe('document size', () => {
  it('closes a connection whose update would grow the document past --max-doc-bytes, and stores none of it', async () => {
    await start({ maxDocBytes: 4096 });
    const writer = connect('capped');
    const reader = connect('capped');
    await Promise.all([waitForSynced(writer), waitForSynced(reader)]);
    writer.text.insert(0, 'small');
    await waitFor(() => reader.text.toString() === 'small');

    const big = new Y.Doc();
    Y.applyUpdate(big, Y.encodeStateAsUpdate(writer.doc));
    big.getText('text').insert(5, 'x'.repeat(8000));
    const stuffer = await raw('capped');
    stuffer.send(updateFrame(Y.encodeStateAsUpdate(big, Y.encodeStateVector(writer.doc))));
    expect((await stuffer.closed).code).toBe(CloseCode.DocumentTooLarge.code);
    expect(await rejected('document-too-large')).toBe(1);

    writer.text.insert(5, '!');
    await waitFor(() => reader.text.toString() === 'small!', { what: 'honest edits still flow' });
    const stored = new Y.Doc();
    await waitFor(async () => {
      for (const update of (await server.server.store.load('capped')).updates) Y.applyUpdate(stored, update);
      return stored.getText('text').toString() === 'small!';
    }, { what: 'storage has only the small text' });
  });
});

describe('slow readers', () => {
  const FLOOD_UPDATES = 300;
  const FLOOD_UPDATE_CHARS = 50_000;

  /** A raw connection to `doc` that reads nothing after its upgrade: the kernel's buffers fill, then the server's. */
  async function stalledReader(doc: string) {
    const stalled = await openRawWebSocket(server.port, `/${doc}`);
    sockets.push(stalled.socket);
    stalled.socket.pause();
    return stalled;
  }

  /** A writer that sends FLOOD_UPDATES updates of FLOOD_UPDATE_CHARS characters each to `doc` at once (15 MB). */
  async function flood(doc: string): Promise<RawClient> {
    const writer = await raw(doc);
    const author = new Y.Doc();
    const updates: Uint8Array[] = [];
    author.on('update', (update: Uint8Array) => updates.push(update));
    for (let i = 0; i < FLOOD_UPDATES; i++) author.getText('text').insert(0, String(i % 10).repeat(FLOOD_UPDATE_CHARS));
    for (const update of updates) writer.send(updateFrame(update));
    return writer;
  }

  it('drops a connection that stops reading once --max-send-backlog-bytes pile up for it, and nobody else', async () => {
    await start({ maxMessageBytes: 64 * 1024, maxSendBacklogBytes: 64 * 1024, maxMessagesPerSecond: 0, maxDocBytes: 1024 * 1024 * 1024 });
    const reader = connect('flood');
    await waitForSynced(reader);
    const stalled = await stalledReader('flood');
    const writer = await flood('flood');

    await waitFor(async () => (await rejected('too-slow-reader')) === 1, { what: 'the stalled reader dropped', timeoutMs: 15_000 });
    stalled.socket.resume(); // reading again, it finds the connection gone
    await stalled.ended;
    // Everyone else got everything.
    await waitFor(() => reader.text.length === FLOOD_UPDATES * FLOOD_UPDATE_CHARS, { what: 'the reading client has every update', timeoutMs: 15_000 });
    expect(writer.socket.readyState).toBe(writer.socket.OPEN);
  });

  it('the server-wide limit drops the largest backlogs first, and only as many as it takes', () => {
    const dropped: string[] = [];
    const holder = (name: string, heldBytes: number): BacklogHolder => ({ heldBytes, dropAsTooSlow: () => dropped.push(name) });
    const crowd = [holder('small', 100), holder('idle', 0), holder('largest', 900), holder('middle', 500), holder('large', 700)];
    limitTotalBacklog(crowd, 2200); // 2,200 in all: within the limit
    expect(dropped).toEqual([]);
    limitTotalBacklog(crowd, 1000); // over by 1,200: the 900 and the 700 must go, the rest fit
    expect(dropped).toEqual(['largest', 'large']);
  });

  it('drops the connections with the most waiting once all of them together pass --max-total-send-backlog-bytes', async () => {
    // Each stalled connection stays far under the per-connection limit; together they pass the server's.
    await start({ maxMessageBytes: 64 * 1024, maxSendBacklogBytes: 256 * 1024 * 1024, maxTotalSendBacklogBytes: 1024 * 1024, maxMessagesPerSecond: 0, maxDocBytes: 1024 * 1024 * 1024 });
    const reader = connect('crowd');
    await waitForSynced(reader);
    const stalled = [await stalledReader('crowd'), await stalledReader('crowd'), await stalledReader('crowd')];
    const writer = await flood('crowd');

    await waitFor(async () => (await rejected('too-slow-reader')) === 3, { what: 'the stalled readers dropped', timeoutMs: 15_000 });
    await Promise.all(stalled.map(async (socket) => {
      socket.socket.resume();
      await socket.ended;
    }));
    await waitFor(() => reader.text.length === FLOOD_UPDATES * FLOOD_UPDATE_CHARS, { what: 'the reading client has every update', timeoutMs: 15_000 });
    expect(writer.socket.readyState).toBe(writer.socket.OPEN);
    expect(await rejected('too-slow-reader')).toBe(3);
  });

  it('lets a client that is still reading its copy of a large document through', async () => {
    await start({ maxMessageBytes: 64 * 1024, maxSendBacklogBytes: 64 * 1024, maxMessagesPerSecond: 0, maxDocBytes: 1024 * 1024 * 1024 });
    const writer = connect('big-doc');
    const watcher = connect('big-doc');
    await Promise.all([waitForSynced(writer), waitForSynced(watcher)]);
    for (let i = 0; i < 400; i++) writer.text.insert(0, String(i % 10).repeat(50_000));
    await waitFor(() => watcher.text.length === 400 * 50_000, { what: 'a 20 MB document', timeoutMs: 15_000 });
    // The watcher may itself have been dropped (and come back) while 20 MB were relayed to it over a
    // 64 KiB limit, if this busy process read slowly: count only what the newcomer's answer causes.
    const droppedBefore = await rejected('too-slow-reader');
    // A newcomer asks for everything, then reads nothing for a while: the 20 MB answer waits for
    // it, far over the limit, and a relay on top of it must not count as falling behind.
    const newcomer = await openRawWebSocket(server.port, '/big-doc');
    sockets.push(newcomer.socket);
    newcomer.socket.pause();
    newcomer.write(clientFrame(Opcode.Binary, step1Frame(Y.encodeStateVector(new Y.Doc()))));
    const room = server.server.rooms.all()[0]!;
    await waitFor(() => [...room.connections].some((conn) => conn.heldBytes > 10 * 1024 * 1024), { what: 'most of the answer waiting in the server' });
    writer.text.insert(0, 'and one more');
    await waitFor(() => watcher.text.toString().startsWith('and one more'), { what: 'the relay went out' });
    expect(await rejected('too-slow-reader')).toBe(droppedBefore);
    newcomer.socket.resume();
    await waitFor(() => newcomer.received().length > 400 * 50_000, { what: 'the newcomer read its copy', timeoutMs: 15_000 });
    expect(newcomer.socket.destroyed).toBe(false);
  });
});
