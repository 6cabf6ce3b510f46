// @vitest-environment jsdom
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { WebSocket as NodeWebSocket, WebSocketServer } from 'ws';
import { Awareness } from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import type { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { createEditor, type TandemEditor } from './createEditor.js';
import { createProvider, observeConnectionStatus, type ConnectionStatus } from './provider.js';
import { isReadOnlyToken, readTokenClaims, tokenRefreshingWebSocket, TOKEN_EXPIRED_CLOSE_CODE } from './tokenRefresh.js';

/** A JWT-shaped token (unsigned: the client never verifies, the gate below only compares strings). */
function jwt(claims: Record<string, unknown>): string {
  const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64(claims)}.signature`;
}
let serial = 0;
const token = (secondsLeft = 600, access = 'write') => jwt({ sub: 'u1', doc: 'd', access, exp: Math.floor(Date.now() / 1000) + secondsLeft, n: ++serial });

/**
 * A sync server that admits only the tokens in `valid` (HTTP 401 at the upgrade otherwise, as the
 * Tandem server does) and answers sync step 1, so providers reach "synced".
 */
interface Gate {
  url: string;
  valid: Set<string>;
  upgrades: Array<{ token: string | null; accepted: boolean }>;
  sockets: NodeWebSocket[];
  close(): Promise<void>;
}
async function startGate(): Promise<Gate> {
  const http: Server = createServer((_req, res) => res.writeHead(404).end());
  const wss = new WebSocketServer({ noServer: true });
  const doc = new Y.Doc();
  const gate: Omit<Gate, 'url' | 'close'> = { valid: new Set(), upgrades: [], sockets: [] };
  http.on('upgrade', (request, socket, head) => {
    const tokenParam = new URL(request.url ?? '/', 'http://gate').searchParams.get('token');
    const accepted = tokenParam !== null && gate.valid.has(tokenParam);
    gate.upgrades.push({ token: tokenParam, accepted });
    if (!accepted) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => {
      gate.sockets.push(ws);
      ws.on('message', (data: Buffer) => {
        const decoder = decoding.createDecoder(new Uint8Array(data));
        if (decoding.readVarUint(decoder) !== 0) return;
        const encoder = encoding.createEncoder();
        encoding.writeVarUint(encoder, 0);
        syncProtocol.readSyncMessage(decoder, encoder, doc, ws);
        if (encoding.length(encoder) > 1) ws.send(encoding.toUint8Array(encoder));
      });
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  return {
    ...gate,
    url: `ws://127.0.0.1:${(http.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate();
        http.close(() => resolve());
      }),
  };
}

let gate: Gate;
const cleanups: Array<() => void> = [];
beforeAll(async () => {
  gate = await startGate();
});
afterEach(() => {
  cleanups.splice(0).forEach((fn) => fn());
  gate.valid.clear();
  gate.upgrades.length = 0;
  gate.sockets.length = 0;
});
afterAll(() => gate.close());

function connect(options: { token?: string; getToken: () => Promise<string> }) {
  const doc = new Y.Doc();
  const awareness = new Awareness(doc);
  const provider = createProvider({
    serverUrl: gate.url,
    docName: 'd',
    doc,
    awareness,
    token: options.token,
    getToken: options.getToken,
    WebSocketPolyfill: NodeWebSocket as unknown as typeof WebSocket,
  });
  const statuses: ConnectionStatus[] = [];
  const stop = observeConnectionStatus(provider, (s) => statuses.push(s));
  cleanups.push(() => {
    stop();
    provider.destroy();
    awareness.destroy();
    doc.destroy();
  });
  return { provider, statuses };
}

/** A getToken that hands out fresh valid tokens, counting calls. */
function issuer(secondsLeft = 600) {
  const issued: string[] = [];
  const getToken = vi.fn(async () => {
    const t = token(secondsLeft);
    gate.valid.add(t);
    issued.push(t);
    return t;
  });
  return { getToken, issued };
}

const synced = (provider: WebsocketProvider) => vi.waitFor(() => expect(provider.synced).toBe(true), { timeout: 5000 });

describe('readTokenClaims', () => {
  it('reads the payload of a JWT (base64url, UTF-8) and nothing from anything else', () => {
    expect(readTokenClaims(jwt({ sub: 'ü-1', access: 'read', exp: 5 }))).toEqual({ sub: 'ü-1', access: 'read', exp: 5 });
    for (const bad of [undefined, '', 'abc', 'a.%%%.c', 'a.bnVsbA.c' /* null */, `a.${Buffer.from('[').toString('base64url')}.c`]) {
      expect(readTokenClaims(bad)).toBeUndefined();
    }
    expect(isReadOnlyToken(jwt({ access: 'read' }))).toBe(true);
    expect(isReadOnlyToken(jwt({ access: 'write' }))).toBe(false);
    expect(isReadOnlyToken(undefined)).toBe(false);
  });
});

