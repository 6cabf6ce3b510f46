/**
 * The three ways to present a token (URL, cookie, first message), and that a connection waiting
 * for its token message is served nothing and relays nothing (issue 13, item 12).
 */
import { AUTH_BY_MESSAGE, AUTH_MESSAGE_PARAM, CloseCode, MessageType, SyncMessageType, decodeSyncMessage, encodeTokenMessage } from '@tandem/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import * as Y from 'yjs';
import { type ProviderClient, type WebSocketClass, connectProvider, waitForSynced } from './test-support/clients.js';
import { awarenessFrame, step1Frame, updateFrame } from './test-support/frames.js';
import { type RawWebSocket, clientFrame, openRawWebSocket, rawRoundTrip } from './test-support/rawWebSocket.js';
import { type TestServer, rejectedCount, startTestServer, waitFor } from './test-support/server.js';
import { TEST_SECRET, mintToken } from './test-support/tokens.js';
import { Opcode } from './websocket/rfc6455.js';

const ORIGIN = 'https://tandem.example';
const BY_MESSAGE = `${AUTH_MESSAGE_PARAM}=${AUTH_BY_MESSAGE}`;

let server: TestServer;
const clients: ProviderClient[] = [];
const raws: RawWebSocket[] = [];

async function start(overrides: Parameters<typeof startTestServer>[0] = {}): Promise<void> {
  server = await startTestServer({ authSecret: TEST_SECRET, allowedOrigins: [ORIGIN], ...overrides });
}
/** A stock provider whose WebSocket class is `WebSocketClass` (Origin header set, as a browser would). */
function provider(docName: string, WebSocketClass: WebSocketClass, params: Record<string, string> = {}): ProviderClient {
  const client = connectProvider(server.url, docName, { params, WebSocketClass });
  clients.push(client);
  return client;
}
/** What a browser page on ORIGIN opens, with extra headers. */
function browserSocket(headers: Record<string, string> = {}): WebSocketClass {
  return class extends WebSocket {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols, { headers: { origin: ORIGIN, ...headers } });
    }
  };
}
/**
 * A socket that sends `token` as its first message, the way the editor will: its 'open' listener
 * is added before the provider's, so the token goes out before the provider's sync step 1.
 */
function tokenFirstSocket(token: string): WebSocketClass {
  return class extends browserSocket() {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols);
      this.addEventListener('open', () => this.send(encodeTokenMessage(token)));
    }
  };
}
async function raw(path: string): Promise<RawWebSocket> {
  const socket = await openRawWebSocket(server.port, path, { origin: ORIGIN });
  raws.push(socket);
  return socket;
}
const binary = (frame: Uint8Array): Buffer => clientFrame(Opcode.Binary, frame);
/** The binary messages the server sent, by their first bytes. */
const messagesOf = (socket: RawWebSocket): Buffer[] => socket.frames().filter((f) => f.opcode === Opcode.Binary).map((f) => f.payload);
/** The code of the close frame the server sends (the raw client never answers it, so the TCP close comes 10 s later). */
async function closeCodeOf(socket: RawWebSocket): Promise<number> {
  return (await waitFor(() => socket.closeFrame(), { what: 'a close frame' }))!.code;
}
const rejected = (reason: string): Promise<number> => rejectedCount(server, reason);

afterEach(async () => {
  for (const client of clients.splice(0)) client.destroy();
  for (const socket of raws.splice(0)) socket.socket.destroy();
  await server?.dispose();
});

