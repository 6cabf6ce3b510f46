/**
 * Cluster mode when things die: sync servers run as real CLI processes (dist/main.js; needs
 * `npm run build`) on one real redis-server, and are SIGKILLed; so is redis-server itself, which
 * restarts on its AOF. The promises: what anyone saw, or was told is saved, survives; ghosts of a
 * dead instance's clients go within 5 s; a Redis outage fails /readyz, acknowledges nothing,
 * crashes nothing, and everything resumes.
 */
import { SAVED_ACK_PARAM, decodeSavedAck } from '@tandem/protocol';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { type ProviderClient, connectRaw, waitForSynced } from './test-support/clients.js';
import { freshKeyPrefix, spawnClusterServer, useTestCluster } from './test-support/cluster.js';
import { updateFrame } from './test-support/frames.js';
import type { ServerProcess } from './test-support/process.js';
import { runCli } from './test-support/process.js';
import { startTestRedis } from './test-support/redis.js';
import { waitFor } from './test-support/server.js';

// The tests kill and pause redis-server: it is started again after each.
const cluster = useTestCluster({ restartRedisAfterEach: true });
const { connect } = cluster;

async function instances(count: number, keyPrefix = freshKeyPrefix()): Promise<ServerProcess[]> {
  const started: ServerProcess[] = [];
  for (let i = 0; i < count; i++) started.push(await spawnClusterServer(cluster.redis, keyPrefix));
  cluster.processes.push(...started);
  return started;
}

/** A fresh stock client's view of `docName` on `server`. */
async function freshText(server: { url: string }, docName: string): Promise<string> {
  const client = connect(server, docName);
  await waitForSynced(client, 10_000);
  return client.text.toString();
}

const names = (client: ProviderClient): string[] =>
  [...client.provider.awareness.getStates().values()].map((s) => (s as { user?: { name: string } }).user?.name).filter((n): n is string => !!n).sort();

const readyStatus = async (server: ServerProcess): Promise<number> => (await fetch(`${server.url.replace(/^ws/, 'http')}/readyz`)).status;

