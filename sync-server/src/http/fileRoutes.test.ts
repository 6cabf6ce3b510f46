import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { makePng, SVG_WITH_SCRIPT } from '../test-support/images.js';
import { type TestServer, startTestServer } from '../test-support/server.js';
import { TEST_SECRET, mintToken } from '../test-support/tokens.js';

let server: TestServer;
afterEach(async () => {
  await server?.dispose();
});

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const upload = (docName: string, body: Uint8Array | string, headers: Record<string, string> = {}) =>
  fetch(`${server.httpUrl}/api/docs/${docName}/files`, { method: 'POST', body, headers: { 'content-type': 'image/png', ...headers } });
const download = (docName: string, id: string, headers: Record<string, string> = {}) => fetch(`${server.httpUrl}/api/docs/${docName}/files/${id}`, { headers });
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe('uploading and serving images (open mode)', () => {
  it('stores a PNG under its SHA-256 and serves it back as an image that cannot be sniffed or run', async () => {
    server = await startTestServer();
    const png = makePng(4, 3);
    const res = await upload('notes', png, { 'content-type': 'application/octet-stream' });
    expect(res.status).toBe(201);
    const id = sha256(png);
    expect(await res.json()).toEqual({ id, type: 'image/png', size: png.byteLength, width: 4, height: 3 });
    expect(res.headers.get('location')).toBe(`/api/docs/notes/files/${id}`);

    const got = await download('notes', id);
    expect(got.status).toBe(200);
    expect(new Uint8Array(await got.arrayBuffer())).toEqual(png);
    expect(got.headers.get('content-type')).toBe('image/png');
    expect(got.headers.get('x-content-type-options')).toBe('nosniff');
    expect(got.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(got.headers.get('content-security-policy')).toContain('sandbox');
    expect(got.headers.get('cache-control')).toBe('private, max-age=31536000, immutable');
    expect(got.headers.get('etag')).toBe(`"${id}"`);
    expect((await download('notes', id, { 'if-none-match': `"${id}"` })).status).toBe(304);
    const head = await fetch(`${server.httpUrl}/api/docs/notes/files/${id}`, { method: 'HEAD' });
    expect([head.status, head.headers.get('content-length')]).toEqual([200, String(png.byteLength)]);
  });

  it('judges the type by the bytes: an SVG or text sent as image/png named .png is 415, and nothing is stored', async () => {
    server = await startTestServer();
    for (const body of [SVG_WITH_SCRIPT, new TextEncoder().encode('just text, honest'), makePng(2, 2).subarray(0, 20)]) {
      const res = await upload('notes', body, { 'content-type': 'image/png', 'content-disposition': 'attachment; filename="cat.png"' });
      expect(res.status).toBe(415);
      expect(((await res.json()) as { error: string }).error).toMatch(/PNG, JPEG, GIF and WebP/);
      expect(await server.server.store.listRecords('notes', 'file')).toEqual([]);
    }
  });

  it('refuses a file over --max-file-bytes with 413, by its Content-Length and when sent chunked', async () => {
    server = await startTestServer({ maxFileBytes: 4096 });
    const big = makePng(8, 8, 10, 5000);
    const declared = await upload('notes', big);
    expect(declared.status).toBe(413);
    expect(((await declared.json()) as { error: string }).error).toContain('4096');
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < big.byteLength; i += 1000) controller.enqueue(big.subarray(i, i + 1000));
        controller.close();
      },
    });
    const chunked = await fetch(`${server.httpUrl}/api/docs/notes/files`, { method: 'POST', body: stream, duplex: 'half' } as RequestInit);
    expect(chunked.status).toBe(413);
    expect(await server.server.store.listRecords('notes', 'file')).toEqual([]);
    expect((await upload('notes', makePng(8, 8))).status).toBe(201); // under the limit
  });

  it('an upload may take longer than the handshake timeout to send its body (--upload-timeout)', async () => {
    server = await startTestServer({ handshakeTimeoutMs: 300, uploadTimeoutMs: 10_000 });
    const png = makePng(16, 16, 90, 2000);
    const slow = new ReadableStream<Uint8Array>({
      async start(controller) {
        for (let i = 0; i < png.byteLength; i += 500) {
          controller.enqueue(png.subarray(i, i + 500));
          await new Promise((resolve) => setTimeout(resolve, 200)); // about a second and a half in all
        }
        controller.close();
      },
    });
    const res = await fetch(`${server.httpUrl}/api/docs/notes/files`, { method: 'POST', body: slow, duplex: 'half' } as RequestInit);
    expect(res.status).toBe(201);
  });

  it('a file belongs to its document: the same id under another document is 404', async () => {
    server = await startTestServer();
    const png = makePng(2, 2);
    expect((await upload('first', png)).status).toBe(201);
    expect((await download('first', sha256(png))).status).toBe(200);
    expect((await download('second', sha256(png))).status).toBe(404);
    expect((await download('first', 'not-a-hash')).status).toBe(404);
    expect((await download('first', '../../etc/passwd')).status).toBe(404);
  });

  it('refuses wrong methods and invalid document names', async () => {
    server = await startTestServer();
    const put = await fetch(`${server.httpUrl}/api/docs/notes/files`, { method: 'PUT', body: makePng(1, 1) });
    expect([put.status, put.headers.get('allow')]).toEqual([405, 'POST, OPTIONS']);
    expect((await fetch(`${server.httpUrl}/api/docs/notes/files/${'a'.repeat(64)}`, { method: 'DELETE' })).status).toBe(405);
    expect((await upload('bad%20name', makePng(1, 1))).status).toBe(400);
  });

  it('answers CORS preflights and requests from any origin when no origins are configured', async () => {
    server = await startTestServer();
    const preflight = await fetch(`${server.httpUrl}/api/docs/notes/files`, {
      method: 'OPTIONS',
      headers: { origin: 'https://app.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
    expect(preflight.headers.get('access-control-allow-headers')).toContain('Authorization');
    expect(preflight.headers.get('access-control-allow-methods')).toBe('POST');
    expect(preflight.headers.get('access-control-allow-credentials')).toBeNull();
    const res = await upload('notes', makePng(1, 1), { origin: 'https://app.example' });
    expect([res.status, res.headers.get('access-control-allow-origin')]).toEqual([201, '*']);
  });
});

describe('uploading and serving images with auth', () => {
  const png = makePng(5, 5, 40);
  const id = sha256(png);

  it('needs a write token for the document to upload: none 401, a read token 403, another document 403', async () => {
    server = await startTestServer({ authSecret: TEST_SECRET });
    expect((await upload('team-plan', png)).status).toBe(401);
    expect((await upload('team-plan', png, bearer('not.a.token'))).status).toBe(401);
    expect((await upload('team-plan', png, bearer(await mintToken({ doc: 'team-plan', access: 'read' })))).status).toBe(403);
    expect((await upload('team-plan', png, bearer(await mintToken({ doc: 'other-doc', access: 'write' })))).status).toBe(403);
    expect(await server.server.store.listRecords('team-plan', 'file')).toEqual([]);
    expect((await upload('team-plan', png, bearer(await mintToken({ doc: 'team-*', access: 'write' })))).status).toBe(201);
  });

  it('serves an image with the document\'s read access, by bearer header or ?token=, and to nobody else', async () => {
    server = await startTestServer({ authSecret: TEST_SECRET });
    expect((await upload('private-doc', png, bearer(await mintToken({ doc: 'private-doc' })))).status).toBe(201);
    const reader = await mintToken({ doc: 'private-doc', access: 'read' });
    expect((await download('private-doc', id, bearer(reader))).status).toBe(200);
    expect((await fetch(`${server.httpUrl}/api/docs/private-doc/files/${id}?token=${reader}`)).status).toBe(200);
    expect((await download('private-doc', id)).status).toBe(401);
    expect((await download('private-doc', id, bearer(await mintToken({ doc: 'private-doc', exp: Math.floor(Date.now() / 1000) - 10 })))).status).toBe(401);
    // A token for another document learns nothing, not even whether the file exists.
    const outsider = await mintToken({ doc: 'public-doc' });
    expect((await download('private-doc', id, bearer(outsider))).status).toBe(403);
    expect((await download('private-doc', 'f'.repeat(64), bearer(outsider))).status).toBe(403);
  });

  it('takes the cookie only from an allowed origin, and refuses other origins outright', async () => {
    server = await startTestServer({ authSecret: TEST_SECRET, allowedOrigins: ['https://tandem.example'] });
    const writer = await mintToken({ doc: 'cookie-doc' });
    const cookie = { cookie: `tandem_token=${writer}` };
    expect((await upload('cookie-doc', png, { ...cookie, origin: 'https://evil.example' })).status).toBe(403);
    expect(await server.server.store.listRecords('cookie-doc', 'file')).toEqual([]);
    const res = await upload('cookie-doc', png, { ...cookie, origin: 'https://tandem.example' });
    expect(res.status).toBe(201);
    expect(res.headers.get('access-control-allow-origin')).toBe('https://tandem.example');
    expect(res.headers.get('vary')).toBe('Origin');
    // An <img> sends no Origin header: the cookie works for it.
    expect((await download('cookie-doc', id, cookie)).status).toBe(200);
    const preflight = await fetch(`${server.httpUrl}/api/docs/cookie-doc/files`, { method: 'OPTIONS', headers: { origin: 'https://evil.example' } });
    expect(preflight.status).toBe(403);
  });
});
