/**
 * The sync-step-1 flood of issue 11: a view-only client on a 2 MiB document stops reading and asks
 * for the whole document hundreds of times, sending pongs of its own so the heartbeat keeps it.
 * It once took the server from 73 MB to 1.7 GB. Every answer now counts against the backlog
 * limits except the latest one while the kernel has not taken it, and only the echo of the
 * server's own random ping payload counts as alive.
 */
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import * as Y from 'yjs';
import { type ProviderClient, connectProvider, waitForSynced } from './test-support/clients.js';
import { step1Frame } from './test-support/frames.js';
import { type RawWebSocket, clientFrame, openRawWebSocket } from './test-support/rawWebSocket.js';
import { type TestServer, rejectedCount, startTestServer, waitFor } from './test-support/server.js';
import { TEST_SECRET, mintToken } from './test-support/tokens.js';
import { Opcode } from './websocket/rfc6455.js';

const MiB = 1024 * 1024;

let server: TestServer;
const clients: ProviderClient[] = [];
const rawSockets: RawWebSocket[] = [];
const sockets: WebSocket[] = [];

function connect(docName: string, token: string): ProviderClient {
  const client = connectProvider(server.url, docName, { params: { token } });
  clients.push(client);
  return client;
}
const rejected = (reason: string): Promise<number> => rejectedCount(server, reason);
const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

afterEach(async () => {
  for (const client of clients.splice(0)) client.destroy();
  for (const raw of rawSockets.splice(0)) raw.socket.destroy();
  for (const socket of sockets.splice(0)) socket.terminate();
  await server?.dispose();
});

