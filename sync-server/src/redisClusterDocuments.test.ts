/**
 * The document features beside the text on a real 3-master Redis Cluster, with two sync-server
 * instances given different nodes' URLs and documents on different masters: the trash (delete,
 * restore, purge), files, and named versions each work across the instances.
 */
import { createHash, randomUUID } from 'node:crypto';
import { CloseCode, type DocListPage, type TrashEntry } from '@tandem/protocol';
import { Cluster } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { trashRecordId } from './documents/TrashIndex.js';
import { type ProviderClient, connectProvider, waitForSynced } from './test-support/clients.js';
import { VersionApi, bodyText, writeParagraphs } from './test-support/documents.js';
import { makePng } from './test-support/images.js';
import { namesOnEveryMaster, useTestRedisCluster } from './test-support/redisCluster.js';
import { type TestServer, startTestServer, waitFor } from './test-support/server.js';

/** How often an instance rechecks the shared trash (server.ts), plus room for a busy machine. */
const CLOSE_PROMISE_MS = 5000 + 3000;

const rc = useTestRedisCluster();
const { servers, clients } = rc;

/** Instances A and B on the cluster, given the URLs of nodes 0 and 2, with a fresh key prefix. */
async function twoInstances(): Promise<{ a: TestServer; b: TestServer; keyPrefix: string }> {
  const keyPrefix = `rcd-${randomUUID().slice(0, 8)}`;
  const start = async (node: number): Promise<TestServer> => {
    const server = await startTestServer({ redisUrl: `redis://127.0.0.1:${rc.redis.ports[node]}`, redisKeyPrefix: keyPrefix, dataDir: '' });
    servers.push(server);
    return server;
  };
  return { a: await start(0), b: await start(2), keyPrefix };
}

async function synced(server: TestServer, docName: string): Promise<ProviderClient> {
  const client = connectProvider(server.url, docName);
  clients.push(client);
  await waitForSynced(client);
  return client;
}

const api = (server: TestServer, path: string, init: RequestInit = {}): Promise<Response> => fetch(`${server.httpUrl}${path}`, init);
const listed = async (server: TestServer): Promise<string[]> => ((await (await api(server, '/api/docs')).json()) as DocListPage).docs.map((doc) => doc.name);
const trashed = async (server: TestServer): Promise<string[]> =>
  ((await (await api(server, '/api/trash')).json()) as DocListPage<TrashEntry>).docs.map((doc) => doc.name);
const closeCode = (client: ProviderClient): Promise<number> => new Promise((resolve) => client.provider.once('closed', ({ code }) => resolve(code)));

/** Every key under `keyPrefix` on every master of the cluster, with the port of the master holding it. */
async function keysOnEveryMaster(client: Cluster, keyPrefix: string): Promise<Array<{ port: number; key: string }>> {
  const found: Array<{ port: number; key: string }> = [];
  for (const node of client.nodes('master')) {
    for (const key of await node.keys(`${keyPrefix}:*`)) found.push({ port: node.options.port!, key });
  }
  return found;
}

/** What of `key` names `docName`: hash fields, set members, stream entry values. */
async function mentionsIn(client: Cluster, key: string, docName: string): Promise<string[]> {
  const type = await client.type(key);
  let members: string[] = [];
  if (type === 'hash') members = await client.hkeys(key);
  else if (type === 'set') members = await client.smembers(key);
  else if (type === 'stream') members = (await client.xrange(key, '-', '+')).flatMap(([, fields]) => fields);
  return members.filter((member) => member === docName || member === trashRecordId(docName)).map((member) => `${key} ${member}`);
}

/** The keys under `keyPrefix` on every master, and what in them still names `docName`. */
async function whatIsLeftOf(keyPrefix: string, docName: string): Promise<{ keys: Array<{ port: number; key: string }>; mentions: string[] }> {
  const client = new Cluster([{ host: '127.0.0.1', port: rc.redis.ports[1]! }]);
  try {
    await waitFor(() => client.status === 'ready', { what: 'the cluster client ready' });
    const keys = await keysOnEveryMaster(client, keyPrefix);
    const mentions: string[] = [];
    for (const { key } of keys) mentions.push(...(await mentionsIn(client, key, docName)));
    return { keys, mentions };
  } finally {
    client.disconnect();
  }
}

