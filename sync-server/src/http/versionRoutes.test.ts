/**
 * The version API's contract and its authorisation, which is the document's: read access lists
 * and views, write access names and restores; 401 without a valid token, 403 for another document.
 */
import { MAX_VERSION_LABEL_LENGTH, type VersionInfo } from '@tandem/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { type ProviderClient, connectProvider, waitForSynced } from '../test-support/clients.js';
import { VersionApi, bodyText, writeParagraphs } from '../test-support/documents.js';
import { type TestServer, startTestServer, waitFor } from '../test-support/server.js';
import { TEST_SECRET, mintToken } from '../test-support/tokens.js';

const APP_ORIGIN = 'https://app.example';
let server: TestServer;
let writer: ProviderClient;
let versionId: string;
let tokens: { read: string; write: string; other: string };

beforeEach(async () => {
  server = await startTestServer({ authSecret: TEST_SECRET, allowedOrigins: [APP_ORIGIN] });
  tokens = {
    read: await mintToken({ sub: 'reader', doc: 'plans', access: 'read' }),
    write: await mintToken({ sub: 'writer', doc: 'plans' }),
    other: await mintToken({ sub: 'outsider', doc: 'other-doc' }),
  };
  writer = connectProvider(server.url, 'plans', { params: { token: tokens.write }, WebSocketClass: FromApp });
  await waitForSynced(writer);
  writeParagraphs(writer.doc, ['Quarter plan', 'Second line'], 'Plans');
  await waitFor(() => server.server.rooms.all()[0] !== undefined && bodyText(server.server.rooms.all()[0]!.doc) === 'Quarter plan\nSecond line', { what: 'stored' });
  versionId = await new VersionApi(server.httpUrl, tokens.write).name('plans', 'Baseline');
});
afterEach(async () => {
  writer.destroy();
  await server.dispose();
});

/** A WebSocket from the app's pages, as a browser there would open it. */
class FromApp extends WebSocket {
  constructor(url: string, protocols?: string | string[]) {
    super(url, protocols, { headers: { origin: APP_ORIGIN } });
  }
}

const call = (path: string, init: RequestInit = {}): Promise<Response> =>
  fetch(`${server.httpUrl}/api/docs/${path}`, init);
const bearer = (token: string, extra: Record<string, string> = {}): Record<string, string> => ({ authorization: `Bearer ${token}`, ...extra });
const json = { 'content-type': 'application/json' };
const nameBody = JSON.stringify({ label: 'Sent to client' });

describe('authorisation, as for the document', () => {
  it('answers 401 without a token or with a bad one, for every route', async () => {
    const routes: Array<[string, RequestInit]> = [
      ['plans/versions', {}],
      ['plans/versions', { method: 'POST', headers: json, body: nameBody }],
      [`plans/versions/${versionId}`, {}],
      [`plans/versions/${versionId}/restore`, { method: 'POST' }],
    ];
    const forged = await mintToken({ doc: 'plans' }, 'another-secret-of-sufficient-length');
    for (const [path, init] of routes) {
      expect((await call(path, init)).status, path).toBe(401);
      expect((await call(path, { ...init, headers: { ...(init.headers as object), authorization: `Bearer ${forged}` } })).status, path).toBe(401);
    }
    expect(await (await call('plans/versions')).json()).toEqual({ error: 'missing, invalid or expired token' });
  });

  it('answers 403 to a token for another document', async () => {
    expect((await call('plans/versions', { headers: bearer(tokens.other) })).status).toBe(403);
    expect((await call(`plans/versions/${versionId}?format=text`, { headers: bearer(tokens.other) })).status).toBe(403);
    expect((await call(`plans/versions/${versionId}/restore`, { method: 'POST', headers: bearer(tokens.other) })).status).toBe(403);
  });

  it('lets read access list and view, and refuses it naming and restoring (403)', async () => {
    const list = await call('plans/versions', { headers: bearer(tokens.read) });
    expect(list.status).toBe(200);
    expect(((await list.json()) as VersionInfo[]).map((v) => v.id)).toEqual([versionId]);
    expect((await call(`plans/versions/${versionId}?format=text`, { headers: bearer(tokens.read) })).status).toBe(200);
    const naming = await call('plans/versions', { method: 'POST', headers: bearer(tokens.read, json), body: nameBody });
    expect(naming.status).toBe(403);
    const restoring = await call(`plans/versions/${versionId}/restore`, { method: 'POST', headers: bearer(tokens.read) });
    expect(restoring.status).toBe(403);
    expect(await new VersionApi(server.httpUrl, tokens.read).list('plans')).toHaveLength(1);
  });

  it('takes the token from ?token= and, with an allowed Origin, from the cookie', async () => {
    expect((await call(`plans/versions?token=${tokens.read}`)).status).toBe(200);
    const cookie = { cookie: `tandem_token=${tokens.read}` };
    expect((await call('plans/versions', { headers: { ...cookie, origin: APP_ORIGIN } })).status).toBe(200);
    expect((await call('plans/versions', { headers: cookie })).status).toBe(200); // no Origin: not a cross-site browser request
    expect((await call('plans/versions', { headers: { ...cookie, origin: 'https://evil.example' } })).status).toBe(403);
  });

  it('refuses a browser on a site outside --allowed-origins even with a bearer token', async () => {
    const res = await call(`plans/versions/${versionId}/restore`, { method: 'POST', headers: bearer(tokens.write, { origin: 'https://evil.example' }) });
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ error: 'origin not allowed' });
  });
});