describe('cluster mode under failure', () => {
  it('an edit a client on another instance saw survives SIGKILL of the instance that took it', async () => {
    const keyPrefix = freshKeyPrefix();
    const [a, b] = await instances(2, keyPrefix);
    const writer = connect(a!, 'survives');
    const watcher = connect(b!, 'survives');
    await Promise.all([waitForSynced(writer), waitForSynced(watcher)]);
    writer.text.insert(0, 'seen on the other instance');
    await waitFor(() => watcher.text.toString() === 'seen on the other instance', { what: 'the watcher to see the edit' });
    await a!.stop('SIGKILL');
    writer.destroy();
    expect(await freshText(b!, 'survives')).toBe('seen on the other instance');
    const [c] = await instances(1, keyPrefix);
    expect(await freshText(c!, 'survives')).toBe('seen on the other instance');
  });

  it('the survivors remove the presence of a SIGKILLed instance’s clients within 5 s', async () => {
    const [a, b] = await instances(2);
    const ada = connect(a!, 'ghosts');
    const bo = connect(b!, 'ghosts');
    await Promise.all([waitForSynced(ada), waitForSynced(bo)]);
    ada.provider.awareness.setLocalStateField('user', { name: 'Ada', color: '#3366cc' });
    bo.provider.awareness.setLocalStateField('user', { name: 'Bo', color: '#cc3366' });
    await waitFor(() => names(bo).join() === 'Ada,Bo', { what: 'Bo to see Ada' });
    ada.provider.disconnect(); // so she does not come back through another instance
    await a!.stop('SIGKILL');
    const killedAt = Date.now();
    await waitFor(() => names(bo).join() === 'Bo', { timeoutMs: 5000, what: 'Ada’s ghost to go' });
    expect(Date.now() - killedAt).toBeLessThan(5000);
  });

  it('nothing acknowledged is lost when redis-server is SIGKILLed and restarted, and editing resumes', async () => {
    const [a, b] = await instances(2);
    const writer = await connectRaw(a!.url, `acked?${SAVED_ACK_PARAM}=1`);
    const source = new Y.Doc();
    const frames: Uint8Array[] = [];
    source.on('update', (update: Uint8Array) => frames.push(updateFrame(update)));
    for (let i = 0; i < 200; i++) source.getText('text').insert(i, String(i % 10));
    for (const frame of frames) writer.send(frame);
    // Kill Redis as soon as some of them are acknowledged, while the rest are in flight.
    const acked = (): number => Math.max(0, ...writer.frames.map(decodeSavedAck).filter((n): n is number => n !== undefined));
    await waitFor(() => acked() > 0, { what: 'a first acknowledgement' });
    await cluster.redis.kill('SIGKILL');
    const ackedBeforeKill = acked();
    await waitFor(async () => (await readyStatus(a!)) === 503, { what: '/readyz to fail while Redis is down' });
    await cluster.redis.restart();
    await waitFor(async () => (await readyStatus(a!)) === 200 && (await readyStatus(b!)) === 200, { timeoutMs: 10_000, what: '/readyz to recover' });
    const stored = await freshText(b!, 'acked');
    expect(stored.length).toBeGreaterThanOrEqual(ackedBeforeKill);
    expect(stored).toBe(source.getText('text').toString().slice(0, stored.length));
    // Editing resumes on both instances.
    const one = connect(a!, 'after');
    const two = connect(b!, 'after');
    await Promise.all([waitForSynced(one, 10_000), waitForSynced(two, 10_000)]);
    one.text.insert(0, 'back');
    await waitFor(() => two.text.toString() === 'back', { what: 'an edit after the restart to cross instances' });
  });

  it('Redis unreachable for 10 s under load: /readyz fails, nothing is acknowledged, nothing crashes, nothing is lost', async () => {
    const [a, b] = await instances(2);
    const writers = [connect(a!, 'outage'), connect(b!, 'outage'), connect(a!, 'outage'), connect(b!, 'outage')];
    await Promise.all(writers.map((w) => waitForSynced(w)));
    const relayed: Uint8Array[] = [];
    for (const writer of writers) writer.doc.on('update', (update: Uint8Array, origin: unknown) => origin === writer.provider && relayed.push(update));
    const typed = writers.map(() => [] as string[]);
    let typing = true;
    const typists = writers.map(async (writer, i) => {
      while (typing) {
        const token = `<${i}:${typed[i]!.length}>`;
        typed[i]!.push(token);
        writer.text.insert(0, token);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    });
    await new Promise((resolve) => setTimeout(resolve, 500));
    await cluster.redis.kill('SIGKILL');
    // A client asking for acknowledgements gets none while Redis is away.
    const asker = await connectRaw(b!.url, `outage-ack?${SAVED_ACK_PARAM}=1`).catch(() => undefined);
    const edit = new Y.Doc();
    edit.getText('text').insert(0, 'unsaved');
    asker?.send(updateFrame(Y.encodeStateAsUpdate(edit)));
    await waitFor(async () => (await readyStatus(a!)) === 503 && (await readyStatus(b!)) === 503, { what: '/readyz to fail on both' });
    await new Promise((resolve) => setTimeout(resolve, 10_000));
    expect(asker?.frames.map(decodeSavedAck).filter((n) => n !== undefined) ?? []).toEqual([]);
    expect([a!.child.exitCode, b!.child.exitCode]).toEqual([null, null]);
    await cluster.redis.restart();
    await new Promise((resolve) => setTimeout(resolve, 500));
    typing = false;
    await Promise.all(typists);
    await waitFor(
      () => writers.every((w) => w.provider.synced && w.text.toString() === writers[0]!.text.toString()) && typed.every((tokens) => tokens.every((t) => writers[0]!.text.toString().includes(t))),
      { timeoutMs: 20_000, what: 'every writer to converge on every edit' },
    );
    const stored = await freshText(a!, 'outage');
    expect(stored).toBe(writers[0]!.text.toString());
    const check = new Y.Doc();
    Y.applyUpdate(check, Y.encodeStateAsUpdate(writers[0]!.doc));
    const before = Y.encodeStateVector(check);
    for (const update of relayed) Y.applyUpdate(check, update);
    expect(Y.encodeStateVector(check)).toEqual(before); // everything anyone saw relayed is in the converged document
    asker?.socket.terminate();
  }, 60_000);

  it('a hung Redis (SIGSTOP) reads as unavailable on /readyz and acknowledges nothing until it answers again', async () => {
    const [a] = await instances(1);
    const writer = await connectRaw(a!.url, `hung?${SAVED_ACK_PARAM}=1`);
    const acks = (): number[] => writer.frames.map(decodeSavedAck).filter((n): n is number => n !== undefined);
    const edit = (text: string): Uint8Array => {
      const doc = new Y.Doc();
      doc.getText('text').insert(0, text);
      return updateFrame(Y.encodeStateAsUpdate(doc));
    };
    writer.send(edit('before'));
    await waitFor(() => acks().length === 1, { what: 'the first edit acknowledged' });
    cluster.redis.pause();
    try {
      writer.send(edit('while hung'));
      await waitFor(async () => (await readyStatus(a!)) === 503, { what: '/readyz to fail while Redis hangs' });
      expect(acks()).toEqual([1]);
    } finally {
      cluster.redis.resume();
    }
    await waitFor(async () => (await readyStatus(a!)) === 200, { what: '/readyz to recover' });
    expect(a!.child.exitCode).toBeNull();
    writer.socket.terminate();
  });
});

describe('cluster mode start-up', () => {
  it('refuses to start on a Redis without the AOF, unless --redis-allow-volatile, which /readyz then reports', async () => {
    const volatile = await startTestRedis(['--appendonly', 'no']);
    try {
      const refused = await runCli(['--port', '0', '--redis-url', volatile.url]);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(/refusing to start: Redis has appendonly no.*--redis-allow-volatile/);
      const allowed = await spawnClusterServer(volatile, freshKeyPrefix(), ['--redis-allow-volatile']);
      cluster.processes.push(allowed);
      expect(allowed.output()).toMatch(/ACKNOWLEDGED EDITS MAY BE LOST/);
      const ready = (await (await fetch(`${allowed.url.replace(/^ws/, 'http')}/readyz`)).json()) as { status: string; warnings: string[] };
      expect(ready.status).toBe('ready');
      expect(ready.warnings.join()).toMatch(/appendonly no/);
    } finally {
      await volatile.dispose();
    }
  });

  it('says clearly when Redis cannot be reached', async () => {
    const result = await runCli(['--port', '0', '--redis-url', 'redis://127.0.0.1:1']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/cluster mode could not start: cannot reach Redis at redis:\/\/127\.0\.0\.1:1/);
  });
});
