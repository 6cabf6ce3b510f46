import { expect, test } from '@playwright/test';
import { linkKey } from '@tandem/app/lib/linkKeys.mjs';
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { readState } from '../support/processes.js';
import { newSecret, startOwnApp, type OwnApp } from '../support/ownApp.js';

/**
 * The app as an HTTP server, over real sockets: security headers on every route, the token
 * endpoint's body cap and rate limit, timeouts for clients that never finish a request, and the
 * address it listens on. Apps with special settings are started here, as `npm start` runs them.
 */

const editKey = (secret: string, doc: string) => linkKey(secret, 'write', doc);

/** POST /api/token with JSON, from 127.0.0.1, with extra headers. */
async function askToken(app: { url: string }, body: object, headers: Record<string, string> = {}) {
  return fetch(`${app.url}/api/token`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
}

test.describe('security headers', () => {
  /** Directive → sources. */
  const parsePolicy = (policy: string | null) =>
    Object.fromEntries((policy ?? '').split(';').map((d) => d.trim().split(/\s+/)).filter((d) => d[0]).map(([name, ...sources]) => [name!, sources]));

  test('every page has a nonce CSP its scripts carry, nosniff and a referrer policy; only /embed may be framed elsewhere', async () => {
    const { appUrl, syncUrl } = readState();
    const pages = ['/', '/d/x', '/v/x', '/embed/x', '/refused', '/no-such-page'];
    const nonces = new Set<string>();
    for (const path of pages) {
      const response = await fetch(`${appUrl}${path}`);
      const html = await response.text();
      expect(response.headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(response.headers.get('referrer-policy'), path).toBe('strict-origin-when-cross-origin');
      const policy = parsePolicy(response.headers.get('content-security-policy'));
      const nonce = /^'nonce-([A-Za-z0-9+/=]+)'$/.exec(policy['script-src']?.find((s: string) => s.startsWith("'nonce-")) ?? '')?.[1];
      expect(nonce, `${path} script-src`).toBeTruthy();
      nonces.add(nonce!);
      expect(policy['script-src'], path).not.toContain("'unsafe-inline'");
      // The sync server's WebSocket and its HTTP API on the same port (images, exports).
      expect(policy['connect-src'], path).toEqual(["'self'", new URL(syncUrl).origin, new URL(syncUrl.replace(/^ws/, 'http')).origin]);
      // Every script Next rendered carries this response's nonce, so it runs; an injected one would not.
      const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
      expect(scripts.length, path).toBeGreaterThan(0);
      for (const script of scripts) expect(script, path).toContain(`nonce="${nonce}"`);
      if (path.startsWith('/embed/')) {
        expect(policy['frame-ancestors'], path).toEqual(['*']);
        expect(response.headers.get('x-frame-options'), path).toBeNull();
      } else {
        expect(policy['frame-ancestors'], path).toEqual(["'self'"]);
        expect(response.headers.get('x-frame-options'), path).toBe('SAMEORIGIN');
      }
    }
    expect(nonces.size, 'a fresh nonce per response').toBe(pages.length);
  });

  test('the /new redirect and the API carry them too', async () => {
    const { appUrl } = readState();
    const redirect = await fetch(`${appUrl}/new`, { redirect: 'manual' });
    expect(redirect.status).toBe(307);
    expect(redirect.headers.get('location')).toMatch(/^\/d\/[a-z0-9]{10}$/);
    expect(parsePolicy(redirect.headers.get('content-security-policy'))['frame-ancestors']).toEqual(["'self'"]);
    expect(redirect.headers.get('x-content-type-options')).toBe('nosniff');
    const api = await askToken({ url: appUrl }, { doc: 'x', key: 'k', access: 'read' });
    expect(api.status).toBe(404); // open mode: no tokens
    expect(api.headers.get('content-security-policy')).toBe("default-src 'none'; frame-ancestors 'none'");
    expect(api.headers.get('x-content-type-options')).toBe('nosniff');
    expect(api.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
  });
});

test.describe('the token endpoint body', () => {
  let app: OwnApp;
  const secret = newSecret();
  test.beforeAll(async () => {
    app = await startOwnApp({ TANDEM_AUTH_SECRET: secret });
  });
  test.afterAll(async () => app?.stop());

  /**
   * POST a body of up to `maxBytes` in 64 KiB pieces, declared by Content-Length or chunked, and
   * stop sending when the answer arrives. Resolves with the status and how much was sent by then.
   */
  function upload(maxBytes: number, declared: boolean): Promise<{ status: number; body: string; sentBytes: number }> {
    return new Promise((resolve, reject) => {
      const url = new URL('/api/token', app.url);
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (declared) headers['content-length'] = String(maxBytes);
      let sentBytes = 0;
      let answered = false;
      const req = httpRequest(url, { method: 'POST', headers }, (res) => {
        answered = true;
        let body = '';
        res.on('data', (chunk) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode!, body, sentBytes }));
      });
      req.on('error', (error) => (answered ? undefined : reject(error)));
      // "{" then spaces: never valid JSON, so only the size can decide the answer.
      const spaces = Buffer.alloc(64 * 1024, 0x20);
      const first = Buffer.concat([Buffer.from('{'), spaces.subarray(1)]);
      const send = () => {
        while (!answered && sentBytes < maxBytes) {
          const piece = sentBytes === 0 ? first : spaces;
          sentBytes += piece.length;
          if (!req.write(piece)) return void req.once('drain', send);
        }
        if (!answered) req.end();
      };
      send();
    });
  }

  test('a declared 200 MiB body is refused with 413 before it is sent', async () => {
    const result = await upload(200 * 1024 * 1024, true);
    expect(result.status).toBe(413);
    expect(JSON.parse(result.body)).toEqual({ error: 'The body is larger than 8192 bytes.' });
    expect(result.sentBytes).toBeLessThan(200 * 1024 * 1024);
  });

  test('a chunked body past 8 KiB is refused with 413 while it is still arriving', async () => {
    const result = await upload(64 * 1024 * 1024, false);
    expect(result.status).toBe(413);
    expect(result.sentBytes).toBeLessThan(64 * 1024 * 1024);
  });

  test('an ordinary request, even one near the cap, still gets its token', async () => {
    const doc = 'body-cap';
    const ok = await askToken(app, { doc, key: editKey(secret, doc), access: 'write', previous: 'x'.repeat(7000) });
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { access: string }).access).toBe('write');
    const over = await askToken(app, { doc, key: editKey(secret, doc), access: 'write', previous: 'x'.repeat(9000) });
    expect(over.status).toBe(413);
  });
});

