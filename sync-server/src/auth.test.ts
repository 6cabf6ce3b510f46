import { CloseCode } from '@tandem/protocol';
import { spawn } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { parseConfig } from './config.js';
import { awarenessFrame, step2Frame, updateFrame } from './test-support/frames.js';
import { Peers, upgradeStatus, waitForSynced } from './test-support/clients.js';
import { type TestServer, makeTempDir, startTestServer, waitFor } from './test-support/server.js';
import { TEST_SECRET, mintToken } from './test-support/tokens.js';

let server: TestServer;
const peers = new Peers(() => server.url);
const connect = peers.provider.bind(peers);
const raw = peers.raw.bind(peers);

async function start(overrides: Parameters<typeof startTestServer>[0] = {}): Promise<TestServer> {
  server = await startTestServer({ authSecret: TEST_SECRET, ...overrides });
  return server;
}
async function metric(name: string, label?: string): Promise<number> {
  const text = await (await fetch(`${server.httpUrl}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(label ? `${name}{${label}}` : `${name} `));
  return line ? Number(line.split(' ').pop()) : 0;
}
const nowSeconds = (): number => Math.floor(Date.now() / 1000);

afterEach(async () => {
  peers.closeAll();
  await server?.dispose();
});

describe('authentication at the upgrade', () => {
  it('refuses a connection without a token with 401, before a WebSocket or a document exists', async () => {
    await start();
    expect(await upgradeStatus(server.url, '/notes')).toBe(401);
    expect(server.server.rooms.size).toBe(0);
    expect(await metric('tandem_rejected_total', 'reason="unauthenticated"')).toBe(1);
  });

  it('refuses forged, malformed, expired and incomplete tokens with 401', async () => {
    await start();
    const forged = await mintToken({}, 'another-secret-of-sufficient-length');
    const expired = await mintToken({ exp: nowSeconds() - 5 });
    const noAccess = await mintToken({ access: 'admin' });
    const [header, payload] = (await mintToken()).split('.');
    const unsigned = `${Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url')}.${payload}.`;
    const noSignature = `${header}.${payload}.`;
    for (const token of [forged, expired, noAccess, unsigned, noSignature, 'not-a-jwt', 'a.b.c']) {
      expect(await upgradeStatus(server.url, `/notes?token=${encodeURIComponent(token)}`), token).toBe(401);
    }
    expect(server.server.rooms.size).toBe(0);
  });

  it('refuses a token for another document with 403, and lets a prefix token in to the documents it covers', async () => {
    await start();
    const exact = await mintToken({ doc: 'notes' });
    const prefix = await mintToken({ doc: 'team-*' });
    expect(await upgradeStatus(server.url, `/notes?token=${exact}`)).toBe(101);
    expect(await upgradeStatus(server.url, `/notes2?token=${exact}`)).toBe(403);
    expect(await upgradeStatus(server.url, `/team-plans?token=${prefix}`)).toBe(101);
    expect(await upgradeStatus(server.url, `/team?token=${prefix}`)).toBe(403);
    expect(await upgradeStatus(server.url, `/other-team-x?token=${prefix}`)).toBe(403);
  });
});

