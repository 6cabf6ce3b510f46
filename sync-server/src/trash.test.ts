/**
 * Deleting documents (issue 18): into the trash and back, and out of the store for good, by
 * request or when the retention period ends; each with every access level.
 */
import { AUTH_BY_MESSAGE, AUTH_MESSAGE_PARAM, CloseCode, type DocListPage, type DocStatus, type TrashEntry, encodeTokenMessage } from '@tandem/protocol';
import { ClassicLevel } from 'classic-level';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { trashRecordId } from './documents/TrashIndex.js';
import { type ProviderClient, Peers, upgradeStatus, waitForSynced } from './test-support/clients.js';
import { type TestServer, startTestServer, waitFor } from './test-support/server.js';
import { TEST_SECRET, mintToken } from './test-support/tokens.js';

const DAY = 24 * 3600 * 1000;

let server: TestServer;
const peers = new Peers(() => server.url);
/** The server's clock, moved by the retention tests. */
let now = Date.now();

async function start(overrides: Parameters<typeof startTestServer>[0] = {}): Promise<void> {
  now = Date.now();
  server = await startTestServer({ trashRetentionDays: 30, ...overrides }, { now: () => now });
}

const connect = (docName: string, token?: string): ProviderClient => peers.provider(docName, token);

/** A document holding `text`, written to storage (listed), with a record beside it. */
async function makeDocument(docName: string, text: string, token?: string): Promise<ProviderClient> {
  const client = connect(docName, token);
  await waitForSynced(client);
  client.text.insert(0, text);
  await waitFor(async () => (await server.server.store.list()).some((doc) => doc.name === docName), { what: `${docName} listed` });
  await server.server.store.putRecord(docName, 'file', 'picture', new Uint8Array([1, 2, 3]));
  return client;
}

type Auth = { token?: string };
const headers = ({ token }: Auth): Record<string, string> => (token ? { authorization: `Bearer ${token}` } : {});
const api = (path: string, method = 'GET', auth: Auth = {}): Promise<Response> => fetch(`${server.httpUrl}${path}`, { method, headers: headers(auth) });
const json = async <T>(path: string, auth: Auth = {}): Promise<T> => (await (await api(path, 'GET', auth)).json()) as T;
const listed = async (auth: Auth = {}): Promise<string[]> => (await json<DocListPage>('/api/docs', auth)).docs.map((doc) => doc.name);
const trashed = async (auth: Auth = {}): Promise<TrashEntry[]> => (await json<DocListPage<TrashEntry>>('/api/trash', auth)).docs;

/** Resolves with the code of the server's permanent close of `client` (the stock provider then stops reconnecting). */
const permanentClose = (client: ProviderClient): Promise<{ code: number; reason: string }> =>
  new Promise((resolve) => client.provider.once('closed', (event) => resolve(event)));

afterEach(async () => {
  peers.closeAll();
  await server?.dispose();
});