test.describe('the token endpoint rate limit', () => {
  let app: OwnApp;
  let proxied: OwnApp;
  const secret = newSecret();
  test.beforeAll(async () => {
    // Five at once, then one every ten seconds: the tests below never wait for a refill.
    const limits = { TANDEM_AUTH_SECRET: secret, TANDEM_TOKEN_RATE_BURST: '5', TANDEM_TOKEN_RATE_PER_MINUTE: '6' };
    [app, proxied] = await Promise.all([startOwnApp(limits), startOwnApp({ ...limits, TANDEM_TRUST_PROXY: '1' })]);
  });
  test.afterAll(async () => Promise.all([app?.stop(), proxied?.stop()]));

  test('past the burst an address gets 429 with Retry-After; refused keys are logged without the key, a flood once', async () => {
    const doc = 'rate';
    const wrongKey = 'WrongKeyWrongKeyWrong0';
    const statuses: number[] = [];
    const retryAfter: Array<string | null> = [];
    for (let i = 0; i < 12; i++) {
      const response = await askToken(app, { doc, key: i % 2 ? wrongKey : editKey(secret, doc), access: 'write' });
      statuses.push(response.status);
      retryAfter.push(response.headers.get('retry-after'));
    }
    expect(statuses).toEqual([200, 403, 200, 403, 200, 429, 429, 429, 429, 429, 429, 429]);
    for (const value of retryAfter.slice(5)) expect(Number(value)).toBeGreaterThanOrEqual(1);
    // A client cannot buy a fresh allowance with headers: X-Forwarded-For is not trusted here, and
    // the address header server.mjs sets replaces the client's own.
    const spoofed = await askToken(app, { doc, key: editKey(secret, doc), access: 'write' }, { 'x-forwarded-for': '198.51.100.7', 'x-tandem-remote-address': '198.51.100.8' });
    expect(spoofed.status).toBe(429);

    await app.waitForOutput(/too many token requests/);
    const lines = app.output().split('\n');
    const refusedKeys = lines.filter((line) => line.includes('refused a token'));
    expect(refusedKeys).toHaveLength(2);
    for (const line of refusedKeys) {
      expect(line).toContain(`doc="${doc}"`);
      expect(line).toContain('from="127.0.0.1"');
    }
    expect(lines.filter((line) => line.includes('too many token requests'))).toHaveLength(1);
    expect(app.output()).not.toContain(wrongKey);
    expect(app.output()).not.toContain(editKey(secret, doc));
  });

  test('behind a trusted proxy (TANDEM_TRUST_PROXY) each client is counted by the address the proxy appended', async () => {
    const doc = 'proxied';
    const asClient = (forwardedFor: string) => askToken(proxied, { doc, key: 'nope', access: 'read' }, { 'x-forwarded-for': forwardedFor });
    for (let i = 0; i < 5; i++) expect((await asClient('203.0.113.1, 10.1.1.1')).status).toBe(403);
    // The client's own claim (the first entry) changes nothing; the proxy's entry does.
    expect((await asClient('203.0.113.99, 10.1.1.1')).status).toBe(429);
    expect((await asClient('203.0.113.1, 10.1.1.2')).status).toBe(403);
    await proxied.waitForOutput(/too many token requests.*from="10\.1\.1\.1"/);
    expect(proxied.output()).toContain('from="10.1.1.2"');
  });
});

