/**
 * Cluster mode on a real 3-master Redis Cluster: sync servers given any node's URL share documents
 * that live on different masters, with stock y-websocket clients on different instances.
 */
import { randomUUID } from 'node:crypto';
import { Cluster } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { type ProviderClient, connectProvider, waitForSynced } from './test-support/clients.js';
import { runCli, spawnServer } from './test-support/process.js';
import { namesOnEveryMaster, useTestRedisCluster } from './test-support/redisCluster.js';
import { type TestServer, makeTempDir, startTestServer, waitFor } from './test-support/server.js';
import { RedisDocStore } from './storage/redis/RedisDocStore.js';

const rc = useTestRedisCluster();
const { servers, processes, clients } = rc;

/** An instance in this process on the cluster, through the URL of node `node`. */
async function instance(keyPrefix: string, node: number): Promise<TestServer> {
  const server = await startTestServer({ redisUrl: `redis://127.0.0.1:${rc.redis.ports[node]}`, redisKeyPrefix: keyPrefix, dataDir: '' });
  servers.push(server);
  return server;
}

const connect = (server: TestServer, docName: string): ProviderClient => {
  const client = connectProvider(server.url, docName);
  clients.push(client);
  return client;
};

const namesSeenBy = (client: ProviderClient): string[] =>
  [...client.provider.awareness.getStates().values()].map((s) => (s as { user?: { name: string } }).user?.name).filter((n): n is string => !!n).sort();

const listedBy = async (server: TestServer): Promise<string[]> =>
  ((await (await fetch(`${server.httpUrl}/api/docs`)).json()) as { docs: Array<{ name: string }> }).docs.map((doc) => doc.name).sort();

