import { randomUUID } from 'node:crypto';
import { afterAll } from 'vitest';
import { type TestRedis, startTestRedis } from '../test-support/redis.js';
import { describeDocStoreContract } from './DocStore.contract.js';
import { RedisDocStore } from './redis/RedisDocStore.js';

// One redis-server for the file; each test's store gets keys of its own.
let redis: Promise<TestRedis> | undefined;
afterAll(async () => (await redis)?.dispose());

describeDocStoreContract('RedisDocStore', async () => {
  redis ??= startTestRedis();
  const { url } = await redis;
  const keyPrefix = `contract-${randomUUID()}`;
  let instance = 0;
  const open = () => RedisDocStore.open({ url, keyPrefix, instanceId: `instance-${++instance}` });
  return { open, reopen: open, openPeer: open, cleanup: async () => {} };
});
