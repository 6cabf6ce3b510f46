/**
 * The DocStore contract on a real 3-master Redis Cluster. The documents the suite writes together
 * (its spread names) are chosen here to lie on three different masters, so every MULTI, script,
 * pipeline and XREAD the store sends must keep to one hash slot: a cluster refuses the others
 * (CROSSSLOT), or redirects them to another node (MOVED).
 */
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { waitFor } from '../test-support/server.js';
import { type TestRedisCluster, namesOnEveryMaster, startTestRedisCluster } from '../test-support/redisCluster.js';
import { describeDocStoreContract } from './DocStore.contract.js';
import { RedisDocStore } from './redis/RedisDocStore.js';

let cluster: Promise<{ redis: TestRedisCluster; spreadNames: string[] }> | undefined;
afterAll(async () => (await cluster)?.redis.dispose());

describeDocStoreContract('RedisDocStore on a Redis Cluster', async () => {
  cluster ??= startTestRedisCluster().then(async (redis) => ({ redis, spreadNames: await namesOnEveryMaster(redis, 'spread') }));
  const { redis, spreadNames } = await cluster;
  const keyPrefix = `contract-${randomUUID()}`;
  let instance = 0;
  const open = () => RedisDocStore.open({ url: redis.url, keyPrefix, instanceId: `instance-${++instance}` });
  return { open, reopen: open, openPeer: open, cleanup: async () => {}, spreadNames };
});

describe('RedisDocStore on a Redis Cluster', () => {
  it('a follower whose connection is cut resumes from the last entry it saw: nothing skipped, nothing twice', async () => {
    cluster ??= startTestRedisCluster().then(async (redis) => ({ redis, spreadNames: await namesOnEveryMaster(redis, 'spread') }));
    const { redis, spreadNames } = await cluster;
    const keyPrefix = `cut-${randomUUID()}`;
    const [follower, writer] = await Promise.all(['follower', 'writer'].map((instanceId) => RedisDocStore.open({ url: redis.url, keyPrefix, instanceId })));
    const nodes = redis.ports.map((_, i) => redis.node(i));
    try {
      const received = new Map(spreadNames.map((name) => [name, [] as string[]]));
      for (const name of spreadNames) {
        await follower!.load(name);
        follower!.follow(name, ({ updates }) => {
          for (const update of updates) received.get(name)!.push(textOfUpdate(update));
        });
      }
      const write = async (round: string): Promise<void> => {
        for (const name of spreadNames) await writer!.append([{ name, updates: [updateOf(`${name}:${round}`)] }]);
      };
      await write('before');
      await waitFor(() => spreadNames.every((name) => received.get(name)!.length === 1), { what: 'the first entries' });
      // Cut every follower connection on every master, and write while they are down.
      const cut = await Promise.all(nodes.map((node) => killClients(node, 'tandem:follower:follow')));
      expect(cut.reduce((sum, count) => sum + count, 0)).toBeGreaterThanOrEqual(spreadNames.length);
      await write('during');
      await write('after');
      await waitFor(() => spreadNames.every((name) => received.get(name)!.length === 3), { what: 'the entries written around the cut' });
      for (const name of spreadNames) expect(received.get(name)).toEqual([`${name}:before`, `${name}:during`, `${name}:after`]);
    } finally {
      for (const node of nodes) node.disconnect();
      await Promise.all([follower!.close(), writer!.close()]);
    }
  });
});

/** One update inserting `text` (alone in a fresh document: what each test entry holds). */
function updateOf(text: string): Uint8Array {
  const doc = new Y.Doc();
  doc.getText('t').insert(0, text);
  return Y.encodeStateAsUpdate(doc);
}

function textOfUpdate(update: Uint8Array): string {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, update);
  return doc.getText('t').toString();
}

/** CLIENT KILL every connection of `node` whose name starts with `namePrefix`; how many. */
async function killClients(node: Redis, namePrefix: string): Promise<number> {
  const list = (await node.client('LIST')) as string;
  const ids = list
    .split('\n')
    .filter((line) => new RegExp(`\\bname=${namePrefix}`).test(line))
    .map((line) => /\bid=(\d+)/.exec(line)![1]!);
  for (const id of ids) await node.client('KILL', 'ID', id);
  return ids.length;
}
