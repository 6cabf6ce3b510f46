/**
 * The DocStore contract on a real 3-master Redis Cluster. The documents the suite writes together
 * (its spread names) are chosen here to lie on three different masters, so every MULTI, script,
 * pipeline and XREAD the store sends must keep to one hash slot: a cluster refuses the others
 * (CROSSSLOT), or redirects them to another node (MOVED).
 */
import { randomUUID } from 'node:crypto';
import { afterAll } from 'vitest';
import { type TestRedisCluster, startTestRedisCluster } from '../test-support/redisCluster.js';
import { describeDocStoreContract } from './DocStore.contract.js';
import { RedisDocStore } from './redis/RedisDocStore.js';
import { RedisKeys } from './redis/keys.js';

let cluster: Promise<{ redis: TestRedisCluster; spreadNames: string[] }> | undefined;
afterAll(async () => (await cluster)?.redis.dispose());

/** One document name per master: the first `spread-<n>` whose keys that master serves. */
async function namesOnEveryMaster(redis: TestRedisCluster): Promise<string[]> {
  const probe = redis.node(0);
  try {
    const ranges = (await probe.call('CLUSTER', 'SLOTS')) as Array<[number, number, [string, number]]>;
    const byMaster = new Map<number, string>();
    const keys = new RedisKeys('any'); // the slot depends on the bucket tag only
    for (let n = 0; byMaster.size < redis.ports.length && n < 1000; n++) {
      const name = `spread-${n}`;
      const slot = (await probe.call('CLUSTER', 'KEYSLOT', keys.log(name))) as number;
      const port = ranges.find(([from, to]) => slot >= from && slot <= to)![2][1];
      if (!byMaster.has(port)) byMaster.set(port, name);
    }
    if (byMaster.size < redis.ports.length) throw new Error(`documents reach only ${byMaster.size} of ${redis.ports.length} masters`);
    return [...byMaster.values()];
  } finally {
    probe.disconnect();
  }
}

describeDocStoreContract('RedisDocStore on a Redis Cluster', async () => {
  cluster ??= startTestRedisCluster().then(async (redis) => ({ redis, spreadNames: await namesOnEveryMaster(redis) }));
  const { redis, spreadNames } = await cluster;
  const keyPrefix = `contract-${randomUUID()}`;
  let instance = 0;
  const open = () => RedisDocStore.open({ url: redis.url, keyPrefix, instanceId: `instance-${++instance}` });
  return { open, reopen: open, openPeer: open, cleanup: async () => {}, spreadNames };
});