describe('read-only access', () => {
  it('a read connection syncs the document and takes part in presence', async () => {
    await start();
    const writer = connect('shared', await mintToken({ sub: 'w', doc: 'shared' }));
    await waitForSynced(writer);
    writer.text.insert(0, 'written by the writer');
    writer.provider.awareness.setLocalStateField('user', { name: 'Writer', color: '#3366cc' });
    const reader = connect('shared', await mintToken({ sub: 'r', doc: 'shared', access: 'read' }));
    await waitForSynced(reader);
    reader.provider.awareness.setLocalStateField('user', { name: 'Viewer', color: '#3366cc' });
    await waitFor(() => reader.text.toString() === 'written by the writer', { what: 'reader has the text' });
    await waitFor(() => (reader.provider.awareness.getStates().get(writer.doc.clientID) as { user?: { name: string } } | undefined)?.user?.name === 'Writer', { what: 'reader sees the writer' });
    await waitFor(() => (writer.provider.awareness.getStates().get(reader.doc.clientID) as { user?: { name: string } } | undefined)?.user?.name === 'Viewer', { what: 'writer sees the viewer' });
  });

  it('a modified client with a read token that sends updates anyway changes neither storage nor any other client', async () => {
    await start();
    const writer = connect('guarded', await mintToken({ sub: 'w', doc: 'guarded' }));
    await waitForSynced(writer);
    writer.text.insert(0, 'original');
    const watcher = connect('guarded', await mintToken({ sub: 'v', doc: 'guarded', access: 'read' }));
    await waitFor(() => watcher.text.toString() === 'original');

    // The attacker edits its own copy and pushes the update as a sync update and as a step 2.
    const forged = new Y.Doc();
    Y.applyUpdate(forged, Y.encodeStateAsUpdate(writer.doc));
    forged.getText('text').insert(0, 'HACKED ');
    forged.getText('text').delete(7, 8);
    const evil = Y.encodeStateAsUpdate(forged, Y.encodeStateVector(writer.doc));
    const attacker = await raw('guarded', await mintToken({ sub: 'mallory', doc: 'guarded', access: 'read' }));
    attacker.send(updateFrame(evil));
    attacker.send(step2Frame(evil));
    // A stock provider with a read token that edits locally is dropped the same way.
    const stockReader = connect('guarded', await mintToken({ sub: 'r2', doc: 'guarded', access: 'read' }));
    await waitForSynced(stockReader);
    stockReader.text.insert(0, 'viewer typing ');

    await waitFor(() => metric('tandem_rejected_total', 'reason="read-only"').then((n) => n >= 3), { what: 'three dropped updates counted' });
    // A fresh writer syncs after the attack: what it reads is only the writer's text.
    const late = connect('guarded', await mintToken({ sub: 'w2', doc: 'guarded' }));
    await waitForSynced(late);
    for (const client of [writer, watcher, late]) expect(client.text.toString()).toBe('original');
    expect(server.server.rooms.all()[0]!.doc.getText('text').toString()).toBe('original');
    expect(attacker.socket.readyState).toBe(attacker.socket.OPEN); // dropped, not disconnected: viewers stay viewers
    const warnings = server.logs.filter((l) => l.msg === 'dropped document update from a read-only connection');
    expect(warnings.length).toBeGreaterThanOrEqual(2); // once per connection, not per message

    peers.closeAll();
    await server.stop();
    const stored = await startTestServer({ authSecret: TEST_SECRET, dataDir: server.dataDir });
    server = stored;
    const doc = new Y.Doc();
    for (const update of (await stored.server.store.load('guarded')).updates) Y.applyUpdate(doc, update);
    expect(doc.getText('text').toString()).toBe('original');
  });
});

describe('token expiry', () => {
  it('closes a connection whose token expires with TokenExpired; the client gets back in only with a fresh token', async () => {
    await start();
    const closes: number[] = [];
    const shortLived = await mintToken({ doc: 'expiring', exp: nowSeconds() + 2 });
    const client = connect('expiring', shortLived);
    client.provider.maxBackoffTime = 200;
    client.provider.on('connection-close', (event) => closes.push(event?.code ?? 0));
    await waitForSynced(client);
    await waitFor(() => closes.length > 0, { timeoutMs: 4000, what: 'expiry close' });
    expect(closes[0]).toBe(CloseCode.TokenExpired.code);
    expect(server.logs.some((l) => l.closeReason === 'TokenExpired')).toBe(true);

    // It keeps retrying with the expired token: every attempt is refused at the upgrade.
    await waitFor(() => metric('tandem_rejected_total', 'reason="unauthenticated"').then((n) => n >= 2), { what: 'retries refused' });
    expect(client.provider.wsconnected).toBe(false);
    client.provider.params = { token: await mintToken({ doc: 'expiring' }) };
    await waitForSynced(client);
  });

  it('keeps a connection whose token expires in months open (the timer must not overflow)', async () => {
    await start({ maxTokenLifetimeSeconds: 90 * 24 * 3600 });
    const longLived = await mintToken({ doc: 'long', exp: nowSeconds() + 60 * 24 * 3600 });
    const client = await raw('long', longLived);
    // A real wait, as nothing happening has no event: an overflowed timer (delay past 2^31 ms) fires
    // after 1 ms, so a close would have come well within these 300 ms.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(client.socket.readyState).toBe(client.socket.OPEN);
  });
});