describe('three ways to present a token', () => {
  it('a URL token, a cookie and a first message each get a stock provider in, and they edit together', async () => {
    await start();
    const byUrl = provider('shared', browserSocket(), { token: await mintToken({ sub: 'url', doc: 'shared' }) });
    const byCookie = provider('shared', browserSocket({ cookie: `tandem_token=${await mintToken({ sub: 'cookie', doc: 'shared' })}` }));
    const byMessage = provider('shared', tokenFirstSocket(await mintToken({ sub: 'message', doc: 'shared' })), { [AUTH_MESSAGE_PARAM]: AUTH_BY_MESSAGE });
    await Promise.all([byUrl, byCookie, byMessage].map((client) => waitForSynced(client)));
    byUrl.text.insert(0, 'url ');
    byCookie.text.insert(0, 'cookie ');
    byMessage.text.insert(0, 'message ');
    await waitFor(() => [byUrl, byCookie, byMessage].every((c) => c.text.length === 'url cookie message '.length), { what: 'all three converge' });
    expect(byUrl.text.toString()).toBe(byMessage.text.toString());
    const room = server.server.rooms.all()[0]!;
    expect(new Set([...room.connections].map((conn) => conn.identity.userId))).toEqual(new Set(['url', 'cookie', 'message']));
  });
});

describe('a connection waiting for its token message', () => {
  it('is served nothing and hears no relay until its token is checked, then syncs', async () => {
    await start();
    const writer = provider('held', browserSocket(), { token: await mintToken({ sub: 'w', doc: 'held' }) });
    const admitted = provider('held', browserSocket(), { token: await mintToken({ sub: 'a', doc: 'held', access: 'read' }) });
    await Promise.all([waitForSynced(writer), waitForSynced(admitted)]);
    writer.text.insert(0, 'before');
    const waiting = await raw(`/held?${BY_MESSAGE}`);
    writer.text.insert(0, 'while waiting ');
    writer.provider.awareness.setLocalStateField('user', { name: 'Writer', color: '#3366cc' });
    // An admitted client has the edit and the presence: the server relayed both. A ping answered
    // after that shows none of it went to the waiting connection.
    await waitFor(() => admitted.text.toString() === 'while waiting before' && admitted.provider.awareness.getStates().get(writer.doc.clientID)?.user, {
      what: 'the relay to an admitted client',
    });
    await rawRoundTrip(waiting);
    expect(waiting.frames().filter((frame) => frame.opcode !== Opcode.Pong)).toEqual([]);
    expect(server.server.rooms.all()[0]!.connectionCount).toBe(2);

    // The token, then (before it is even checked) a step 1 and a presence state: they wait their turn.
    waiting.write(Buffer.concat([
      binary(encodeTokenMessage(await mintToken({ sub: 'r', doc: 'held', access: 'read' }))),
      binary(step1Frame(Y.encodeStateVector(new Y.Doc()))),
      binary(awarenessFrame([{ clientId: 5151, clock: 1, state: { user: { name: 'Reader', color: '#cc3366' } } }])),
    ]));
    await waitFor(() => messagesOf(waiting).some((m) => m[0] === MessageType.Sync && m[1] === SyncMessageType.Step2), { what: 'the step 2 answer' });
    const doc = new Y.Doc();
    for (const message of messagesOf(waiting).map(decodeSyncMessage)) {
      if (message && message.syncType !== SyncMessageType.Step1) Y.applyUpdate(doc, message.payload);
    }
    expect(doc.getText('text').toString()).toBe('while waiting before');
    await waitFor(() => writer.provider.awareness.getStates().has(5151), { what: 'its presence relayed once admitted' });
    // A read token through the message is read-only like any other.
    const conn = [...server.server.rooms.all()[0]!.connections].find((c) => c.identity.userId === 'r')!;
    expect(conn.identity.readOnly).toBe(true);
  });

  it('a raw client that sends a sync step 1 before its token is closed with 4002 and gets no answer', async () => {
    await start();
    const writer = provider('held', browserSocket(), { token: await mintToken({ sub: 'w', doc: 'held' }) });
    await waitForSynced(writer);
    writer.text.insert(0, 'secret text');
    const eager = await raw(`/held?${BY_MESSAGE}`);
    eager.write(binary(step1Frame(Y.encodeStateVector(new Y.Doc()))));
    eager.write(binary(encodeTokenMessage(await mintToken({ sub: 'r', doc: 'held' }))));
    expect(await closeCodeOf(eager)).toBe(CloseCode.Unauthenticated.code);
    expect(messagesOf(eager)).toEqual([]);
    expect(eager.received().includes(Buffer.from('secret text'))).toBe(false);
    expect(await rejected('unauthenticated')).toBe(1);
  });

  it.each([
    ['a forged token', () => mintToken({ doc: 'held' }, 'another-secret-of-sufficient-length'), CloseCode.Unauthenticated],
    ['an expired token', () => mintToken({ doc: 'held', exp: Math.floor(Date.now() / 1000) - 5 }), CloseCode.Unauthenticated],
    ['a token for another document', () => mintToken({ doc: 'other' }), CloseCode.Forbidden],
    ['not a JWT at all', async () => 'nonsense', CloseCode.Unauthenticated],
  ])('%s closes the connection with the matching code, before anything is served', async (_label, token, code) => {
    await start();
    const client = await raw(`/held?${BY_MESSAGE}`);
    client.write(binary(encodeTokenMessage(await token())));
    client.write(binary(step1Frame(Y.encodeStateVector(new Y.Doc()))));
    expect(await closeCodeOf(client)).toBe(code.code);
    expect(messagesOf(client)).toEqual([]);
  });

  it('is closed with 4002 when no token comes within --auth-message-timeout', async () => {
    await start({ authMessageTimeoutMs: 300 });
    const silent = await raw(`/held?${BY_MESSAGE}`);
    expect(await closeCodeOf(silent)).toBe(CloseCode.Unauthenticated.code);
    expect(server.logs.some((l) => l.detail === 'no token message within 300 ms')).toBe(true);
  });

  it('is closed with 4430 when its token has created as many documents as it may', async () => {
    await start({ maxDocsCreatedPerToken: 1 });
    const token = await mintToken({ sub: 'maker', doc: 'new-*' });
    const first = await raw(`/new-1?${BY_MESSAGE}`);
    first.write(binary(encodeTokenMessage(token)));
    await waitFor(() => messagesOf(first).length > 0, { what: 'the first document served' });
    const second = await raw(`/new-2?${BY_MESSAGE}`);
    second.write(binary(encodeTokenMessage(token)));
    expect(await closeCodeOf(second)).toBe(CloseCode.DocumentCreationLimit.code);
  });

  it('in open mode still takes the message first, without checking it', async () => {
    server = await startTestServer();
    const client = await raw(`/open?${BY_MESSAGE}`);
    await rawRoundTrip(client);
    expect(client.frames().filter((frame) => frame.opcode !== Opcode.Pong)).toEqual([]);
    client.write(binary(encodeTokenMessage('anything')));
    client.write(binary(updateFrame(new Uint8Array([0, 0]))));
    await waitFor(() => messagesOf(client).some((m) => m[0] === MessageType.Sync), { what: 'served' });
  });
});