describe('the trash', () => {
  it('DELETE hides a document, closes its connections with 4410, refuses new ones with HTTP 410, and lists it in the trash', async () => {
    await start();
    const editor = await makeDocument('doomed', 'last words');
    await makeDocument('kept', 'still here');
    const closed = permanentClose(editor);

    const res = await api('/api/docs/doomed?by=Olga', 'DELETE');
    expect(res.status).toBe(200);
    const body = (await res.json()) as { deletedAt: string; purgeAt: string };
    expect(Date.parse(body.purgeAt) - Date.parse(body.deletedAt)).toBe(30 * DAY);

    expect(await closed).toEqual({ code: CloseCode.DocumentDeleted.code, reason: 'this document was deleted' });
    expect(editor.provider.shouldConnect).toBe(false);
    expect(await listed()).toEqual(['kept']);
    expect((await trashed()).map((doc) => [doc.name, doc.title, doc.deletedBy])).toEqual([['doomed', null, 'Olga']]);
    expect(await upgradeStatus(server.url, '/doomed')).toBe(410);
    expect(await json<DocStatus>('/api/docs/doomed')).toMatchObject({ name: 'doomed', trash: { purgeAt: body.purgeAt } });
    expect((await api('/api/docs/doomed', 'DELETE')).status).toBe(409);
  });

  it('a connection that sends its token as its first message is closed with 4410 for a trashed document', async () => {
    await start({ authSecret: TEST_SECRET });
    const token = await mintToken({ doc: 'gone' });
    await makeDocument('gone', 'x', token);
    expect((await api('/api/docs/gone', 'DELETE', { token })).status).toBe(200);
    const socket = new WebSocket(`${server.url}/gone?${AUTH_MESSAGE_PARAM}=${AUTH_BY_MESSAGE}`);
    socket.on('open', () => socket.send(encodeTokenMessage(token)));
    const code = await new Promise<number>((resolve) => socket.on('close', (c) => resolve(c)));
    expect(code).toBe(CloseCode.DocumentDeleted.code);
  });

  it('restore brings the document back whole: text, records, and connections', async () => {
    await start();
    (await makeDocument('comeback', 'every word')).destroy();
    await waitFor(() => !server.server.rooms.has('comeback'), { what: 'unloaded' });
    expect((await api('/api/docs/comeback', 'DELETE')).status).toBe(200);
    expect((await api('/api/docs/comeback/restore', 'POST')).status).toBe(200);

    expect(await listed()).toEqual(['comeback']);
    expect(await trashed()).toEqual([]);
    expect([...((await server.server.store.getRecord('comeback', 'file', 'picture')) ?? [])]).toEqual([1, 2, 3]);
    const reader = connect('comeback');
    await waitForSynced(reader);
    expect(reader.text.toString()).toBe('every word');
    expect((await api('/api/docs/comeback/restore', 'POST')).status).toBe(404);
  });

  it('deleting for good needs the trash first, and leaves no key of the document in LevelDB', async () => {
    await start();
    const client = await makeDocument('shredded', 'secret words');
    await makeDocument('neighbour', 'stays');
    expect((await api('/api/docs/shredded?permanent=1', 'DELETE')).status).toBe(409);
    expect((await api('/api/docs/shredded', 'DELETE')).status).toBe(200);
    client.destroy();
    expect((await api('/api/docs/shredded?permanent=1', 'DELETE')).status).toBe(200);
    expect(await trashed()).toEqual([]);
    expect((await api('/api/docs/shredded/restore', 'POST')).status).toBe(404);
    expect(await upgradeStatus(server.url, '/shredded')).toBe(101); // the name is free again, and empty

    await server.stop();
    const keys = await allKeys(server.dataDir);
    expect(keys.filter((key) => key.includes('shredded') || key.includes(trashRecordId('shredded')))).toEqual([]);
    expect(keys.filter((key) => key.includes('neighbour')).length).toBeGreaterThan(0);
  });

  it('the sweep deletes for good what has been in the trash longer than the retention period, and nothing else', async () => {
    await start({ trashRetentionDays: 7, trashSweepIntervalMs: 100 });
    (await makeDocument('old', 'a')).destroy();
    (await makeDocument('recent', 'b')).destroy();
    expect((await api('/api/docs/old', 'DELETE')).status).toBe(200);
    now += 5 * DAY;
    expect((await api('/api/docs/recent', 'DELETE')).status).toBe(200);
    now += 2 * DAY + 1;

    await waitFor(async () => (await trashed()).length === 1, { what: 'the sweep' });
    expect((await trashed()).map((doc) => doc.name)).toEqual(['recent']);
    await server.stop();
    const keys = await allKeys(server.dataDir);
    expect(keys.filter((key) => key.includes('old') || key.includes(trashRecordId('old')))).toEqual([]);
    expect(keys.filter((key) => key.includes('recent')).length).toBeGreaterThan(0);
  });

  it('answers 404 for a document that does not exist, and 400 for an invalid name', async () => {
    await start();
    expect((await api('/api/docs/never-written', 'DELETE')).status).toBe(404);
    expect((await api('/api/docs/bad%20name', 'DELETE')).status).toBe(400);
    expect((await api('/api/docs/x/restore', 'GET')).status).toBe(405);
  });
});

describe('the trash with auth on', () => {
  it('trashing, restoring and deleting for good need a write token covering the document', async () => {
    await start({ authSecret: TEST_SECRET });
    const writer = { token: await mintToken({ sub: 'ada', name: 'Ada', doc: 'guarded' }) };
    const reader = { token: await mintToken({ doc: 'guarded', access: 'read' }) };
    const other = { token: await mintToken({ doc: 'elsewhere' }) };
    const team = { token: await mintToken({ doc: 'guard*' }) };
    await makeDocument('guarded', 'x', writer.token);

    for (const [method, path] of [['DELETE', '/api/docs/guarded'], ['POST', '/api/docs/guarded/restore'], ['DELETE', '/api/docs/guarded?permanent=1']] as const) {
      expect((await api(path, method)).status, `${method} ${path} without a token`).toBe(401);
      expect((await api(path, method, { token: 'nonsense' })).status).toBe(401);
      expect((await api(path, method, other)).status, `${method} ${path} for another document`).toBe(403);
      expect((await api(path, method, reader)).status, `${method} ${path} with a read token`).toBe(403);
    }
    expect((await api('/api/docs/guarded', 'DELETE', writer)).status).toBe(200);
    expect((await trashed(team))[0]).toMatchObject({ name: 'guarded', deletedBy: 'Ada' });
    expect((await api('/api/trash')).status).toBe(401);
    expect(await trashed(other)).toEqual([]);
    expect((await api('/api/docs/guarded', 'GET', reader)).status).toBe(200);
    expect((await api('/api/docs/guarded/restore', 'POST', team)).status).toBe(200);
    expect((await api('/api/docs/guarded', 'DELETE', team)).status).toBe(200);
    expect((await api('/api/docs/guarded?permanent=1', 'DELETE', writer)).status).toBe(200);
    expect(await trashed(team)).toEqual([]);
  });
});

/** Every key of the LevelDB database in `dataDir`. */
async function allKeys(dataDir: string): Promise<string[]> {
  const db = new ClassicLevel<string, Uint8Array>(dataDir, { keyEncoding: 'utf8', valueEncoding: 'view' });
  await db.open();
  try {
    return await db.keys().all();
  } finally {
    await db.close();
  }
}