describe('token refresh', () => {
  it('with a fresh token, the provider gets the real WebSocket and getToken is not called', async () => {
    const t = token();
    gate.valid.add(t);
    const { getToken } = issuer();
    const { provider } = connect({ token: t, getToken });
    await synced(provider);
    expect(provider.ws).toBeInstanceOf(NodeWebSocket);
    expect(getToken).not.toHaveBeenCalled();
    expect(gate.upgrades).toEqual([{ token: t, accepted: true }]);
  });

  it('with no token, fetches one before the first connection', async () => {
    const { getToken, issued } = issuer();
    const { provider, statuses } = connect({ getToken });
    await synced(provider);
    expect(getToken).toHaveBeenCalledTimes(1);
    expect(gate.upgrades).toEqual([{ token: issued[0], accepted: true }]);
    expect(provider.params.token).toBe(issued[0]);
    expect(statuses).toEqual(['connecting', 'connected']);
  });

  it('after close 4001 (TokenExpired) reconnects only with a fresh token', async () => {
    const first = token();
    gate.valid.add(first);
    const { getToken, issued } = issuer();
    const { provider } = connect({ token: first, getToken });
    await synced(provider);
    // The server's side of expiry: the old token is no longer accepted, and the socket is closed.
    gate.valid.delete(first);
    gate.sockets[0]!.close(TOKEN_EXPIRED_CLOSE_CODE, 'token expired');
    await vi.waitFor(() => expect(gate.sockets).toHaveLength(2), { timeout: 5000 });
    await synced(provider);
    expect(getToken).toHaveBeenCalledTimes(1);
    expect(gate.upgrades).toEqual([
      { token: first, accepted: true },
      { token: issued[0], accepted: true },
    ]);
    // And again: every expiry costs exactly one refresh.
    gate.sockets[1]!.close(TOKEN_EXPIRED_CLOSE_CODE, 'token expired');
    await vi.waitFor(() => expect(gate.sockets).toHaveLength(3), { timeout: 5000 });
    expect(gate.upgrades.map((u) => u.token)).toEqual([first, issued[0], issued[1]]);
    expect(gate.upgrades.every((u) => u.accepted)).toBe(true);
  });

  it('a token that has expired by the clock is refreshed before connecting', async () => {
    const old = token(-10);
    gate.valid.add(old); // even if the server would take it, it is not sent
    const { getToken, issued } = issuer();
    const { provider } = connect({ token: old, getToken });
    await synced(provider);
    expect(gate.upgrades).toEqual([{ token: issued[0], accepted: true }]);
  });

  it('a 401 at reconnect (a connection that never opens) makes the next attempt fetch a fresh token', async () => {
    const first = token();
    gate.valid.add(first);
    const { getToken, issued } = issuer();
    const { provider } = connect({ token: first, getToken });
    await synced(provider);
    // The server restarts with the token revoked: an ordinary close, then a 401 at the upgrade.
    gate.valid.delete(first);
    gate.sockets[0]!.close(1011, 'internal error');
    await vi.waitFor(() => expect(gate.sockets).toHaveLength(2), { timeout: 8000 });
    await synced(provider);
    expect(gate.upgrades).toEqual([
      { token: first, accepted: true },
      { token: first, accepted: false },
      { token: issued[0], accepted: true },
    ]);
  });

  it('when the refresh fails, it does not connect with the expired token; it retries until a token comes', async () => {
    const first = token();
    gate.valid.add(first);
    let failures = 2;
    const issued: string[] = [];
    const getToken = vi.fn(async () => {
      if (failures-- > 0) throw new Error('app unreachable');
      const t = token();
      gate.valid.add(t);
      issued.push(t);
      return t;
    });
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    cleanups.push(() => warn.mockRestore());
    const { provider, statuses } = connect({ token: first, getToken });
    await synced(provider);
    gate.sockets[0]!.close(TOKEN_EXPIRED_CLOSE_CODE, 'token expired');
    await vi.waitFor(() => expect(gate.sockets).toHaveLength(2), { timeout: 8000 });
    await synced(provider);
    expect(getToken).toHaveBeenCalledTimes(3);
    expect(gate.upgrades.map((u) => u.token)).toEqual([first, issued[0]]);
    expect(statuses).toEqual(['connecting', 'connected', 'offline', 'connected']);
  });

  it('a refresh that fails after a connection that never opened keeps a token that has not expired', async () => {
    // The app and the sync server are both unreachable for a moment: the token was never the problem.
    const first = token();
    const getToken = vi.fn(async () => {
      throw new Error('app unreachable');
    });
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    cleanups.push(() => warn.mockRestore());
    const { provider } = connect({ token: first, getToken });
    await vi.waitFor(() => expect(gate.upgrades.length).toBeGreaterThanOrEqual(2), { timeout: 5000 });
    gate.valid.add(first);
    await synced(provider);
    expect(new Set(gate.upgrades.map((u) => u.token))).toEqual(new Set([first]));
    expect(getToken).toHaveBeenCalled();
  });

  it('destroying the provider while a token is on its way opens no connection', async () => {
    let release!: (t: string) => void;
    const getToken = vi.fn(() => new Promise<string>((resolve) => (release = resolve)));
    const { provider } = connect({ getToken });
    await vi.waitFor(() => expect(getToken).toHaveBeenCalledTimes(1));
    provider.destroy();
    const t = token();
    gate.valid.add(t);
    release(t);
    await new Promise((r) => setTimeout(r, 300));
    expect(gate.upgrades).toEqual([]);
  });

  it('the stand-in socket behaves like a connecting WebSocket until the real one exists', async () => {
    let release!: (t: string) => void;
    const Socket = tokenRefreshingWebSocket(NodeWebSocket as unknown as typeof WebSocket, {
      getParams: () => ({}),
      getToken: () => new Promise<string>((resolve) => (release = resolve)),
    });
    const socket = new Socket(`${gate.url}/d?x=1`);
    socket.binaryType = 'arraybuffer';
    expect(socket.readyState).toBe(WebSocket.CONNECTING);
    expect(() => socket.send('x')).toThrow();
    const opened = new Promise<Event>((resolve) => (socket.onopen = resolve));
    const listened = new Promise<void>((resolve) => socket.addEventListener('open', () => resolve()));
    const t = token();
    gate.valid.add(t);
    await vi.waitFor(() => expect(release).toBeTypeOf('function'));
    release(t);
    await Promise.all([opened, listened]);
    expect(socket.readyState).toBe(WebSocket.OPEN);
    expect(socket.binaryType).toBe('arraybuffer');
    expect(new URL(socket.url).searchParams.get('token')).toBe(t);
    expect(new URL(socket.url).searchParams.get('x')).toBe('1');
    const closed = new Promise<CloseEvent>((resolve) => (socket.onclose = resolve));
    socket.close(1000);
    expect((await closed).code).toBe(1000);
  });
});