describe('renewing the token on an open connection', () => {
  /** A raw client in the room by a first-message token for `held`; resolves once it is served. */
  async function admitted(claims: Parameters<typeof mintToken>[0] = {}): Promise<RawWebSocket> {
    const client = await raw(`/held?${BY_MESSAGE}`);
    client.write(binary(encodeTokenMessage(await mintToken({ sub: 'w', doc: 'held', ...claims }))));
    await waitFor(() => messagesOf(client).some((m) => m[0] === MessageType.Sync), { what: 'served' });
    return client;
  }

  it('a later token for the same document, subject and access keeps the connection past the first one’s expiry', async () => {
    await start();
    const firstExp = Math.floor(Date.now() / 1000) + 2;
    const renewedExp = firstExp + 600;
    const ada = provider('held', tokenFirstSocket(await mintToken({ sub: 'ada', doc: 'held', exp: firstExp })), { [AUTH_MESSAGE_PARAM]: AUTH_BY_MESSAGE });
    const bob = provider('held', browserSocket(), { token: await mintToken({ sub: 'bob', doc: 'held' }) });
    await Promise.all([waitForSynced(ada), waitForSynced(bob)]);
    const socket = ada.provider.ws!;
    socket.send(encodeTokenMessage(await mintToken({ sub: 'ada', doc: 'held', exp: renewedExp })));
    const conn = () => [...server.server.rooms.all()[0]!.connections].find((c) => c.identity.userId === 'ada');
    await waitFor(() => conn()?.identity.expiresAt === renewedExp * 1000, { what: 'the renewal taken' });
    // Past the first token's expiry: the same socket is still open and still edits. A real wait: the
    // expiry is the server's timer, and its not firing (had the renewal been ignored) has no event.
    await new Promise((resolve) => setTimeout(resolve, firstExp * 1000 + 300 - Date.now()));
    expect(ada.provider.ws).toBe(socket);
    expect(socket.readyState).toBe(WebSocket.OPEN);
    ada.text.insert(0, 'after the first expiry');
    await waitFor(() => bob.text.toString() === 'after the first expiry', { what: 'the edit relayed' });
    expect(await rejected('unauthenticated')).toBe(0);
  });

  it.each([
    ['a forged token', () => mintToken({ sub: 'w', doc: 'held' }, 'another-secret-of-sufficient-length')],
    ['an expired token', () => mintToken({ sub: 'w', doc: 'held', exp: Math.floor(Date.now() / 1000) - 5 })],
    ['a token for another document', () => mintToken({ sub: 'w', doc: 'other' })],
    ['a token for another subject', () => mintToken({ sub: 'mallory', doc: 'held' })],
    ['a token with other access', () => mintToken({ sub: 'w', doc: 'held', access: 'read' })],
    ['not a JWT at all', async () => 'nonsense'],
    ['a token from a share link (the first came from none)', () => mintToken({ sub: 'w', doc: 'held', link: { purpose: 'edit', generation: 0 } })],
  ])('%s as a renewal closes the connection with 4002', async (_label, token) => {
    await start();
    const client = await admitted();
    client.write(binary(encodeTokenMessage(await token())));
    expect(await closeCodeOf(client)).toBe(CloseCode.Unauthenticated.code);
    expect(await rejected('unauthenticated')).toBe(1);
  });

  it('a malformed token message as a renewal closes the connection with 4002', async () => {
    await start();
    const client = await admitted();
    client.write(binary(new Uint8Array([MessageType.Token, 0x05, 0x61])));
    expect(await closeCodeOf(client)).toBe(CloseCode.Unauthenticated.code);
  });

  it('a connection that brought its token in the URL knows no renewal: a token message is an unknown type (4401)', async () => {
    await start();
    const client = await raw(`/held?token=${await mintToken({ sub: 'w', doc: 'held' })}`);
    await waitFor(() => messagesOf(client).length > 0, { what: 'served' });
    client.write(binary(encodeTokenMessage(await mintToken({ sub: 'w', doc: 'held' }))));
    expect(await closeCodeOf(client)).toBe(CloseCode.UnknownMessageType.code);
  });

  it('in open mode a renewal is taken without checking it', async () => {
    server = await startTestServer();
    const client = await raw(`/open?${BY_MESSAGE}`);
    client.write(binary(encodeTokenMessage('anything')));
    await waitFor(() => messagesOf(client).some((m) => m[0] === MessageType.Sync), { what: 'served' });
    client.write(binary(encodeTokenMessage('anything else')));
    client.write(binary(step1Frame(Y.encodeStateVector(new Y.Doc()))));
    await waitFor(() => messagesOf(client).some((m) => m[0] === MessageType.Sync && m[1] === SyncMessageType.Step2), { what: 'the step 2 answer' });
    expect(client.closeFrame()).toBeUndefined();
  });
});
