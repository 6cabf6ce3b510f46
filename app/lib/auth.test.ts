import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { decodeJwt, jwtVerify, SignJWT } from 'jose';
import { describe, expect, it, vi } from 'vitest';
import {
  accessForKey,
  checkLinkKey,
  DEFAULT_TOKEN_TTL_SECONDS,
  editPath,
  isOperatorCookie,
  linkKey,
  mintToken,
  newSubject,
  readAuthConfig,
  subjectFor,
  subjectOfPreviousToken,
  subjectOfUserCookie,
  userCookieValue,
  viewPath,
  type AuthConfig,
} from './auth';
import { createTokenFetcher, LinkRefusedError } from './tokenClient';

const SECRET = 'a-test-secret-of-enough-length-0123456789';
const config = readAuthConfig({ TANDEM_AUTH_SECRET: SECRET })!;
const other = readAuthConfig({ TANDEM_AUTH_SECRET: 'another-secret-of-enough-length-xyz' })!;
/** A document whose links were never reset. */
const FIRST = { read: 0, write: 0 };

describe('readAuthConfig', () => {
  it('is open mode without a secret, and refuses short secrets and bad lifetimes loudly', () => {
    expect(readAuthConfig({})).toBeUndefined();
    expect(readAuthConfig({ TANDEM_AUTH_SECRET: '' })).toBeUndefined();
    expect(() => readAuthConfig({ TANDEM_AUTH_SECRET: 'short' })).toThrow(/at least 16/);
    expect(config.ttlSeconds).toBe(DEFAULT_TOKEN_TTL_SECONDS);
    expect(readAuthConfig({ TANDEM_AUTH_SECRET: SECRET, TANDEM_TOKEN_TTL_SECONDS: '4' })!.ttlSeconds).toBe(4);
    for (const bad of ['0', '1', '-5', '2.5', 'soon', '100000']) {
      expect(() => readAuthConfig({ TANDEM_AUTH_SECRET: SECRET, TANDEM_TOKEN_TTL_SECONDS: bad })).toThrow(/TANDEM_TOKEN_TTL_SECONDS/);
    }
  });
});

describe('link keys', () => {
  it('are 22 base64url characters, the same every time, and differ by purpose, document and secret', () => {
    const write = linkKey(config.secret, 'write', 'plans');
    expect(write).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(linkKey(config.secret, 'write', 'plans')).toBe(write);
    const keys = new Set([
      write,
      linkKey(config.secret, 'read', 'plans'),
      linkKey(config.secret, 'write', 'plans2'),
      linkKey(config.secret, 'write', 'plan'),
      linkKey(config.secret, 'operator'),
      linkKey(other.secret, 'write', 'plans'),
    ]);
    expect(keys.size).toBe(6);
    expect(write).not.toContain(SECRET);
  });

  it('open exactly what they were made for', () => {
    const write = linkKey(config.secret, 'write', 'plans');
    const read = linkKey(config.secret, 'read', 'plans');
    expect(accessForKey(config.secret, 'plans', write, FIRST)).toBe('write');
    expect(accessForKey(config.secret, 'plans', read, FIRST)).toBe('read');
    expect(accessForKey(config.secret, 'other', write, FIRST)).toBeUndefined();
    expect(accessForKey(other.secret, 'plans', write, FIRST)).toBeUndefined();
    for (const bad of [undefined, null, '', 'x', `${read}x`, read.slice(0, -1), read.toUpperCase(), 'a'.repeat(500)]) {
      expect(accessForKey(config.secret, 'plans', bad, FIRST)).toBeUndefined();
    }
    expect(checkLinkKey(config.secret, 'write', 'plans', read)).toBe(false);
    expect(isOperatorCookie(config, linkKey(config.secret, 'operator'))).toBe(true);
    expect(isOperatorCookie(config, write)).toBe(false);
    expect(isOperatorCookie(config, undefined)).toBe(false);
  });

  it('build the share paths (plain paths in open mode)', () => {
    expect(editPath('plans', undefined, FIRST)).toBe('/d/plans');
    expect(viewPath('plans', undefined, FIRST)).toBe('/v/plans');
    expect(editPath('plans', config, FIRST)).toBe(`/d/plans?key=${linkKey(config.secret, 'write', 'plans')}`);
    expect(viewPath('plans', config, FIRST)).toBe(`/v/plans?key=${linkKey(config.secret, 'read', 'plans')}`);
  });

  it('change with the document’s link generation: a reset link’s old key opens nothing, the other link keeps its key', () => {
    const oldView = linkKey(config.secret, 'read', 'plans', 0);
    const rotated = { read: 1, write: 0 };
    const newView = linkKey(config.secret, 'read', 'plans', 1);
    expect(newView).not.toBe(oldView);
    expect(accessForKey(config.secret, 'plans', oldView, rotated)).toBeUndefined();
    expect(accessForKey(config.secret, 'plans', newView, rotated)).toBe('read');
    expect(accessForKey(config.secret, 'plans', linkKey(config.secret, 'write', 'plans'), rotated)).toBe('write');
    expect(viewPath('plans', config, rotated)).toBe(`/v/plans?key=${newView}`);
    expect(linkKey(config.secret, 'read', 'plans', 2)).not.toBe(newView);
    // Another document's generation 1 is another key.
    expect(linkKey(config.secret, 'read', 'other', 1)).not.toBe(newView);
  });

  it('match what `npm run links` prints, which prints no document link it cannot check with the sync server', () => {
    const script = fileURLToPath(new URL('../scripts/links.mjs', import.meta.url));
    // Port 9 (discard) is closed here: the sync server cannot be asked for the generations.
    const run = spawnSync(process.execPath, [script, '--url', 'https://t.example', 'plans'], {
      env: { ...process.env, TANDEM_AUTH_SECRET: SECRET, TANDEM_SYNC_INTERNAL_URL: 'http://127.0.0.1:9' },
      encoding: 'utf8',
    });
    expect(run.stdout).toContain(`https://t.example/operator?key=${linkKey(config.secret, 'operator')}`);
    expect(run.stdout).not.toContain('/d/plans');
    expect(run.stderr).toContain('plans: cannot read its link generations from the sync server at http://127.0.0.1:9');
    expect(run.status).toBe(1);
    expect(run.stdout + run.stderr).not.toContain(SECRET);
  });
});