describe('HTTP with auth on', () => {
  it('/api/docs needs a token and lists only the documents it covers', async () => {
    await start();
    const all = await mintToken({ doc: '*' });
    for (const name of ['team-a', 'team-b', 'private']) {
      const client = connect(name, all);
      await waitForSynced(client);
      client.text.insert(0, name);
    }
    await waitFor(async () => ((await server.server.store.list()).length === 3), { what: 'three documents stored' });

    expect((await fetch(`${server.httpUrl}/api/docs`)).status).toBe(401);
    expect((await fetch(`${server.httpUrl}/api/docs`, { headers: { authorization: 'Bearer nonsense' } })).status).toBe(401);
    const team = await mintToken({ doc: 'team-*', access: 'read' });
    const names = async (init: RequestInit, query = ''): Promise<string[]> => {
      const res = await fetch(`${server.httpUrl}/api/docs${query}`, init);
      expect(res.status).toBe(200);
      return ((await res.json()) as { docs: Array<{ name: string }> }).docs.map((d) => d.name).sort();
    };
    expect(await names({ headers: { authorization: `Bearer ${team}` } })).toEqual(['team-a', 'team-b']);
    expect(await names({ headers: { authorization: `Bearer ${await mintToken({ doc: 'private' })}` } })).toEqual(['private']);
    expect(await names({ headers: { authorization: `Bearer ${all}` } })).toEqual(['private', 'team-a', 'team-b']);
  });

  it('/healthz, /readyz and /metrics stay open and name no document', async () => {
    await start();
    const client = connect('secret-plans', await mintToken({ doc: 'secret-plans' }));
    await waitForSynced(client);
    client.text.insert(0, 'x');
    await upgradeStatus(server.url, '/secret-plans'); // a refused attempt is counted, but not by name
    for (const path of ['/healthz', '/readyz', '/metrics']) {
      const res = await fetch(`${server.httpUrl}${path}`);
      expect(res.status, path).toBe(200);
      expect(await res.text(), path).not.toContain('secret-plans');
    }
  });
});

describe('awareness ownership', () => {
  it("a connection can neither set nor remove another connection's presence", async () => {
    await start();
    const alice = connect('room', await mintToken({ sub: 'alice', doc: 'room' }));
    const observer = connect('room', await mintToken({ sub: 'olga', doc: 'room', access: 'read' }));
    await Promise.all([waitForSynced(alice), waitForSynced(observer)]);
    alice.provider.awareness.setLocalStateField('user', { name: 'Alice', color: '#3366cc' });
    const aliceId = alice.doc.clientID;
    const nameSeen = (): string | undefined => (observer.provider.awareness.getStates().get(aliceId) as { user?: { name: string } } | undefined)?.user?.name;
    await waitFor(() => nameSeen() === 'Alice', { what: 'observer sees Alice' });
    const clock = alice.provider.awareness.meta.get(aliceId)!.clock;

    const impostor = await raw('room', await mintToken({ sub: 'mallory', doc: 'room', access: 'write' }));
    impostor.send(awarenessFrame([{ clientId: aliceId, clock: clock + 10, state: { user: { name: 'Mallory', color: '#3366cc' } } }]));
    expect((await impostor.closed).code).toBe(CloseCode.AwarenessRejected.code);

    const remover = await raw('room', await mintToken({ sub: 'mallory', doc: 'room', access: 'read' }));
    remover.send(awarenessFrame([{ clientId: 777, clock: 1, state: { mine: true } }, { clientId: aliceId, clock: clock + 10, state: null }]));
    expect((await remover.closed).code).toBe(CloseCode.AwarenessRejected.code);

    // Nothing of either attempt was applied: Alice is still Alice, and client 777 never appeared.
    const probe = connect('room', await mintToken({ sub: 'pat', doc: 'room', access: 'read' }));
    await waitForSynced(probe);
    await waitFor(() => probe.provider.awareness.getStates().has(aliceId), { what: 'probe sees Alice' });
    expect(nameSeen()).toBe('Alice');
    expect((probe.provider.awareness.getStates().get(aliceId) as { user: { name: string } }).user.name).toBe('Alice');
    expect(probe.provider.awareness.getStates().has(777)).toBe(false);
    expect(server.server.rooms.all()[0]!.presence.awareness.getStates().has(777)).toBe(false);
  });

  it('refuses a presence state over the size cap', async () => {
    await start({ maxAwarenessBytes: 256 });
    const observer = connect('room', await mintToken({ sub: 'olga', doc: 'room' }));
    await waitForSynced(observer);
    const big = await raw('room', await mintToken({ sub: 'bob', doc: 'room' }));
    big.send(awarenessFrame([{ clientId: 4242, clock: 1, state: { user: { name: 'B', color: '#3366cc' }, note: 'B'.repeat(300) } }]));
    expect((await big.closed).code).toBe(CloseCode.AwarenessRejected.code);
    const small = await raw('room', await mintToken({ sub: 'sam', doc: 'room' }));
    small.send(awarenessFrame([{ clientId: 4343, clock: 1, state: { user: { name: 'S', color: '#3366cc' } } }]));
    await waitFor(() => observer.provider.awareness.getStates().has(4343), { what: 'small state relayed' });
    expect(observer.provider.awareness.getStates().has(4242)).toBe(false);
  });
});

