import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { waitFor } from '../test-support/server.js';
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

describe('RedisDocStore', () => {
  it('a follower that falls behind a compaction is given the snapshot instead of the entries it removed', async () => {
    redis ??= startTestRedis();
    const { url } = await redis;
    const keyPrefix = `laggard-${randomUUID()}`;
    const stores = await Promise.all(['lagging', 'compacting'].map((instanceId) => RedisDocStore.open({ url, keyPrefix, instanceId, trimMarginMs: 0 })));
    const [lagging, compacting] = stores as [RedisDocStore, RedisDocStore];
    try {
      await lagging.load('doc');
      const writer = new Y.Doc();
      const collect: Uint8Array[] = [];
      writer.on('update', (update: Uint8Array) => collect.push(update));
      writer.getText('t').insert(0, 'missed by the follower');
      await compacting.load('doc');
      await compacting.append([{ name: 'doc', updates: collect }]);
      // Older than the (zero) margin by the compaction's clock: compaction keeps entries of the same millisecond.
      await new Promise((resolve) => setTimeout(resolve, 5));
      await compacting.compact('doc', Y.encodeStateAsUpdate(writer), Y.encodeStateVector(writer), null);
      const received = new Y.Doc();
      const whole: boolean[] = [];
      lagging.follow('doc', ({ updates, whole: isWhole }) => {
        whole.push(isWhole === true);
        for (const update of updates) Y.applyUpdate(received, update);
      });
      await waitFor(() => received.getText('t').toString() === 'missed by the follower', { what: 'the follower to catch up' });
      expect(whole).toEqual([true]);
    } finally {
      await Promise.all(stores.map((store) => store.close()));
    }
  });
});
