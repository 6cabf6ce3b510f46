import { describe, expect, it } from 'vitest';
import { DEFAULT_TOKEN_RATE, readTokenRateLimits, TokenBuckets } from './rateLimit';

describe('TokenBuckets', () => {
  it('allows a burst, then refuses with the seconds until a token is back', () => {
    const buckets = new TokenBuckets({ burst: 3, perMinute: 6 });
    const t0 = 1_000_000;
    for (let i = 0; i < 3; i++) expect(buckets.take('a', t0)).toEqual({ allowed: true });
    expect(buckets.take('a', t0)).toEqual({ allowed: false, retryAfterSeconds: 10, report: true });
    expect(buckets.take('a', t0 + 4000)).toEqual({ allowed: false, retryAfterSeconds: 6, report: false });
    // Six a minute: one token every ten seconds.
    expect(buckets.take('a', t0 + 10_000)).toEqual({ allowed: true });
    expect(buckets.take('a', t0 + 10_000)).toMatchObject({ allowed: false, report: false });
    // A flood that goes on is reported again once a minute.
    let later = buckets.take('a', t0 + 60_000);
    while (later.allowed) later = buckets.take('a', t0 + 60_000);
    expect(later).toMatchObject({ allowed: false, report: true });
  });

  it('counts each key on its own, and refills no further than the burst', () => {
    const buckets = new TokenBuckets({ burst: 2, perMinute: 60 });
    const t0 = 5_000;
    buckets.take('a', t0);
    buckets.take('a', t0);
    expect(buckets.take('a', t0).allowed).toBe(false);
    expect(buckets.take('b', t0).allowed).toBe(true);
    const later = t0 + 3_600_000;
    expect([1, 2, 3].map(() => buckets.take('a', later).allowed)).toEqual([true, true, false]);
  });

  it('a flood of 500 requests in 1.4 s gets the burst and what refills, no more', () => {
    const buckets = new TokenBuckets(DEFAULT_TOKEN_RATE);
    let allowed = 0;
    let reports = 0;
    for (let i = 0; i < 500; i++) {
      const result = buckets.take('10.0.0.1', (i * 1400) / 500);
      if (result.allowed) allowed++;
      else if (result.report) reports++;
    }
    expect(allowed).toBe(DEFAULT_TOKEN_RATE.burst + Math.floor((1.4 * DEFAULT_TOKEN_RATE.perMinute) / 60));
    // One flood, one log line.
    expect(reports).toBe(1);
  });

  it('remembers at most maxKeys keys, forgetting the least recently used', () => {
    const buckets = new TokenBuckets({ burst: 1, perMinute: 1 }, 3);
    for (const key of ['a', 'b', 'c']) buckets.take(key, 0);
    buckets.take('a', 1); // a is now the most recently used
    buckets.take('d', 2); // forgets b
    expect(buckets.size).toBe(3);
    expect(buckets.take('a', 3).allowed).toBe(false);
    expect(buckets.take('c', 3).allowed).toBe(false);
    expect(buckets.take('b', 3).allowed).toBe(true);
  });
});

describe('readTokenRateLimits', () => {
  it('has defaults, reads both variables and refuses bad values loudly', () => {
    expect(readTokenRateLimits({})).toEqual(DEFAULT_TOKEN_RATE);
    expect(readTokenRateLimits({ TANDEM_TOKEN_RATE_BURST: '5', TANDEM_TOKEN_RATE_PER_MINUTE: '30' })).toEqual({ burst: 5, perMinute: 30 });
    for (const bad of ['0', '-1', '2.5', 'many', '1e3', '2000000']) {
      expect(() => readTokenRateLimits({ TANDEM_TOKEN_RATE_BURST: bad })).toThrow(/TANDEM_TOKEN_RATE_BURST/);
      expect(() => readTokenRateLimits({ TANDEM_TOKEN_RATE_PER_MINUTE: bad })).toThrow(/TANDEM_TOKEN_RATE_PER_MINUTE/);
    }
  });
});