describe('secrets stay out of logs and metrics', () => {
  it('no token reaches a log line or a metric label, whatever happens to the request', async () => {
    await start({ maxConnectionsPerIp: 3 });
    const good = await mintToken({ doc: 'notes' });
    const forged = await mintToken({ doc: 'notes' }, 'another-secret-of-sufficient-length');
    const wrongDoc = await mintToken({ doc: 'other' });
    const expired = await mintToken({ doc: 'notes', exp: nowSeconds() - 5 });
    const client = connect('notes', good);
    await waitForSynced(client);
    client.text.insert(0, 'hello');
    for (const token of [forged, wrongDoc, expired]) await upgradeStatus(server.url, `/notes?token=${token}`);
    await upgradeStatus(server.url, '/notes', { cookie: `tandem_token=${forged}` });
    await upgradeStatus(server.url, `/../notes?token=${good}`);
    await fetch(`${server.httpUrl}/api/docs?token=${good}`);
    await fetch(`${server.httpUrl}/api/docs?token=${forged}`);
    await fetch(`${server.httpUrl}/nope?token=${good}`);
    await raw('notes', good);
    await raw('notes', good);
    expect(await upgradeStatus(server.url, `/notes?token=${good}`)).toBe(429); // a refusal for a reason past auth
    const metrics = await (await fetch(`${server.httpUrl}/metrics`)).text();
    const logText = JSON.stringify(server.logs);
    expect(server.logs.length).toBeGreaterThan(5);
    for (const token of [good, forged, wrongDoc, expired]) {
      const signature = token.split('.')[2]!;
      expect(logText).not.toContain(signature);
      expect(metrics).not.toContain(signature);
    }
    expect(logText).not.toContain('token=');
  });
});

describe('open mode', () => {
  it('without a secret binds to loopback unless --host is given', () => {
    const open = parseConfig([], {});
    expect(open.help === false && open.config.host).toBe('127.0.0.1');
    const chosen = parseConfig(['--host', '0.0.0.0'], {});
    expect(chosen.help === false && chosen.config.host).toBe('0.0.0.0');
    const fromEnv = parseConfig([], { TANDEM_AUTH_SECRET: TEST_SECRET });
    expect(fromEnv.help === false && fromEnv.config.authSecret).toBe(TEST_SECRET);
  });

  it('the CLI says loudly at start that anyone can read and change every document, and listens on loopback', async () => {
    const dataDir = await makeTempDir();
    const child = spawn(process.execPath, [fileURLToPath(new URL('../dist/main.js', import.meta.url)), '--port', '0', '--data-dir', dataDir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    try {
      await waitFor(() => output.includes('listening'), { timeoutMs: 10_000, what: `listening line in ${output}` });
      const warning = output.split('\n').find((line) => line.includes('OPEN MODE'));
      expect(warning && (JSON.parse(warning) as { level: number }).level).toBe(40);
      expect(output).toMatch(/listening on ws:\/\/127\.0\.0\.1:\d+/);
    } finally {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
