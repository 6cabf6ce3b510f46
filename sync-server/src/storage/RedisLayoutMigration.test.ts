/**
 * Data written in the Redis layout before buckets (each document's keys tagged with its own name,
 * one listing `<p>:docs`) on a single primary: the bucket layout's store moves it at open, and
 * nothing of it is lost.
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import * as Y from 'yjs';
import { type TestRedis, startTestRedis } from '../test-support/redis.js';
import { RedisDocStore } from './redis/RedisDocStore.js';

let redis: TestRedis;
beforeAll(async () => {
  redis = await startTestRedis();
});
afterAll(async () => redis?.dispose());

function textOf(updates: Uint8Array[]): string {
  const doc = new Y.Doc();
  for (const update of updates) Y.applyUpdate(doc, update);
  return doc.getText('t').toString();
}

it('moves documents, logs, snapshots, records and the listing of the layout before buckets, once', async () => {
  const prefix = `old-${randomUUID().slice(0, 8)}`;
  const raw = new Redis(redis.port, '127.0.0.1');
  try {
    // What the store of the layout before buckets wrote for two documents.
    const doc = new Y.Doc();
    doc.getText('t').insert(0, 'compacted ');
    const snapshot = Y.encodeStateAsUpdate(doc);
    const stateVector = Y.encodeStateVector(doc);
    const before = Y.encodeStateVector(doc);
    doc.getText('t').insert(doc.getText('t').length, 'then logged');
    const logged = Y.encodeStateAsUpdate(doc, before);
    const other = new Y.Doc();
    other.getText('t').insert(0, 'only logged');
    const summary = (title: string): string => JSON.stringify({ title, size: 10, updatedAt: '2026-01-01T00:00:00.000Z' });
    await raw
      .multi()
      .hset(`${prefix}:{moved}:snap`, 'data', Buffer.from(snapshot), 'upto', '1-0')
      .xadd(`${prefix}:{moved}:log`, '2-0', 'i', 'old-instance', 'u', Buffer.from(logged))
      .set(`${prefix}:{moved}:sv`, Buffer.from(stateVector))
      .sadd(`${prefix}:{moved}:kinds`, 'version')
      .hset(`${prefix}:{moved}:rec:version`, 'v1', 'a version')
      .xadd(`${prefix}:{also moved}:log`, '3-0', 'i', 'old-instance', 'u', Buffer.from(Y.encodeStateAsUpdate(other)))
      .hset(`${prefix}:docs`, 'moved', summary('Moved'), 'also moved', summary('Also moved'))
      .exec();

    for (const round of ['first open moves', 'second open finds nothing to move']) {
      const store = await RedisDocStore.open({ url: redis.url, keyPrefix: prefix, instanceId: `new-${round.length}` });
      try {
        expect(store.movedFromOldLayout, round).toBe(round === 'first open moves' ? 7 : 0);
        const moved = await store.load('moved');
        expect(textOf(moved.updates)).toBe('compacted then logged');
        expect(moved.logCount).toBe(1);
        expect(moved.stateVector).toEqual(Buffer.from(stateVector));
        expect(textOf((await store.load('also moved')).updates)).toBe('only logged');
        expect((await store.listRecords('moved', 'version')).map(({ id, value }) => [id, Buffer.from(value).toString()])).toEqual([['v1', 'a version']]);
        expect((await store.list()).map(({ name, title }) => [name, title])).toEqual([
          ['also moved', 'Also moved'],
          ['moved', 'Moved'],
        ]);
        expect((await store.namesWithLog()).sort()).toEqual(['also moved', 'moved']);
      } finally {
        await store.close();
      }
    }
    // Nothing of the old layout is left.
    const left = await raw.keys(`${prefix}:*`);
    expect(left.filter((key) => !key.startsWith(`${prefix}:{b`))).toEqual([]);
    expect(left.length).toBeGreaterThan(0);
  } finally {
    raw.disconnect();
  }
});
