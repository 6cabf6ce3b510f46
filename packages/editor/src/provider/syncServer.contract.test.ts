/**
 * The seam against the real sync server (@tandem/sync-server in this process, port 0): what
 * createProvider relies on of y-websocket (createProvider.ts lists it) and of the server's
 * protocol (PROTOCOL.md) holds together. Tokens here live a few seconds, so the tests run through
 * several expiries.
 */
import { AUTH_BY_MESSAGE, AUTH_MESSAGE_PARAM, CloseCode, decodeTokenMessage, SAVED_ACK_PARAM } from '@tandem/protocol';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { WebSocket as NodeWebSocket } from 'ws';
import { Awareness } from 'y-protocols/awareness';
import * as Y from 'yjs';
import type { EditorError } from '../editorError.js';
import { SaveTracker, type SaveStatus } from '../saveStatus.js';
import { startSyncServer, TEST_SECRET, type TestSyncServer } from '../testing/syncServer.js';
import { observeConnectionStatus, type ConnectionStatus } from './connectionStatus.js';
import { connectionSocketClass } from './connectionSocket.js';
import { createProvider, type ProviderOptions, type SyncConnection } from './createProvider.js';
import { ReconnectSchedule } from './reconnects.js';

/** What a client's sockets did: the URL each was opened with, and the frames each sent. */
interface Wire {
  Socket: typeof WebSocket;
  sockets: Array<{ url: string; sent: Uint8Array[] }>;
}
function recordingWire(): Wire {
  const sockets: Wire['sockets'] = [];
  class RecordingSocket extends NodeWebSocket {
    private readonly record: { url: string; sent: Uint8Array[] };
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols);
      this.record = { url, sent: [] };
      sockets.push(this.record);
    }
    override send(data: Uint8Array): void {
      this.record.sent.push(data);
      super.send(data);
    }
  }
  return { Socket: RecordingSocket as unknown as typeof WebSocket, sockets };
}

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function authServer(): Promise<TestSyncServer> {
  const server = await startSyncServer({ authSecret: TEST_SECRET });
  cleanups.push(() => server.stop());
  return server;
}

/** A client of `docName` named `name`: provider, status history, errors reported. */
function client(server: TestSyncServer, docName: string, name: string, options: Partial<ProviderOptions> = {}, doc = new Y.Doc()) {
  const awareness = new Awareness(doc);
  awareness.setLocalStateField('user', { name, color: '#3e63dd' }); // the server refuses a user without a colour
  const wire = recordingWire();
  const errors: EditorError[] = [];
  const connection: SyncConnection = createProvider({
    serverUrl: server.url,
    docName,
    doc,
    awareness,
    crossTab: false,
    WebSocketPolyfill: wire.Socket,
    onError: (error) => errors.push(error),
    ...options,
  });
  const { provider } = connection;
  const statuses: ConnectionStatus[] = [];
  const stop = observeConnectionStatus(provider, (status) => statuses.push(status));
  const closes: number[] = [];
  provider.on('connection-close', (event) => closes.push(event?.code ?? 0));
  /** The names this client sees in presence. */
  const names = () => [...awareness.getStates().values()].map((state) => (state.user as { name: string } | undefined)?.name).sort();
  cleanups.push(() => {
    stop();
    connection.destroy();
    doc.destroy();
  });
  return { doc, awareness, provider, connection, wire, statuses, closes, errors, names };
}

/** A `getToken` that mints tokens living `seconds`, for subject `sub` (or what `subFor(call)` says). */
function issuer(server: TestSyncServer, seconds: number, subFor: (call: number) => string = () => 'u-1') {
  const issued: string[] = [];
  const getToken = vi.fn(async () => {
    const token = await server.token({ sub: subFor(issued.length + 1), doc: 'doc-*', exp: Math.floor(Date.now() / 1000) + seconds });
    issued.push(token);
    return token;
  });
  return { getToken, issued };
}

const synced = (c: { provider: { synced: boolean } }, timeout = 5000) => vi.waitFor(() => expect(c.provider.synced).toBe(true), { timeout });
const tokenParam = (url: string) => new URL(url).searchParams.get('token');
/** When a token expires, in milliseconds since the epoch. */
const expiryOf = (token: string) => (JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as { exp: number }).exp * 1000;