describe('cluster mode on a Redis Cluster', () => {
  it('two instances share documents on every master: edits both ways, presence, the listing, and everything stored', async () => {
    const keyPrefix = `rc-${randomUUID().slice(0, 8)}`;
    const names = await namesOnEveryMaster(rc.redis, 'doc');
    // Each instance is given a different node's URL: either finds the whole cluster.
    const [one, two] = [await instance(keyPrefix, 0), await instance(keyPrefix, 2)];
    const pairs = names.map((name) => [connect(one, name), connect(two, name)] as const);
    await Promise.all(pairs.flat().map((client) => waitForSynced(client)));
    for (const [onOne, onTwo] of pairs) {
      onOne.text.insert(0, `<one:${onOne.provider.roomname}>`);
      onTwo.text.insert(0, `<two:${onTwo.provider.roomname}>`);
    }
    const complete = (text: string, name: string): boolean => text.includes(`<one:${name}>`) && text.includes(`<two:${name}>`);
    await waitFor(() => pairs.every(([onOne, onTwo], i) => complete(onOne.text.toString(), names[i]!) && onOne.text.toString() === onTwo.text.toString()), {
      what: 'every document to converge on both instances',
    });
    const [ada, bo] = pairs[0]!;
    ada.provider.awareness.setLocalStateField('user', { name: 'Ada', color: '#3366cc' });
    bo.provider.awareness.setLocalStateField('user', { name: 'Bo', color: '#cc3366' });
    await waitFor(() => namesSeenBy(ada).join() === 'Ada,Bo' && namesSeenBy(bo).join() === 'Ada,Bo', { what: 'presence across instances' });
    for (const server of [one, two]) {
      await waitFor(async () => (await listedBy(server)).join() === [...names].sort().join(), { what: 'every master\'s documents listed' });
    }
    const texts = pairs.map(([onOne]) => onOne.text.toString());

    for (const client of clients.splice(0)) client.destroy();
    for (const server of servers.splice(0)) await server.dispose();
    const [three, four] = [await instance(keyPrefix, 1), await instance(keyPrefix, 1)];
    for (const [i, name] of names.entries()) {
      for (const server of [three, four]) {
        const fresh = connect(server, name);
        await waitForSynced(fresh);
        expect(fresh.text.toString()).toBe(texts[i]);
      }
    }
  });

  it('refuses to start when a master keeps no AOF, naming it, unless --redis-allow-volatile', async () => {
    const volatile = rc.redis.node(1);
    try {
      await volatile.config('SET', 'appendonly', 'no');
      const refused = await runCli(['--port', '0', '--redis-url', rc.redis.url, '--redis-key-prefix', `rc-${randomUUID().slice(0, 8)}`]);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(new RegExp(`refusing to start: Redis master 127\\.0\\.0\\.1:${rc.redis.ports[1]} has appendonly no.*--redis-allow-volatile`));
      expect(refused.stderr).not.toMatch(new RegExp(`127\\.0\\.0\\.1:(${rc.redis.ports[0]}|${rc.redis.ports[2]}) has`));
      const allowed = await spawnServer({ dataDir: await makeTempDir('tandem-unused-'), extra: ['--redis-url', rc.redis.url, '--redis-allow-volatile'] });
      processes.push(allowed);
      const ready = (await (await fetch(`${allowed.url.replace(/^ws/, 'http')}/readyz`)).json()) as { status: string; warnings: string[] };
      expect(ready.status).toBe('ready');
      expect(ready.warnings.join()).toContain(`Redis master 127.0.0.1:${rc.redis.ports[1]} has appendonly no`);
    } finally {
      await volatile.config('SET', 'appendonly', 'yes');
      volatile.disconnect();
    }
  });

  it('/readyz fails while one master is down, and passes again once it is back, with what was acknowledged kept', { timeout: 60_000 }, async () => {
    const keyPrefix = `rc-${randomUUID().slice(0, 8)}`;
    const names = await namesOnEveryMaster(rc.redis, 'down');
    const server = await instance(keyPrefix, 0);
    const readyz = async (): Promise<number> => (await fetch(`${server.httpUrl}/readyz`)).status;
    const writers = names.map((name) => connect(server, name));
    await Promise.all(writers.map((writer) => waitForSynced(writer)));
    writers.forEach((writer, i) => writer.text.insert(0, `before ${names[i]}`));
    await waitFor(async () => (await listedBy(server)).length === names.length, { what: 'every document stored' });
    expect(await readyz()).toBe(200);
    await rc.redis.kill(2);
    try {
      await waitFor(async () => (await readyz()) === 503, { timeoutMs: 10_000, what: '/readyz to fail with a master down' });
    } finally {
      await rc.redis.restart(2); // the next tests need the whole cluster
    }
    await waitFor(async () => (await readyz()) === 200, { timeoutMs: 15_000, what: '/readyz to pass again' });
    for (const [i, name] of names.entries()) {
      const fresh = connect(server, name);
      await waitForSynced(fresh);
      expect(fresh.text.toString()).toBe(`before ${names[i]}`);
    }
  });

  it('refuses a database number, which a Redis Cluster does not have', async () => {
    await expect(RedisDocStore.open({ url: `${rc.redis.url}/2`, keyPrefix: 'unused', instanceId: 'db' })).rejects.toThrow(/a Redis Cluster has only database 0: remove \/2 from the URL/);
  });

  it('refuses to open data of the layout before buckets, saying what to do', async () => {
    const keyPrefix = `rc-${randomUUID().slice(0, 8)}`;
    const client = new Cluster([{ host: '127.0.0.1', port: rc.redis.ports[0]! }]);
    try {
      // The old layout's one listing of every document.
      await client.hset(`${keyPrefix}:docs`, 'old', JSON.stringify({ title: 'Old', size: 1, updatedAt: new Date().toISOString() }));
      await expect(RedisDocStore.open({ url: rc.redis.url, keyPrefix, instanceId: 'new' })).rejects.toThrow(/layout before buckets.*single Redis primary/);
      expect(await client.hlen(`${keyPrefix}:docs`)).toBe(1); // refused, and nothing touched
    } finally {
      client.disconnect();
    }
  });
});