describe('createEditor with tokens', () => {
  const editors: TandemEditor[] = [];
  afterEach(() => {
    editors.splice(0).forEach((e) => e.destroy());
    document.body.replaceChildren();
  });

  it('a read token makes the editor read-only; getToken is used for the connection', async () => {
    const readToken = token(600, 'read');
    const getToken = vi.fn(async () => {
      gate.valid.add(readToken);
      return readToken;
    });
    const element = document.createElement('div');
    document.body.append(element);
    const editor = createEditor(element, {
      docName: 'd',
      serverUrl: gate.url,
      user: { name: 'Ada', color: '#3e63dd' },
      token: readToken,
      getToken,
      WebSocketPolyfill: NodeWebSocket as unknown as typeof WebSocket,
    });
    editors.push(editor);
    expect(element.querySelector('.tandem-editor')!.getAttribute('data-readonly')).toBe('true');
    expect(element.querySelector('.ProseMirror')!.getAttribute('contenteditable')).toBe('false');
    await vi.waitFor(() => expect(editor.status).toBe('connected'));
  });
});

describe('getToken that never answers', () => {
  it('counts as a failed attempt after the timeout, and the next attempt asks again', async () => {
    let calls = 0;
    const good = token();
    const getToken = () => {
      calls++;
      if (calls === 1) return new Promise<string>(() => {}); // hangs
      gate.valid.add(good);
      return Promise.resolve(good);
    };
    const Socket = tokenRefreshingWebSocket(NodeWebSocket as unknown as typeof WebSocket, { getParams: () => ({}), getToken, timeoutMs: 100 });
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    cleanups.push(() => warn.mockRestore());
    const first = new Socket(`${gate.url}/d`);
    const closed = await new Promise<CloseEvent>((resolve) => (first.onclose = resolve));
    expect(closed.code).toBe(1006);
    const second = new Socket(`${gate.url}/d`);
    await new Promise((resolve) => (second.onopen = resolve));
    expect(calls).toBe(2);
    second.close();
  });
});
