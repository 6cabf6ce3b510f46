/**
 * Hostile connections at the socket level, against the real server on port 0: thousands of
 * half-open TCP connections, a 64 MiB frame, and document names written as raw bytes.
 */
import { CloseCode } from '@tandem/protocol';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { connect as tcpConnect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { type ProviderClient, connectProvider, waitForSynced } from './test-support/clients.js';
import { clientFrameHeader, parseServerFrames } from './test-support/rawWebSocket.js';
import { type TestServer, startTestServer, waitFor } from './test-support/server.js';
import { Opcode } from './websocket/rfc6455.js';

let server: TestServer;
const sockets: Socket[] = [];
const clients: ProviderClient[] = [];

afterEach(async () => {
  for (const client of clients.splice(0)) client.destroy();
  for (const socket of sockets.splice(0)) socket.destroy();
  await server.dispose();
});

interface TcpPeer {
  socket: Socket;
  received: () => Buffer;
  closed: Promise<void>;
}

function openTcp(port: number, localAddress?: string): Promise<TcpPeer> {
  return new Promise((resolve, reject) => {
    const socket = tcpConnect({ port, host: '127.0.0.1', localAddress });
    sockets.push(socket);
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    const closed = new Promise<void>((res) => socket.once('close', () => res()));
    socket.once('connect', () => {
      socket.on('error', () => {});
      resolve({ socket, received: () => Buffer.concat(chunks), closed });
    });
    socket.once('error', reject);
  });
}

/** The status line a raw HTTP request gets. */
async function rawStatus(port: number, requestLine: Buffer): Promise<string> {
  const peer = await openTcp(port);
  peer.socket.write(
    Buffer.concat([
      requestLine,
      Buffer.from('\r\nHost: localhost\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n'),
    ]),
  );
  await Promise.race([peer.closed, waitFor(() => peer.received().includes('\r\n'), { what: 'status line' })]);
  return peer.received().toString('latin1').split('\r\n')[0]!;
}

/** The code of the first close frame among the server's frames in `data`, if one arrived. */
const closeCodeIn = (data: Buffer): number | undefined => parseServerFrames(data).find((frame) => frame.opcode === 0x8)?.payload.readUInt16BE(0);

describe('half-open connections', () => {
  it('3,000 connections that never finish the HTTP handshake neither stop an honest client nor outlive the timeout', async () => {
    server = await startTestServer({ handshakeTimeoutMs: 3000 }); // long enough to open all 3,000 first
    const total = 3000;
    const acceptedCount = (): Promise<number> => new Promise((resolve, reject) => server.server.httpServer.getConnections((error, n) => (error ? reject(error) : resolve(n))));
    const peers: TcpPeer[] = [];
    // Spread over several loopback source addresses, as many attackers would be.
    for (let batch = 0; batch < total / 250; batch++) {
      const opened = await Promise.all(Array.from({ length: 250 }, (_, i) => openTcp(server.port, `127.0.0.${2 + ((batch * 250 + i) % 10)}`)));
      opened.forEach((peer, i) => {
        // Half say nothing at all; half start an upgrade request and stop in the middle of the headers.
        if (i % 2 === 0) peer.socket.write(`GET /victim HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nX-Slow-${i}: `);
      });
      peers.push(...opened);
      // Let the server accept this batch before the next: the kernel's accept queue is finite, and
      // dropped SYNs cost a one-second retransmit each.
      await waitFor(() => acceptedCount().then((n) => n >= peers.length), { what: 'server accepted the batch' });
    }
    expect(peers.length).toBe(total);
    const open = (): number => peers.filter((p) => !p.socket.destroyed && p.socket.readyState === 'open').length;
    const stillOpenWhileHonest = open();

    const writer = connectProvider(server.url, 'victim');
    clients.push(writer);
    await waitForSynced(writer);
    writer.text.insert(0, 'served despite the crowd');
    const reader = connectProvider(server.url, 'victim');
    clients.push(reader);
    await waitFor(() => reader.text.toString() === 'served despite the crowd', { what: 'honest sync under load' });
    expect(stillOpenWhileHonest).toBeGreaterThan(total * 0.9); // the crowd really was there

    const started = Date.now();
    await waitFor(() => open() === 0, { timeoutMs: 15_000, intervalMs: 100, what: `the server to close all ${total} half-open sockets (${open()} left)` });
    console.log(`[hostile] ${total} half-open sockets closed by the server within ${Date.now() - started} ms of the honest sync`);
    // The honest connection, past its handshake, is not subject to the timeout.
    expect(writer.provider.wsconnected && reader.provider.wsconnected).toBe(true);
  }, 60_000);
});

describe('oversized frames', () => {
  it('refuses a frame declaring 64 MiB with 1009, without the memory growing by anything like that', async () => {
    server = await startTestServer(); // default --max-message-bytes (16 MiB)
    const peer = await openTcp(server.port);
    peer.socket.write(
      'GET /big HTTP/1.1\r\nHost: localhost\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\n' +
        `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\n\r\n`,
    );
    await waitFor(() => peer.received().includes('\r\n\r\n'), { what: '101 response' });
    expect(peer.received().toString('latin1')).toMatch(/^HTTP\/1\.1 101/);
    const handshakeLength = peer.received().indexOf('\r\n\r\n') + 4;

    const rssBefore = process.memoryUsage().rss;
    peer.socket.write(clientFrameHeader(Opcode.Binary, 64 * 1024 * 1024)); // masked, 64-bit length
    // Stream the first 8 MiB of the body too, as a real sender would, until the server says no.
    const chunk = randomBytes(64 * 1024);
    for (let sent = 0; sent < 8 * 1024 * 1024 && !peer.socket.destroyed; sent += chunk.length) {
      // Under backpressure, wait for the socket to drain (or for the server to hang up).
      if (!peer.socket.write(chunk)) await Promise.race([once(peer.socket, 'drain'), once(peer.socket, 'close')]);
      if (closeCodeIn(peer.received().subarray(handshakeLength)) !== undefined) break;
    }
    await waitFor(() => closeCodeIn(peer.received().subarray(handshakeLength)) !== undefined, { what: 'close frame' });
    expect(closeCodeIn(peer.received().subarray(handshakeLength))).toBe(CloseCode.MessageTooBig.code);
    const grown = process.memoryUsage().rss - rssBefore;
    console.log(`[hostile] 64 MiB frame refused; RSS grew by ${(grown / 1024 / 1024).toFixed(1)} MiB`);
    expect(grown).toBeLessThan(24 * 1024 * 1024);
    const health = await fetch(`${server.httpUrl}/healthz`);
    expect(health.status).toBe(200);
  });
});

describe('document names as raw bytes', () => {
  it.each([
    ['../ in the path', 'GET /../etc/passwd HTTP/1.1'],
    ['an encoded ../', 'GET /..%2f..%2fetc HTTP/1.1'],
    ['a NUL byte', 'GET /a\u0000b HTTP/1.1'],
    ['raw UTF-8 look-alike letters', 'GET /d\u043e\u0441 HTTP/1.1'],
    ['right-to-left override', 'GET /abc\u202etxt.exe HTTP/1.1'],
    ['a 10 KB name', `GET /${'n'.repeat(10 * 1024)} HTTP/1.1`],
  ])('%s → 400 before any WebSocket', async (_label, requestLine) => {
    server = await startTestServer();
    expect(await rawStatus(server.port, Buffer.from(requestLine, 'utf8'))).toMatch(/^HTTP\/1\.1 400/);
    expect(server.server.rooms.size).toBe(0);
  });
});