describe('mintToken', () => {
  it('signs HS256 tokens the sync server accepts: sub, name, doc, access, exp', async () => {
    const now = Date.UTC(2030, 0, 1);
    const { token, expiresAt } = await mintToken(config, { sub: 'u-1', name: '  Ada  ', doc: 'plans', access: 'read' }, now);
    const { payload, protectedHeader } = await jwtVerify(token, config.secret, { algorithms: ['HS256'], currentDate: new Date(now) });
    expect(protectedHeader.alg).toBe('HS256');
    expect(payload).toMatchObject({ sub: 'u-1', name: 'Ada', doc: 'plans', access: 'read', exp: now / 1000 + 900 });
    expect(expiresAt).toBe(now + 900_000);
    await expect(jwtVerify(token, other.secret)).rejects.toThrow();
    expect(token).not.toContain(SECRET);
  });

  it('uses the configured lifetime, keeps names short and leaves out an empty one', async () => {
    const short: AuthConfig = { ...config, ttlSeconds: 3 };
    const now = Date.now();
    const { token } = await mintToken(short, { sub: 'u-1', name: '', doc: '*', access: 'write' }, now);
    const claims = decodeJwt(token);
    expect(claims.exp).toBe(Math.floor(now / 1000) + 3);
    expect(claims).not.toHaveProperty('name');
    const long = decodeJwt((await mintToken(config, { sub: 'u', name: 'x'.repeat(100), doc: 'd', access: 'write' })).token);
    expect((long.name as string).length).toBe(40);
  });

  it('says which link a token was minted from, and nothing when it was not', async () => {
    const fromLink = decodeJwt((await mintToken(config, { sub: 'u', doc: 'd', access: 'read', link: { purpose: 'write', generation: 3 } })).token);
    expect(fromLink.link).toEqual({ purpose: 'write', generation: 3 });
    expect(decodeJwt((await mintToken(config, { sub: 'u', doc: 'd', access: 'read' })).token)).not.toHaveProperty('link');
  });
});