describe('tokens as the first message (the default)', () => {
  it('the URL carries no token; the token is the first frame, before sync step 1; the server admits the connection', async () => {
    const server = await authServer();
    const token = await server.token({ doc: 'doc-1' });
    const ada = client(server, 'doc-1', 'Ada', { token });
    await synced(ada);
    const [socket] = ada.wire.sockets;
    expect(tokenParam(socket!.url)).toBeNull();
    expect(new URL(socket!.url).searchParams.get(AUTH_MESSAGE_PARAM)).toBe(AUTH_BY_MESSAGE);
    expect(decodeTokenMessage(socket!.sent[0]!)).toBe(token);
    expect(socket!.sent.slice(1).every((frame) => decodeTokenMessage(frame) === undefined)).toBe(true);
    expect(ada.statuses).toEqual(['connecting', 'connected']);
  });

  it('renews the token on the open connection before each expiry: one connection, always connected, presence never drops', async () => {
    const server = await authServer();
    const { getToken, issued } = issuer(server, 4);
    const ada = client(server, 'doc-renew', 'Ada', { getToken });
    const bob = client(server, 'doc-renew', 'Bob', { token: await server.token({ sub: 'bob', doc: 'doc-renew' }) });
    await Promise.all([synced(ada), synced(bob)]);
    await vi.waitFor(() => expect(bob.names()).toEqual(['Ada', 'Bob']));
    const bobLostAda: unknown[] = [];
    bob.awareness.on('change', ({ removed }: { removed: number[] }) => removed.includes(ada.doc.clientID) && bobLostAda.push(removed));
    // Four-second tokens (renewed about two seconds in): wait until the third one has expired too.
    await vi.waitFor(() => expect(issued.length).toBeGreaterThanOrEqual(3), { timeout: 10_000 });
    await vi.waitFor(() => expect(Date.now()).toBeGreaterThan(expiryOf(issued[2]!)), { timeout: 10_000, interval: 100 });
    expect(ada.wire.sockets[0]!.sent.filter((f) => decodeTokenMessage(f) !== undefined).length).toBeGreaterThanOrEqual(4);
    ada.doc.getText('t').insert(0, 'still editing');
    await vi.waitFor(() => expect(bob.doc.getText('t').toString()).toBe('still editing'));
    expect(ada.wire.sockets).toHaveLength(1);
    expect(ada.closes).toEqual([]);
    expect(ada.statuses).toEqual(['connecting', 'connected']);
    expect(bobLostAda).toEqual([]);
    expect(ada.errors).toEqual([]);
  }, 30_000);

  it('a getToken that fails at renewal time is reported and tried again; the connection stays', async () => {
    const server = await authServer();
    const { getToken } = issuer(server, 4);
    let calls = 0;
    const ada = client(server, 'doc-flaky', 'Ada', {
      getToken: () => (++calls === 2 ? Promise.reject(new Error('app unreachable')) : getToken()),
    });
    await synced(ada);
    await vi.waitFor(() => expect(calls).toBeGreaterThanOrEqual(3), { timeout: 8000, interval: 100 });
    expect(ada.errors.map((e) => [e.kind, (e.cause as Error).message])).toEqual([['token', 'app unreachable']]);
    expect(ada.wire.sockets).toHaveLength(1);
    expect(ada.statuses).toEqual(['connecting', 'connected']);
  }, 15_000);

  it('a renewal the server refuses (another subject) closes with 4002; the next connection starts with a fresh token', async () => {
    const server = await authServer();
    const { getToken, issued } = issuer(server, 3, (call) => (call === 2 ? 'mallory' : 'u-1'));
    const ada = client(server, 'doc-refused', 'Ada', { getToken });
    await synced(ada);
    await vi.waitFor(() => expect(ada.closes).toEqual([CloseCode.Unauthenticated.code]), { timeout: 8000 });
    await vi.waitFor(() => expect(ada.wire.sockets).toHaveLength(2), { timeout: 5000 });
    await synced(ada);
    expect(decodeTokenMessage(ada.wire.sockets[1]!.sent[0]!)).toBe(issued[2]);
  }, 15_000);

  it('with no token, getToken is asked before the first connection; a failing one is reported and retried, and nothing connects meanwhile', async () => {
    const server = await authServer();
    const { getToken: mint } = issuer(server, 600);
    let calls = 0;
    const getToken = () => (++calls === 1 ? Promise.reject(new Error('app unreachable')) : mint());
    const ada = client(server, 'doc-first', 'Ada', { getToken, backoff: { initialDelayMs: 50, maxDelayMs: 50 } });
    await synced(ada);
    expect(calls).toBe(2);
    expect(ada.wire.sockets).toHaveLength(1);
    expect(ada.errors.map((e) => e.kind)).toEqual(['token']);
  });

  it('a token that has expired by the clock is not sent: a fresh one is fetched first', async () => {
    const server = await authServer();
    const { getToken, issued } = issuer(server, 600);
    const old = await server.token({ doc: 'doc-old', exp: Math.floor(Date.now() / 1000) - 10 });
    const ada = client(server, 'doc-old', 'Ada', { token: old, getToken });
    await synced(ada);
    expect(ada.wire.sockets.map((s) => decodeTokenMessage(s.sent[0]!))).toEqual([issued[0]]);
  });

  it('destroying the provider while a token is on its way opens no connection', async () => {
    const server = await authServer();
    let release!: (token: string) => void;
    const ada = client(server, 'doc-gone', 'Ada', { getToken: () => new Promise<string>((resolve) => (release = resolve)) });
    await vi.waitFor(() => expect(release).toBeTypeOf('function'));
    ada.connection.destroy();
    release(await server.token({ doc: 'doc-gone' }));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(ada.wire.sockets).toEqual([]);
  });

  it('a getToken that never answers counts as failed after the timeout, and the next attempt asks again', async () => {
    const server = await authServer();
    const { getToken: mint } = issuer(server, 600);
    let calls = 0;
    const getToken = () => (++calls === 1 ? new Promise<string>(() => {}) : mint());
    const ada = client(server, 'doc-hang', 'Ada', { getToken, tokenTimeoutMs: 100, backoff: { initialDelayMs: 50, maxDelayMs: 50 } });
    await synced(ada);
    expect(calls).toBe(2);
    expect(String((ada.errors[0]?.cause as Error).message)).toMatch(/did not answer within 100 ms/);
  });
});