test.describe('timeouts for clients that never finish a request', () => {
  let app: OwnApp;
  test.beforeAll(async () => {
    app = await startOwnApp({ TANDEM_APP_HEADERS_TIMEOUT: '1000', TANDEM_APP_REQUEST_TIMEOUT: '2000' });
  });
  test.afterAll(async () => app?.stop());

  /** Open a raw socket, send `data`, and resolve with what came back once the server closes it. */
  function sendAndWaitForClose(data: string): Promise<string> {
    return new Promise((resolve, reject) => {
      const socket = connect(app.port, '127.0.0.1', () => socket.write(data));
      let received = '';
      socket.on('data', (chunk) => (received += chunk.toString()));
      socket.on('error', reject);
      socket.on('close', () => resolve(received));
    });
  }

  test('a socket that never finishes its headers is answered 408 and closed (slowloris)', async () => {
    // Node's own defaults hold such a socket for 60-90 s; the test's 30 s would run out first.
    const received = await sendAndWaitForClose('GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ');
    expect(received).toMatch(/^HTTP\/1\.1 408 /);
  });

  test('a request whose body never arrives is answered 408 and closed', async () => {
    // (The route may answer before reading the body; the socket still waits for the rest, then times out.)
    const received = await sendAndWaitForClose('POST /api/token HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"do');
    expect(received).toMatch(/HTTP\/1\.1 408 Request Timeout\r\nConnection: close\r\n\r\n$/);
  });

  test('a whole request is still served', async () => {
    expect((await fetch(`${app.url}/d/timeouts`)).status).toBe(200);
  });
});

test.describe('the address the app listens on', () => {
  /** An IPv4 address of this machine that is not loopback. */
  const lanAddress = Object.values(networkInterfaces())
    .flat()
    .find((entry) => entry && entry.family === 'IPv4' && !entry.internal)?.address;
  const reachable = async (host: string, port: number) => {
    try {
      return (await fetch(`http://${host}:${port}/refused`, { signal: AbortSignal.timeout(5000) })).status === 403;
    } catch {
      return false;
    }
  };

  test.beforeEach(() => test.skip(!lanAddress, 'this machine has no non-loopback IPv4 address to try'));

  test('open mode: loopback only, and it says so', async () => {
    const app = await startOwnApp({ TANDEM_APP_HOST: undefined, TANDEM_AUTH_SECRET: undefined });
    try {
      expect(await reachable(lanAddress!, app.port)).toBe(false);
      expect(await reachable('127.0.0.1', app.port)).toBe(true);
      expect(app.output()).toContain(`Tandem app listening on http://127.0.0.1:${app.port} (loopback only: open mode`);
    } finally {
      await app.stop();
    }
  });

  test('open mode with TANDEM_APP_HOST=0.0.0.0: every interface, as asked', async () => {
    const app = await startOwnApp({ TANDEM_APP_HOST: '0.0.0.0', TANDEM_AUTH_SECRET: undefined });
    try {
      expect(app.output()).toContain(`Tandem app listening on http://0.0.0.0:${app.port} (as TANDEM_APP_HOST says)`);
      expect(await reachable(lanAddress!, app.port)).toBe(true);
    } finally {
      await app.stop();
    }
  });

  test('auth mode: every interface by default, as before', async () => {
    const app = await startOwnApp({ TANDEM_APP_HOST: undefined, TANDEM_AUTH_SECRET: newSecret() });
    try {
      expect(app.output()).toMatch(/Tandem app listening on http:\/\/\S+ \(every interface: TANDEM_AUTH_SECRET is set/);
      expect(await reachable(lanAddress!, app.port)).toBe(true);
      expect(await reachable('127.0.0.1', app.port)).toBe(true);
    } finally {
      await app.stop();
    }
  });
});
