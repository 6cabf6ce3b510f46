/**
 * Tokens the security probe found accepted too freely (issue 11): lifetimes of centuries, `iat`
 * in the future, `sub` of any type, jose's error text in 401 bodies, the cookie from any site,
 * and one prefix token creating documents without end.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { type ProviderClient, connectProvider, upgradeStatus, waitForSynced } from './test-support/clients.js';
import { rawHttpExchange, upgradeRequest } from './test-support/rawWebSocket.js';
import { type TestServer, rejectedCount, startTestServer, waitFor } from './test-support/server.js';
import { TEST_SECRET, mintToken, signPayload } from './test-support/tokens.js';

let server: TestServer;
const clients: ProviderClient[] = [];

async function start(overrides: Parameters<typeof startTestServer>[0] = {}): Promise<TestServer> {
  server = await startTestServer({ authSecret: TEST_SECRET, ...overrides });
  return server;
}
const nowSeconds = (): number => Math.floor(Date.now() / 1000);
const withToken = (token: string): string => `/notes?token=${encodeURIComponent(token)}`;
const rejected = (reason: string): Promise<number> => rejectedCount(server, reason);
/** A token with every claim right but those given. */
const claims = (overrides: Record<string, unknown>): Promise<string> =>
  signPayload({ sub: 'alice', doc: '*', access: 'write', exp: nowSeconds() + 3600, ...overrides });

afterEach(async () => {
  for (const client of clients.splice(0)) client.destroy();
  await server?.dispose();
});

describe('token claims', () => {
  it('refuses a token that lives longer than --max-token-lifetime from now, and takes one within it', async () => {
    await start({ maxTokenLifetimeSeconds: 3600 });
    expect(await upgradeStatus(server.url, withToken(await claims({ exp: 1e20 })))).toBe(401);
    expect(await upgradeStatus(server.url, withToken(await claims({ exp: nowSeconds() + 3700 })))).toBe(401);
    expect(await upgradeStatus(server.url, withToken(await claims({ exp: nowSeconds() + 3500 })))).toBe(101);
    expect(server.logs.filter((l) => /expires more than the allowed 3600 s/.test(String(l.msg)))).toHaveLength(2);
  });

  it('the lifetime cap defaults to 24 hours', async () => {
    await start();
    expect(await upgradeStatus(server.url, withToken(await claims({ exp: nowSeconds() + 25 * 3600 })))).toBe(401);
    expect(await upgradeStatus(server.url, withToken(await claims({ exp: nowSeconds() + 23 * 3600 })))).toBe(101);
  });

  it('refuses a token issued in the future, beyond a minute of clock skew', async () => {
    await start();
    expect(await upgradeStatus(server.url, withToken(await claims({ iat: nowSeconds() + 3600 })))).toBe(401);
    expect(await upgradeStatus(server.url, withToken(await claims({ iat: nowSeconds() + 30 })))).toBe(101);
    expect(await upgradeStatus(server.url, withToken(await claims({ iat: nowSeconds() - 30 })))).toBe(101);
  });

  it('requires sub to be a non-empty string', async () => {
    await start();
    for (const sub of [42, { id: 'alice' }, '', null, ['alice'], true]) {
      expect(await upgradeStatus(server.url, withToken(await claims({ sub }))), JSON.stringify(sub)).toBe(401);
    }
    expect(await upgradeStatus(server.url, withToken(await claims({ sub: 'alice' })))).toBe(101);
  });
});

describe('refusal bodies', () => {
  it('say the same generic thing for every bad token, and the detail goes to the log', async () => {
    await start();
    const forged = await mintToken({}, 'another-secret-of-sufficient-length');
    const noAccess = await claims({ access: 'admin' });
    const bodies: string[] = [];
    for (const path of [withToken(forged), withToken(noAccess), withToken('a.b.c'), '/notes']) {
      const answer = await rawHttpExchange(server.port, upgradeRequest(path));
      expect(answer).toMatch(/^HTTP\/1\.1 401/);
      bodies.push(answer.slice(answer.indexOf('\r\n\r\n') + 4));
    }
    expect(new Set(bodies)).toEqual(new Set(['{"error":"missing, invalid or expired token"}']));
    // jose's own words ("signature verification failed") reach the log, not the client.
    expect(server.logs.some((l) => /signature verification failed/.test(String(l.msg)))).toBe(true);
    const api = await fetch(`${server.httpUrl}/api/docs`, { headers: { authorization: `Bearer ${forged}` } });
    expect(api.status).toBe(401);
    expect(await api.json()).toEqual({ error: 'missing, invalid or expired token' });
    const wrongDoc = await rawHttpExchange(server.port, upgradeRequest(withToken(await mintToken({ doc: 'other' }))));
    expect(wrongDoc).toMatch(/^HTTP\/1\.1 403[^]*\{"error":"token does not cover this document"\}$/);
  });
});

