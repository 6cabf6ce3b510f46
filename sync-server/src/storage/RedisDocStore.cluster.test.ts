/**
 * The DocStore contract on a real 3-master Redis Cluster. The documents the suite writes together
 * (its spread names) are chosen here to lie on three different masters, so every MULTI, script,
 * pipeline and XREAD the store sends must keep to one hash slot: a cluster refuses the others
 * (CROSSSLOT), or redirects them to another node (MOVED).
 */
import { randomUUID } from 'node:crypto';
import { afterAll } from 'vitest';
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
