/**
 * Per-address token buckets for the app's own endpoints (server only). Each key holds up to
 * `burst` tokens and gets `perMinute` back each minute; a request takes one. Hand-written because
 * it is this small and needs no timers: a bucket is refilled when it is next used.
 */

export interface RateLimits {
  /** Requests an address may make at once. */
  burst: number;
  /** Requests an address may make per minute, sustained. */
  perMinute: number;
}

export const TOKEN_RATE_BURST_VARIABLE = 'TANDEM_TOKEN_RATE_BURST';
export const TOKEN_RATE_PER_MINUTE_VARIABLE = 'TANDEM_TOKEN_RATE_PER_MINUTE';
/**
 * `/api/token` per client address: a page asks once when it opens and once per token lifetime
 * (15 minutes by default), so an office behind one NAT may open 60 pages at once and 2 more a
 * second (a refused page retries with backoff); a flood gets 429 after 60 requests.
 */
export const DEFAULT_TOKEN_RATE: RateLimits = { burst: 60, perMinute: 120 };

/** The token endpoint's limits from the environment; a bad value is an error, not the default. */
export function readTokenRateLimits(env: Record<string, string | undefined> = process.env): RateLimits {
  const read = (name: string, fallback: number) => {
    const raw = env[name]?.trim();
    if (!raw) return fallback;
    const value = Number(raw);
    if (!/^\d+$/.test(raw) || value < 1 || value > 1_000_000) throw new Error(`${name} must be a whole number from 1 to 1000000, got "${raw}"`);
    return value;
  };
  return { burst: read(TOKEN_RATE_BURST_VARIABLE, DEFAULT_TOKEN_RATE.burst), perMinute: read(TOKEN_RATE_PER_MINUTE_VARIABLE, DEFAULT_TOKEN_RATE.perMinute) };
}

export type TakeResult =
  | { allowed: true }
  /** `report`: true for the first refusal of a key in a minute, so that a flood is logged once, not per request. */
  | { allowed: false; retryAfterSeconds: number; report: boolean };

interface Bucket {
  tokens: number;
  updatedAt: number;
  reportedAt: number;
}

const REPORT_INTERVAL_MS = 60_000;

/** Token buckets by key. Memory stays bounded: past `maxKeys`, the least recently used key is forgotten. */
export class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    readonly limits: RateLimits,
    private readonly maxKeys = 10_000,
  ) {}

  /** Take one token for `key`, or say how long until one is back. */
  take(key: string, now = Date.now()): TakeResult {
    const { burst, perMinute } = this.limits;
    let bucket = this.buckets.get(key);
    if (bucket) {
      bucket.tokens = Math.min(burst, bucket.tokens + ((now - bucket.updatedAt) * perMinute) / 60_000);
      bucket.updatedAt = now;
      this.buckets.delete(key); // re-inserted below: the Map's order is least recently used first
    } else {
      bucket = { tokens: burst, updatedAt: now, reportedAt: -Infinity };
      // A forgotten bucket comes back full: only an address that goes unused the longest loses its debt.
      if (this.buckets.size >= this.maxKeys) this.buckets.delete(this.buckets.keys().next().value!);
    }
    this.buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { allowed: true };
    }
    const report = now - bucket.reportedAt >= REPORT_INTERVAL_MS;
    if (report) bucket.reportedAt = now;
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(((1 - bucket.tokens) * 60) / perMinute)), report };
  }

  /** How many keys are remembered. */
  get size(): number {
    return this.buckets.size;
  }
}