describe('document features on a Redis Cluster, across instances', () => {
  it('a document deleted through A is closed on B with 4410 within the recheck, trashed on B, and restored through B opens on A', async () => {
    const { a, b } = await twoInstances();
    const [, docName] = await namesOnEveryMaster(rc.redis, 'trash');
    const writer = await synced(a, docName!);
    writer.text.insert(0, 'kept across the trash');
    const reader = await synced(b, docName!);
    await waitFor(() => reader.text.toString() === 'kept across the trash', { what: 'B to hold A’s text' });
    await waitFor(async () => (await listed(b)).includes(docName!), { what: 'B to list the document' });
    const readerClosed = closeCode(reader);
    const writerClosed = closeCode(writer);

    const deletedAt = performance.now();
    expect((await api(a, `/api/docs/${docName}`, { method: 'DELETE' })).status).toBe(200);
    expect(await readerClosed).toBe(CloseCode.DocumentDeleted.code);
    expect(performance.now() - deletedAt).toBeLessThan(CLOSE_PROMISE_MS);
    expect(await writerClosed).toBe(CloseCode.DocumentDeleted.code);
    expect(await listed(b)).not.toContain(docName);
    expect(await trashed(b)).toEqual([docName]);

    expect((await api(b, `/api/docs/${docName}/restore`, { method: 'POST' })).status).toBe(200);
    expect(await listed(b)).toContain(docName);
    expect(await trashed(b)).toEqual([]);
    const reopened = await synced(a, docName!);
    expect(reopened.text.toString()).toBe('kept across the trash');
  }, 20_000);

  it('a document deleted for good through B leaves no key of it on any master', async () => {
    const { a, b, keyPrefix } = await twoInstances();
    const names = await namesOnEveryMaster(rc.redis, 'purge');
    const [purged, ...neighbours] = names as [string, ...string[]];
    for (const name of names) {
      const client = await synced(a, name);
      client.text.insert(0, `${name} words`);
      await waitFor(async () => (await listed(a)).includes(name), { what: `${name} listed` });
    }
    expect((await api(a, `/api/docs/${purged}/files`, { method: 'POST', body: makePng(3, 3), headers: { 'content-type': 'image/png' } })).status).toBe(201);
    clients.shift()!.destroy();
    // A has unloaded it already; the test below deletes one another instance still holds open.
    await waitFor(() => !a.server.rooms.has(purged), { what: 'A to unload the document' });
    expect((await api(a, `/api/docs/${purged}`, { method: 'DELETE' })).status).toBe(200);
    expect((await api(b, `/api/docs/${purged}?permanent=1`, { method: 'DELETE' })).status).toBe(200);

    const { keys, mentions } = await whatIsLeftOf(keyPrefix, purged);
    // The scan reaches every master: the neighbours' keys are found on the masters they live on.
    const mastersWithNeighbours = new Set(keys.filter(({ key }) => neighbours.some((name) => key.includes(`:doc:${name}:`))).map(({ port }) => port));
    expect(mastersWithNeighbours.size).toBe(neighbours.length);
    expect(keys.filter(({ key }) => key.includes(`:doc:${purged}:`))).toEqual([]);
    expect(mentions).toEqual([]);
    expect(await trashed(a)).toEqual([]);
    expect((await listed(b)).sort()).toEqual([...neighbours].sort());
  }, 20_000);

  // Deleting for good waits until every instance has had the document in the trash long enough to
  // close it (Trash.ts, settleMs): before that wait, A never saw it trashed, kept its client, and that
  // client's next edit wrote the purged document back.
  it('deleted for good through B while A holds it open: A closes its client with 4410, and nothing of it comes back', async () => {
    const { a, b, keyPrefix } = await twoInstances();
    const [, purged] = await namesOnEveryMaster(rc.redis, 'revenant');
    const editor = await synced(a, purged!);
    editor.text.insert(0, 'written on A');
    await waitFor(async () => (await listed(b)).includes(purged!), { what: 'B to list the document' });
    let code: number | undefined;
    void closeCode(editor).then((closedWith) => (code = closedWith));
    expect((await api(b, `/api/docs/${purged}`, { method: 'DELETE' })).status).toBe(200);
    expect((await api(b, `/api/docs/${purged}?permanent=1`, { method: 'DELETE' })).status).toBe(200);
    await waitFor(() => code !== undefined, { timeoutMs: CLOSE_PROMISE_MS, what: 'A to close its client of the purged document' });
    expect(code).toBe(CloseCode.DocumentDeleted.code);
    editor.text.insert(0, 'typed after the purge');
    expect(await listed(b)).not.toContain(purged);
    expect(a.server.rooms.all().some((room) => room.name === purged)).toBe(false);
    const { keys, mentions } = await whatIsLeftOf(keyPrefix, purged!);
    expect(keys.filter(({ key }) => key.includes(`:doc:${purged}:`))).toEqual([]);
    expect(mentions).toEqual([]);
  }, 25_000);

  it('a file uploaded through A is served by B byte for byte', async () => {
    const { a, b } = await twoInstances();
    for (const docName of await namesOnEveryMaster(rc.redis, 'files')) {
      const png = makePng(5, 4, docName.length * 7);
      const uploaded = await api(a, `/api/docs/${docName}/files`, { method: 'POST', body: png, headers: { 'content-type': 'image/png' } });
      expect(uploaded.status).toBe(201);
      const { id } = (await uploaded.json()) as { id: string };
      expect(id).toBe(createHash('sha256').update(png).digest('hex'));
      const served = await api(b, `/api/docs/${docName}/files/${id}`);
      expect(served.status).toBe(200);
      expect(served.headers.get('content-type')).toBe('image/png');
      expect(new Uint8Array(await served.arrayBuffer())).toEqual(png);
    }
  }, 20_000);

  it('a version named through A is listed by B, and restoring it through B changes what A’s client holds', async () => {
    const { a, b } = await twoInstances();
    const [, , docName] = (await namesOnEveryMaster(rc.redis, 'versions')) as [string, string, string];
    const writer = await synced(a, docName);
    const storedOnA = (text: string) => () => {
      const room = a.server.rooms.all().find((r) => r.name === docName);
      return room !== undefined && bodyText(room.doc) === text;
    };
    writeParagraphs(writer.doc, ['First draft'], 'Plans');
    await waitFor(storedOnA('First draft'), { what: 'A’s room to hold the first draft' });
    const versionId = await new VersionApi(a.httpUrl).name(docName, 'Baseline');
    writeParagraphs(writer.doc, ['Second draft'], 'Plans');
    await waitFor(storedOnA('Second draft'), { what: 'A’s room to hold the second draft' });

    const onB = new VersionApi(b.httpUrl);
    expect((await onB.list(docName)).filter((v) => v.label === 'Baseline').map((v) => v.id)).toEqual([versionId]);
    await onB.restore(docName, versionId);
    await waitFor(() => bodyText(writer.doc) === 'First draft', { what: 'A’s client to hold the restored version' });
  }, 20_000);
});