describe('the tandem_token cookie', () => {
  it('is not accepted at all while --allowed-origins is unset (any site could ride on it)', async () => {
    await start();
    const token = await mintToken({ doc: 'notes' });
    expect(await upgradeStatus(server.url, '/notes', { cookie: `tandem_token=${token}`, origin: 'https://evil.example' })).toBe(401);
    expect(await upgradeStatus(server.url, '/notes', { cookie: `tandem_token=${token}` })).toBe(401);
    expect(server.logs.some((l) => l.msg === 'ignored the tandem_token cookie: cookie tokens are accepted only with --allowed-origins')).toBe(true);
    expect((await fetch(`${server.httpUrl}/api/docs`, { headers: { cookie: `tandem_token=${token}` } })).status).toBe(401);
    // The other two ways still work.
    expect(await upgradeStatus(server.url, `/notes?token=${token}`)).toBe(101);
    expect(await upgradeStatus(server.url, '/notes', { authorization: `Bearer ${token}` })).toBe(101);
  });

  it('is accepted from an allowed origin once --allowed-origins is set, and refused from any other', async () => {
    await start({ allowedOrigins: ['https://tandem.example'] });
    const token = await mintToken({ doc: 'notes' });
    expect(await upgradeStatus(server.url, '/notes', { cookie: `theme=dark; tandem_token=${token}`, origin: 'https://tandem.example' })).toBe(101);
    expect(await upgradeStatus(server.url, '/notes', { cookie: `tandem_token=${token}`, origin: 'https://evil.example' })).toBe(403);
    expect(await upgradeStatus(server.url, '/notes', { cookie: 'tandem_token=%E0%A4%A', origin: 'https://tandem.example' })).toBe(401);
    expect(server.logs.some((l) => l.msg === 'upgrade failed')).toBe(false);
    const team = await mintToken({ doc: 'notes', access: 'read' });
    expect((await fetch(`${server.httpUrl}/api/docs`, { headers: { cookie: `tandem_token=${team}` } })).status).toBe(200);
    expect((await fetch(`${server.httpUrl}/api/docs`, { headers: { cookie: `tandem_token=${team}`, origin: 'https://evil.example' } })).status).toBe(401);
  });
});

describe('documents created per token', () => {
  it('refuses a prefix token with 429 once it has created --max-docs-created-per-token documents', async () => {
    await start({ maxDocsCreatedPerToken: 3 });
    const prefix = await mintToken({ sub: 'mallory', doc: 'team-*' });
    for (const name of ['team-1', 'team-2', 'team-3']) expect(await upgradeStatus(server.url, `/${name}?token=${prefix}`), name).toBe(101);
    expect(await upgradeStatus(server.url, `/team-4?token=${prefix}`)).toBe(429);
    expect(await rejected('document-creation-limit')).toBe(1);
    expect(server.logs.some((l) => l.msg === 'refused upgrade: this token has created as many documents as it may this hour')).toBe(true);
    // Reopening one it created is not creating another.
    expect(await upgradeStatus(server.url, `/team-2?token=${prefix}`)).toBe(101);
    // Nor is opening a document that exists, or opening with a read token.
    const author = connectProvider(server.url, 'team-existing', { params: { token: await mintToken({ sub: 'ada', doc: 'team-existing' }) } });
    clients.push(author);
    await waitForSynced(author);
    author.text.insert(0, 'here already');
    await waitFor(async () => (await server.server.store.load('team-existing')).updates.length > 0, { what: 'team-existing stored' });
    expect(await upgradeStatus(server.url, `/team-existing?token=${prefix}`)).toBe(101);
    expect(await upgradeStatus(server.url, `/team-5?token=${await mintToken({ sub: 'mallory', doc: 'team-*', access: 'read' })}`)).toBe(101);
    // Another token has its own allowance; the refused room was not left loaded.
    expect(await upgradeStatus(server.url, `/team-4?token=${await mintToken({ sub: 'bob', doc: 'team-*' })}`)).toBe(101);
    await waitFor(() => server.server.rooms.all().every((room) => room.name === 'team-existing'), { what: 'idle rooms unloaded' });
  });
});