describe('subjects', () => {
  it('keep the sub of a previous token this app signed, even expired (up to a day)', async () => {
    const sub = newSubject();
    const now = Date.now();
    const { token } = await mintToken({ ...config, ttlSeconds: 5 }, { sub, doc: 'd', access: 'write' }, now - 3600_000);
    expect(await subjectOfPreviousToken(config, token, now)).toBe(sub);
    expect(await subjectOfPreviousToken(config, token, now + 2 * 24 * 3600_000)).toBeUndefined();
    expect(await subjectOfPreviousToken(other, token, now)).toBeUndefined();
    expect(await subjectOfPreviousToken(config, 'garbage', now)).toBeUndefined();
    expect(await subjectOfPreviousToken(config, 42, now)).toBeUndefined();
    // A token signed with the secret but a sub this app never makes is not vouched for.
    const odd = await new SignJWT({ doc: 'd', access: 'write' }).setProtectedHeader({ alg: 'HS256' }).setSubject('admin').setExpirationTime('1h').sign(config.secret);
    expect(await subjectOfPreviousToken(config, odd, now)).toBeUndefined();
  });

  it('come from the previous token, then the signed cookie, then are new', async () => {
    const fromCookie = newSubject();
    const cookie = userCookieValue(config.secret, fromCookie);
    const fromToken = newSubject();
    const { token } = await mintToken(config, { sub: fromToken, doc: 'd', access: 'read' });
    expect(await subjectFor(config, token, cookie)).toEqual({ sub: fromToken, isNew: false });
    expect(await subjectFor(config, token, undefined)).toEqual({ sub: fromToken, isNew: true });
    expect(await subjectFor(config, undefined, cookie)).toEqual({ sub: fromCookie, isNew: false });
    const fresh = await subjectFor(config, undefined, 'not-ours');
    expect(fresh.isNew).toBe(true);
    expect(fresh.sub).toMatch(/^u-[0-9a-f-]{36}$/);
    expect(fresh.sub).not.toBe((await subjectFor(config, undefined, undefined)).sub);
  });

  it('are never taken from a cookie the app did not sign: a browser cannot choose its sub', async () => {
    const victim = newSubject();
    const signed = userCookieValue(config.secret, victim);
    expect(signed).toMatch(/^u-[0-9a-f-]{36}\.[A-Za-z0-9_-]{22}$/);
    expect(signed).not.toContain(SECRET);
    expect(subjectOfUserCookie(config.secret, signed)).toBe(victim);
    const signature = signed.slice(signed.lastIndexOf('.') + 1);
    const forged = [
      victim, // unsigned, as the cookie used to be
      `${victim}.`,
      `${victim}.${signature.slice(0, -1)}${signature.endsWith('A') ? 'B' : 'A'}`, // signature altered
      `${newSubject()}.${signature}`, // another sub with this signature
      userCookieValue(other.secret, victim), // signed with another secret
      `admin.${signature}`,
      `${signed}x`,
      '',
    ];
    for (const cookie of forged) {
      expect(subjectOfUserCookie(config.secret, cookie), cookie).toBeUndefined();
      const given = await subjectFor(config, undefined, cookie);
      expect(given.isNew, cookie).toBe(true);
      expect(given.sub, cookie).not.toBe(victim);
    }
  });
});

describe('createTokenFetcher', () => {
  it('posts doc, key, access, name and the previous token, and returns the new token', async () => {
    const bodies: Array<Record<string, unknown>> = [];
    let n = 0;
    const fetchMock = vi.fn(async (_url: string | URL | Request, init?: RequestInit) => {
      bodies.push(JSON.parse(init!.body as string) as Record<string, unknown>);
      return new Response(JSON.stringify({ token: `t${++n}` }), { status: 200 });
    });
    let name = 'Ada';
    const getToken = createTokenFetcher({ docName: 'plans', linkKey: 'K', access: 'read', getName: () => name, fetch: fetchMock as typeof fetch });
    expect(await getToken()).toBe('t1');
    name = 'Ada L.';
    expect(await getToken()).toBe('t2');
    expect(fetchMock.mock.calls[0]![0]).toBe('/api/token');
    expect(fetchMock.mock.calls[0]![1]).toMatchObject({ method: 'POST', headers: { 'content-type': 'application/json' } });
    expect(bodies).toEqual([
      { doc: 'plans', key: 'K', access: 'read', name: 'Ada' },
      { doc: 'plans', key: 'K', access: 'read', name: 'Ada L.', previous: 't1' },
    ]);
  });

  it('throws on refusal, on errors and on an answer without a token', async () => {
    const answer = (status: number, body: unknown) => createTokenFetcher({ docName: 'd', linkKey: 'K', access: 'write', fetch: (async () => new Response(JSON.stringify(body), { status })) as typeof fetch });
    await expect(answer(403, { error: 'no' })()).rejects.toBeInstanceOf(LinkRefusedError);
    await expect(answer(500, {})()).rejects.toThrow(/500/);
    await expect(answer(200, { token: '' })()).rejects.toThrow(/no token/);
  });
});