describe('a client that asks for the document again and again without reading', () => {
  // Per connection 8 MiB, all together 32 MiB: the attacker's answers must stay within these,
  // so the server's RSS may grow by at most twice their sum (80 MiB) during the attack. Before
  // the fix the answers were exempt from both limits and it grew by about 400 × 2 MiB.
  const maxSendBacklogBytes = 8 * MiB;
  const maxTotalSendBacklogBytes = 32 * MiB;
  const rssBound = 2 * (maxSendBacklogBytes + maxTotalSendBacklogBytes);

  it(`is dropped as too slow and the server's RSS grows by less than ${rssBound / MiB} MiB, while an honest client is served`, async () => {
    server = await startTestServer({ authSecret: TEST_SECRET, maxSendBacklogBytes, maxTotalSendBacklogBytes, maxMessageBytes: 4 * MiB }, { logLevel: 'info' });
    const writer = connect('big', await mintToken({ sub: 'writer', doc: 'big' }));
    await waitForSynced(writer);
    for (let i = 0; i < 40; i++) writer.text.insert(0, String(i % 10).repeat(52_429)); // 2 MiB
    const reader = connect('big', await mintToken({ sub: 'reader', doc: 'big', access: 'read' }));
    await waitFor(() => reader.text.length === writer.text.length, { what: 'the reader has the 2 MiB document', timeoutMs: 15_000 });

    const attacker = await openRawWebSocket(server.port, `/big?token=${await mintToken({ sub: 'mallory', doc: 'big', access: 'read' })}`);
    rawSockets.push(attacker);
    attacker.socket.pause(); // reads nothing from here on
    let peakRss = process.memoryUsage().rss;
    const baselineRss = peakRss;
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 5);
    const everything = step1Frame(Y.encodeStateVector(new Y.Doc()));
    try {
      for (let i = 0; i < 400 && !attacker.socket.destroyed; i++) {
        attacker.write(clientFrame(Opcode.Binary, everything));
        if (i % 20 === 0) attacker.write(clientFrame(Opcode.Pong, randomBytes(4))); // unsolicited
        if (i % 4 === 0) await pause(5); // pacing, not waiting: spread over many cuts, as a network would
      }
      await waitFor(async () => (await rejected('too-slow-reader')) === 1, { what: 'the flooder dropped as too slow', timeoutMs: 15_000 });
    } finally {
      clearInterval(sampler);
    }
    attacker.socket.resume();
    await attacker.ended;
    console.log(`[flood] the server's RSS grew by ${((peakRss - baselineRss) / MiB).toFixed(1)} MiB at most (bound ${rssBound / MiB} MiB)`);
    expect(peakRss - baselineRss).toBeLessThan(rssBound);

    // The honest clients were served throughout, and a newcomer gets the whole document.
    writer.text.insert(0, 'after the flood ');
    await waitFor(() => reader.text.toString().startsWith('after the flood '), { what: 'the reader got the edit' });
    const newcomer = connect('big', await mintToken({ sub: 'newcomer', doc: 'big', access: 'read' }));
    await waitFor(() => newcomer.text.length === writer.text.length, { what: 'a newcomer synced', timeoutMs: 15_000 });
    expect(await rejected('too-slow-reader')).toBe(1);
  });

  it('sent the same way to many connections, is brought under the server-wide limit, answers included', async () => {
    // Each connection stays under its own limit (one answer it has not read is allowed), but
    // together they hold more than the server-wide limit.
    server = await startTestServer({ maxSendBacklogBytes: 256 * MiB, maxTotalSendBacklogBytes: 4 * MiB, maxMessageBytes: 4 * MiB });
    const writer = connectProvider(server.url, 'big');
    clients.push(writer);
    await waitForSynced(writer);
    for (let i = 0; i < 40; i++) writer.text.insert(0, String(i % 10).repeat(52_429)); // 2 MiB
    await waitFor(() => server.server.rooms.all()[0]?.connectionCount === 1);
    const flooders: RawWebSocket[] = [];
    // Ten answers each (20 MiB): more than the kernel's socket buffers take, so most waits in the server.
    const everything = clientFrame(Opcode.Binary, step1Frame(Y.encodeStateVector(new Y.Doc())));
    for (let i = 0; i < 8; i++) {
      const flooder = await openRawWebSocket(server.port, '/big');
      rawSockets.push(flooder);
      flooder.socket.pause();
      flooders.push(flooder);
    }
    for (let round = 0; round < 10; round++) {
      for (const flooder of flooders) flooder.write(everything);
      await pause(20); // pacing: rounds in separate cuts
    }
    await waitFor(async () => (await rejected('too-slow-reader')) >= 1, { what: 'flooders dropped by the server-wide limit', timeoutMs: 15_000 });
    writer.text.insert(0, 'still served');
    const honest = connectProvider(server.url, 'big');
    clients.push(honest);
    await waitFor(() => honest.text.toString().startsWith('still served'), { what: 'an honest client synced', timeoutMs: 15_000 });
  });
});

describe('heartbeat', () => {
  it('only a pong echoing the ping keeps a connection alive: pongs of its own do not', async () => {
    server = await startTestServer({ pingIntervalMs: 100 });
    const open = (autoPong: boolean): Promise<{ socket: WebSocket; closed: Promise<void> }> =>
      new Promise((resolve, reject) => {
        const socket = new WebSocket(`${server.url}/beat`, { autoPong });
        sockets.push(socket);
        socket.on('error', () => {});
        const closed = new Promise<void>((done) => socket.once('close', () => done()));
        socket.once('open', () => resolve({ socket, closed }));
        socket.once('unexpected-response', () => reject(new Error('refused')));
      });
    const honest = await open(true);
    const faker = await open(false);
    const pongs = setInterval(() => faker.socket.pong(randomBytes(4)), 20);
    try {
      await faker.closed;
    } finally {
      clearInterval(pongs);
    }
    expect(faker.socket.readyState).toBe(WebSocket.CLOSED);
    expect(server.logs.some((l) => l.msg === 'terminating connection: missed heartbeat')).toBe(true);
    // Five more heartbeats, each answered: the honest connection stays.
    await new Promise<void>((resolve) => {
      let pings = 0;
      honest.socket.on('ping', () => ++pings === 5 && resolve());
    });
    expect(honest.socket.readyState).toBe(WebSocket.OPEN);
  });
});
