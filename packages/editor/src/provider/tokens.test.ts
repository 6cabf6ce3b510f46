import { CloseCode } from '@tandem/protocol';
import { describe, expect, it, vi } from 'vitest';
import { renewalDelay } from './tokenRenewal.js';
import { isReadOnlyToken, readTokenClaims, TokenKeeper } from './tokens.js';

/** A JWT-shaped token (unsigned: the client never verifies, the server does). */
function jwt(claims: Record<string, unknown>): string {
  const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64(claims)}.signature`;
}

describe('readTokenClaims', () => {
  it('reads the payload of a JWT (base64url, UTF-8) and nothing from anything else', () => {
    expect(readTokenClaims(jwt({ sub: 'ü-1', access: 'read', exp: 5 }))).toEqual({ sub: 'ü-1', access: 'read', exp: 5 });
    for (const bad of [undefined, '', 'abc', 'a.%%%.c', 'a.bnVsbA.c' /* null */, `a.${Buffer.from('[').toString('base64url')}.c`]) {
      expect(readTokenClaims(bad)).toBeUndefined();
    }
    expect(isReadOnlyToken(jwt({ access: 'read' }))).toBe(true);
    expect(isReadOnlyToken(jwt({ access: 'write' }))).toBe(false);
    expect(isReadOnlyToken(undefined)).toBe(false);
  });
});

describe('renewalDelay', () => {
  it('renews when a third of the life is left (at most a minute before), up to half as much again earlier', () => {
    expect(renewalDelay(3000, () => 0)).toBe(2000);
    expect(renewalDelay(3000, () => 0.999999)).toBe(1500);
    expect(renewalDelay(15 * 60_000, () => 0)).toBe(15 * 60_000 - 60_000);
    expect(renewalDelay(15 * 60_000, () => 0.999999)).toBe(15 * 60_000 - 90_000);
  });

  it('spreads editors out, never renews after expiry, and never for a token without exp', () => {
    const draws = [0.1, 0.4, 0.7].map((r) => renewalDelay(60_000, () => r));
    expect(new Set(draws).size).toBe(3);
    expect(renewalDelay(0)).toBe(0);
    expect(renewalDelay(-5000)).toBe(0);
    expect(renewalDelay(Number.NaN)).toBe(0);
    expect(renewalDelay(Infinity)).toBe(Infinity);
  });
});

describe('TokenKeeper', () => {
  /** A keeper on a clock the test moves, whose getToken hands out `fresh(...)` tokens. */
  function keeper(initial: string | undefined, getToken?: () => Promise<string>, timeoutMs = 5000) {
    let now = 1_000_000_000_000;
    const tokens = new TokenKeeper({ token: initial, getToken, now: () => now, timeoutMs });
    return { tokens, advance: (ms: number) => (now += ms) };
  }

  it('uses the token it has while it is good; fetches first when it expired by the clock or after 4001 or 4002', async () => {
    let n = 0;
    const getToken = vi.fn(async () => `fresh-${++n}`);
    const { tokens, advance } = keeper(jwt({ exp: Math.floor(1_000_000_000_000 / 1000) + 60 }), getToken);
    const initial = tokens.current;
    expect(await tokens.forConnection()).toBe(initial);
    advance(59_500); // less than a second left: not worth connecting with
    expect(await tokens.forConnection()).toBe('fresh-1');
    tokens.connectionEnded(CloseCode.TokenExpired.code, true, false);
    expect(await tokens.forConnection()).toBe('fresh-2');
    tokens.connectionEnded(CloseCode.Unauthenticated.code, false, false);
    expect(await tokens.forConnection()).toBe('fresh-3');
    tokens.connectionEnded(CloseCode.Abnormal.code, false, false); // a network failure says nothing of the token
    expect(await tokens.forConnection()).toBe('fresh-3');
  });

  it('after a connection that never opened with the token in its URL (a 401?), asks first, but keeps a good token if that fails', async () => {
    const good = jwt({ exp: Math.floor(1_000_000_000_000 / 1000) + 600 });
    const { tokens } = keeper(good, async () => {
      throw new Error('app unreachable');
    });
    tokens.connectionEnded(CloseCode.Abnormal.code, false, true);
    expect(await tokens.forConnection()).toBe(good);
    tokens.connectionEnded(CloseCode.TokenExpired.code, true, true);
    await expect(tokens.forConnection()).rejects.toThrow('app unreachable');
  });

  it('counts a fetched token’s life from when it arrived (exp − iat, less a second), whatever this clock says', async () => {
    // This browser's clock is an hour behind the server's: by `exp` alone the token would look good for an hour too long.
    const serverNow = Math.floor(1_000_000_000_000 / 1000) + 3600;
    const { tokens, advance } = keeper(undefined, async () => jwt({ iat: serverNow, exp: serverNow + 30 }));
    await tokens.refresh();
    expect(tokens.msLeft()).toBe(29_000);
    advance(29_000);
    expect(tokens.msLeft()).toBe(0);
  });

  it('shares one fetch among callers, refuses an empty answer, and gives up on one that never comes', async () => {
    let resolve!: (token: string) => void;
    const getToken = vi.fn(() => new Promise<string>((r) => (resolve = r)));
    const { tokens } = keeper(undefined, getToken);
    const both = Promise.all([tokens.refresh(), tokens.forConnection()]);
    await vi.waitFor(() => expect(resolve).toBeTypeOf('function'));
    resolve('t');
    expect(await both).toEqual(['t', 't']);
    expect(getToken).toHaveBeenCalledTimes(1);

    const empty = keeper(undefined, async () => '');
    await expect(empty.tokens.refresh()).rejects.toThrow('getToken() gave no token');
    const silent = keeper(undefined, () => new Promise<string>(() => {}), 50);
    await expect(silent.tokens.refresh()).rejects.toThrow('getToken() did not answer within 50 ms');
  });

  it('without getToken, connects with whatever it was given', async () => {
    const expired = jwt({ exp: 5 });
    expect(await keeper(expired).tokens.forConnection()).toBe(expired);
  });
});