describe('the routes', () => {
  it('list versions newest first as [{ id, createdAt, kind, label?, authors, bytes }]', async () => {
    const api = new VersionApi(server.httpUrl, tokens.write);
    const second = await api.name('plans', 'Second');
    const versions = await api.list('plans');
    expect(versions.map((v) => v.id)).toEqual([second, versionId]);
    expect(Object.keys(versions[1]!).sort()).toEqual(['authors', 'bytes', 'createdAt', 'id', 'kind', 'label']);
    expect(versions[1]).toMatchObject({ kind: 'named', label: 'Baseline', authors: [{ id: 'writer', name: 'writer' }] });
    expect(Date.parse(versions[1]!.createdAt)).toBeLessThanOrEqual(Date.parse(versions[0]!.createdAt));
    expect((await call('nothing-here/versions', { headers: bearer(await mintToken({ doc: '*' })) })).status).toBe(200);
  });

  it('show a version as ProseMirror JSON (the default) or plain text', async () => {
    const asJson = await call(`plans/versions/${versionId}?format=json`, { headers: bearer(tokens.read) });
    expect(asJson.headers.get('content-type')).toBe('application/json');
    expect(await asJson.json()).toEqual({
      type: 'doc',
      content: [
        { type: 'paragraph', attrs: { restored: null }, content: [{ type: 'text', text: 'Quarter plan' }] },
        { type: 'paragraph', attrs: { restored: null }, content: [{ type: 'text', text: 'Second line' }] },
      ],
    });
    expect(await (await call(`plans/versions/${versionId}`, { headers: bearer(tokens.read) })).json()).toMatchObject({ type: 'doc' });
    const asText = await call(`plans/versions/${versionId}?format=text`, { headers: bearer(tokens.read) });
    expect(asText.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(await asText.text()).toBe('Quarter plan\nSecond line');
  });

  it('answer 404 for a version that does not exist, also when restoring, and keep no checkpoint then', async () => {
    for (const id of ['0000000000aa-00000000', 'not-an-id', 'x'.repeat(300), 'semi;colon']) {
      expect((await call(`plans/versions/${id}`, { headers: bearer(tokens.read) })).status, id).toBe(404);
      expect((await call(`plans/versions/${id}/restore`, { method: 'POST', headers: bearer(tokens.write) })).status, id).toBe(404);
    }
    expect((await call(`other-doc/versions/${versionId}`, { headers: bearer(tokens.other) })).status).toBe(404);
    expect(await new VersionApi(server.httpUrl, tokens.read).list('plans')).toHaveLength(1);
  });

  it('refuse naming a document that holds nothing (404)', async () => {
    const res = await call('empty-doc/versions', { method: 'POST', headers: bearer(await mintToken({ doc: 'empty-doc' }), json), body: nameBody });
    expect(res.status).toBe(404);
    expect(server.server.rooms.has('empty-doc')).toBe(false);
  });

  it('refuse bad input with a clear error and keep nothing', async () => {
    const post = (body: string, headers: Record<string, string> = json) => call('plans/versions', { method: 'POST', headers: bearer(tokens.write, headers), body });
    const cases: Array<[Response, number, RegExp]> = [
      [await post(nameBody, { 'content-type': 'text/plain' }), 415, /application\/json/],
      [await post('{"label":'), 400, /not valid JSON/],
      [await post('["label"]'), 400, /JSON object/],
      [await post(JSON.stringify({ label: '   ' })), 400, /label/],
      [await post(JSON.stringify({ label: 7 })), 400, /label/],
      [await post(JSON.stringify({ label: 'x'.repeat(MAX_VERSION_LABEL_LENGTH + 1) })), 400, /label/],
      [await post(JSON.stringify({ label: 'x'.repeat(9000) })), 413, /larger than/],
      [await call(`plans/versions/${versionId}?format=html`, { headers: bearer(tokens.read) }), 400, /format/],
      [await call('bad..name!/versions', { headers: bearer(tokens.read) }), 400, /invalid document name/],
    ];
    for (const [res, status, message] of cases) {
      expect(res.status).toBe(status);
      expect(((await res.json()) as { error: string }).error).toMatch(message);
    }
    expect(await new VersionApi(server.httpUrl, tokens.read).list('plans')).toHaveLength(1);
  });

  it('answer 405 with Allow for a method a route does not have', async () => {
    const cases: Array<[string, string, string]> = [
      ['plans/versions', 'DELETE', 'GET, POST'],
      [`plans/versions/${versionId}`, 'POST', 'GET'],
      [`plans/versions/${versionId}/restore`, 'GET', 'POST'],
    ];
    for (const [path, method, allow] of cases) {
      const res = await call(path, { method, headers: bearer(tokens.write) });
      expect(res.status, `${method} ${path}`).toBe(405);
      expect(res.headers.get('allow')).toBe(allow);
    }
  });
});