describe('tokens in the URL (tokenTransport: url)', () => {
  it('at expiry the server closes with 4001; the editor reconnects with a fresh token, and the others see it back at once', async () => {
    const server = await authServer();
    const { getToken, issued } = issuer(server, 2);
    const ada = client(server, 'doc-url', 'Ada', { getToken, tokenTransport: 'url' });
    const bob = client(server, 'doc-url', 'Bob', { token: await server.token({ sub: 'bob', doc: 'doc-url' }), tokenTransport: 'url' });
    await Promise.all([synced(ada), synced(bob)]);
    await vi.waitFor(() => expect(bob.names()).toEqual(['Ada', 'Bob']));
    await vi.waitFor(() => expect(ada.closes).toContain(CloseCode.TokenExpired.code), { timeout: 5000 });
    await vi.waitFor(() => expect(ada.wire.sockets).toHaveLength(2));
    await synced(ada);
    // Her presence is back at once, not at its 15-second renewal.
    await vi.waitFor(() => expect(bob.names()).toEqual(['Ada', 'Bob']), { timeout: 2000 });
    expect(ada.wire.sockets.map((s) => tokenParam(s.url))).toEqual([issued[0], issued[1]]);
    expect(ada.wire.sockets.every((s) => s.sent.every((frame) => decodeTokenMessage(frame) === undefined))).toBe(true);
  });

  it('an upgrade refused with 401 (a connection that never opened) makes the next attempt fetch a fresh token', async () => {
    const server = await authServer();
    const { getToken, issued } = issuer(server, 600);
    const first = await server.token({ doc: 'doc-401' });
    const ada = client(server, 'doc-401', 'Ada', { token: first, getToken, tokenTransport: 'url', backoff: { initialDelayMs: 50, maxDelayMs: 50 } });
    await synced(ada);
    // The server comes back with another secret: the token it has is refused at the upgrade.
    await server.stop();
    await server.restart({ authSecret: `${TEST_SECRET}-rotated` });
    await vi.waitFor(() => expect(ada.wire.sockets.length).toBeGreaterThanOrEqual(3), { timeout: 5000 });
    await synced(ada);
    expect(ada.wire.sockets.map((s) => tokenParam(s.url))).toEqual([first, first, issued[0]]);
  });
});

describe('Saved acknowledgements through the tap', () => {
  it('opts in, and the tracker says saved only once the server has written the change', async () => {
    const server = await startSyncServer();
    cleanups.push(() => server.stop());
    const doc = new Y.Doc();
    const tracker = new SaveTracker(doc);
    const statuses: SaveStatus[] = [];
    tracker.onChange((status) => statuses.push(status));
    const ada = client(server, 'doc-saved', 'Ada', { tap: tracker }, doc);
    tracker.attach(ada.provider);
    await vi.waitFor(() => expect(tracker.status).toBe('saved'));
    expect(new URL(ada.wire.sockets[0]!.url).searchParams.get(SAVED_ACK_PARAM)).toBe('1');
    server.store.hold();
    doc.getText('t').insert(0, 'typed');
    expect(tracker.status).toBe('saving');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(tracker.status).toBe('saving');
    server.store.release();
    await tracker.whenSaved();
    expect((await server.storedDoc('doc-saved')).getText('t').toString()).toBe('typed');
    expect(statuses).toEqual(['saved', 'saving', 'saved']);
    tracker.destroy();
  });
});

describe('a WebSocket the browser will not open', () => {
  it('is reported (kind connection) and counts as a failed attempt, retried with backoff', async () => {
    // ws, like a browser, throws at construction for a URL it cannot use (here: a port past 65535).
    const errors: EditorError[] = [];
    const reconnects = new ReconnectSchedule({ initialDelayMs: 20, maxDelayMs: 20 });
    const { Socket } = connectionSocketClass({ Base: NodeWebSocket as unknown as typeof WebSocket, tokens: undefined, transport: 'message', params: {}, reconnects, tap: undefined, onError: (e) => errors.push(e) });
    const socket = new Socket('ws://127.0.0.1:99999/doc');
    const closed = await new Promise<CloseEvent>((resolve) => (socket.onclose = resolve));
    expect(closed.code).toBe(CloseCode.Abnormal.code);
    expect(socket.readyState).toBe(NodeWebSocket.CLOSED);
    expect(errors.map((e) => [e.kind, e.message])).toEqual([['connection', 'could not open a WebSocket to ws://127.0.0.1:99999/doc']]);
    // The next attempt waits its backoff, like after any failed connection.
    const next = reconnects.wait();
    let waited = false;
    void next.done.then(() => (waited = true));
    await Promise.resolve();
    expect(waited).toBe(false);
    await next.done;
  });
});
