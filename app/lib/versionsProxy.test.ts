import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { forwardVersionsRequest } from './versionsProxy';

/**
 * The app's pass-through to the sync server's version API. What the sync server does with the
 * requests is tested there and end to end (e2e/tests/history*.spec.ts); here: what goes through,
 * and the answers when it cannot.
 */
let upstream: Server | undefined;
const received: Array<{ method: string; url: string; headers: IncomingMessage['headers']; body: string }> = [];

afterEach(async () => {
  received.length = 0;
  delete process.env.TANDEM_SYNC_INTERNAL_URL;
  await new Promise((resolve) => (upstream ? upstream.close(resolve) : resolve(undefined)));
  upstream = undefined;
});

/** An HTTP server standing in for the sync server's port: records requests, answers with `reply` (never, when undefined). */
async function startUpstream(reply?: { status: number; type: string; body: string }): Promise<void> {
  upstream = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      received.push({ method: req.method!, url: req.url!, headers: req.headers, body });
      if (reply) res.writeHead(reply.status, { 'content-type': reply.type }).end(reply.body);
    });
  });
  await new Promise<void>((resolve) => upstream!.listen(0, '127.0.0.1', resolve));
  process.env.TANDEM_SYNC_INTERNAL_URL = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
}

const request = (path: string, init: RequestInit = {}) => new Request(`http://app.test/api/docs/${path}`, init);

describe('the version API through the app', () => {
  it('passes the method, the bearer token, the format and a JSON body, and hands back the answer', async () => {
    await startUpstream({ status: 201, type: 'application/json', body: '{"id":"abc"}' });
    const response = await forwardVersionsRequest(
      request('plans/versions?format=text&token=leak', {
        method: 'POST',
        headers: { authorization: 'Bearer t0k', 'content-type': 'application/json', cookie: 'tandem_user=me' },
        body: '{"label":"Sent"}',
      }),
      'plans',
      [],
    );
    expect(response.status).toBe(201);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(await response.json()).toEqual({ id: 'abc' });
    const [sent] = received;
    expect(sent).toMatchObject({ method: 'POST', url: '/api/docs/plans/versions?format=text', body: '{"label":"Sent"}' });
    expect(sent!.headers.authorization).toBe('Bearer t0k');
    expect(sent!.headers.cookie).toBeUndefined();
  });

  it('reaches a version and its restore route', async () => {
    await startUpstream({ status: 200, type: 'text/plain; charset=utf-8', body: 'text' });
    await forwardVersionsRequest(request('plans/versions/v-1?format=text'), 'plans', ['v-1']);
    await forwardVersionsRequest(request('plans/versions/v-1/restore', { method: 'POST' }), 'plans', ['v-1', 'restore']);
    expect(received.map((r) => `${r.method} ${r.url}`)).toEqual(['GET /api/docs/plans/versions/v-1?format=text', 'POST /api/docs/plans/versions/v-1/restore']);
  });

  it('refuses what is not a version route before asking anyone', async () => {
    await startUpstream({ status: 200, type: 'application/json', body: '[]' });
    expect((await forwardVersionsRequest(request('bad name/versions'), 'bad name', [])).status).toBe(400);
    for (const path of [['a', 'b'], ['a', 'restore', 'x'], ['..'], ['a/b'], ['x'.repeat(129)]]) {
      expect((await forwardVersionsRequest(request('plans/versions/x'), 'plans', path)).status, path.join('/')).toBe(404);
    }
    expect(received).toEqual([]);
  });

  it('refuses a body over 8 KiB with 413', async () => {
    await startUpstream({ status: 201, type: 'application/json', body: '{}' });
    const big = request('plans/versions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ label: 'x'.repeat(9000) }) });
    expect((await forwardVersionsRequest(big, 'plans', [])).status).toBe(413);
    expect(received).toEqual([]);
  });

  it('answers 502 when the sync server is not reachable and 504 when it does not answer in time', async () => {
    await startUpstream();
    const silent = await forwardVersionsRequest(request('plans/versions'), 'plans', [], 300);
    expect(silent.status).toBe(504);
    expect(await silent.json()).toEqual({ error: 'The sync server did not answer in time.' });
    const port = (upstream!.address() as AddressInfo).port;
    upstream!.closeAllConnections();
    await new Promise((resolve) => upstream!.close(resolve));
    upstream = undefined;
    process.env.TANDEM_SYNC_INTERNAL_URL = `http://127.0.0.1:${port}`;
    const down = await forwardVersionsRequest(request('plans/versions'), 'plans', []);
    expect(down.status).toBe(502);
    expect(await down.json()).toEqual({ error: 'The sync server is not reachable.' });
  });
});
