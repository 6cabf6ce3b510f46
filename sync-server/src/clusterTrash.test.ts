/**
 * The trash and link resets in cluster mode: two sync servers share one real redis-server. What
 * one instance does is refused by the other at once (the state is in the shared store), and the
 * other's open connections are closed within its recheck (every 5 s).
 */
import { CloseCode } from '@tandem/protocol';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { type ProviderClient, upgradeStatus, waitForSynced } from './test-support/clients.js';
import { trashRecordId } from './documents/TrashIndex.js';
import { freshKeyPrefix, useTestCluster } from './test-support/cluster.js';
import { type TestServer, waitFor } from './test-support/server.js';
import { TEST_SECRET, mintToken } from './test-support/tokens.js';

const cluster = useTestCluster();

async function synced(server: TestServer, docName: string, token: string): Promise<ProviderClient> {
  const client = cluster.connect(server, docName, { token });
  await waitForSynced(client);
  return client;
}

const closeCode = (client: ProviderClient): Promise<number> => new Promise((resolve) => client.provider.once('closed', ({ code }) => resolve(code)));

describe('the trash and link resets across instances', () => {
  it('a document trashed on one instance is refused by the other and its connections there are closed', async () => {
    const [one, two] = (await cluster.start(2, { authSecret: TEST_SECRET })) as [TestServer, TestServer];
    const token = await mintToken({ doc: 'shared' });
    const writer = await synced(one, 'shared', token);
    writer.text.insert(0, 'kept in Redis');
    const reader = await synced(two, 'shared', token);
    await waitFor(() => reader.text.toString() === 'kept in Redis', { what: 'the other instance' });
    const closed = closeCode(reader);

    const res = await fetch(`${one.httpUrl}/api/docs/shared`, { method: 'DELETE', headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    expect(await upgradeStatus(two.url, `/shared?token=${token}`)).toBe(410);
    expect(await closed).toBe(CloseCode.DocumentDeleted.code);
  }, 20_000);

  it('a link reset on one instance closes that link’s connections on the other', async () => {
    const [one, two] = (await cluster.start(2, { authSecret: TEST_SECRET })) as [TestServer, TestServer];
    const oldView = await mintToken({ doc: 'plans', access: 'read', link: { purpose: 'read', generation: 0 } });
    const editor = await synced(two, 'plans', await mintToken({ doc: 'plans', access: 'write', link: { purpose: 'write', generation: 0 } }));
    const viewer = await synced(two, 'plans', oldView);
    const closed = closeCode(viewer);

    const res = await fetch(`${one.httpUrl}/api/docs/plans/links/read/rotate`, { method: 'POST', headers: { authorization: `Bearer ${await mintToken({ doc: 'plans' })}` } });
    expect(res.status).toBe(200);
    expect(await upgradeStatus(two.url, `/plans?token=${oldView}`)).toBe(403);
    expect(await closed).toBe(CloseCode.LinkRevoked.code);
    expect(editor.provider.wsconnected).toBe(true);
  }, 20_000);

  it('deleting for good leaves no key, hash field or stream of the document in Redis', async () => {
    const prefix = freshKeyPrefix();
    const [one] = (await cluster.start(1, { redisKeyPrefix: prefix })) as [TestServer];
    for (const name of ['shredded', 'neighbour']) {
      const client = cluster.connect(one, name);
      await waitForSynced(client);
      client.text.insert(0, `${name} words`);
      await waitFor(async () => (await one.server.store.list()).some((doc) => doc.name === name), { what: `${name} listed` });
    }
    await one.server.store.putRecord('shredded', 'file', 'picture', new Uint8Array([1]));
    cluster.clients.shift()!.destroy();
    expect((await fetch(`${one.httpUrl}/api/docs/shredded`, { method: 'DELETE' })).status).toBe(200);
    expect((await fetch(`${one.httpUrl}/api/docs/shredded?permanent=1`, { method: 'DELETE' })).status).toBe(200);

    const client = new Redis(cluster.redis.url);
    try {
      const keys = await client.keys(`${prefix}:*`);
      expect(keys.filter((key) => key.includes('shredded'))).toEqual([]);
      expect(keys.some((key) => key.includes('neighbour'))).toBe(true);
      const mentions: string[] = [];
      for (const key of keys) {
        const type = await client.type(key);
        const members = type === 'hash' ? await client.hkeys(key) : type === 'set' ? await client.smembers(key) : [];
        for (const member of members) if (member.includes('shredded') || member === trashRecordId('shredded')) mentions.push(`${key} ${member}`);
      }
      expect(mentions).toEqual([]);
    } finally {
      client.disconnect();
    }
  }, 20_000);
});
