/**
 * The layout before buckets (keys.ts) tagged each document's keys with its own name
 * (`<p>:{<name>}:log`, `:snap`, `:sv`, `:kinds`, `:rec:<kind>`) and kept one listing `<p>:docs`.
 * That data must not silently vanish when a server of the bucket layout opens it: on a single
 * primary (the only Redis that layout ran on) it is moved, key by key with RENAME, then the listing;
 * on a Redis Cluster the server refuses to start (keys of different slots cannot be renamed there).
 *
 * Every step is idempotent: an instance that dies half-way leaves old keys the next start moves,
 * and two instances moving at once only find some keys gone (RENAME answers "no such key").
 */
import { Cluster } from 'ioredis';
import { type RedisClient, addressOf, masters, scanAll } from './connect.js';
import type { RedisKeys } from './keys.js';

/** Thrown when old-layout data is found on a Redis Cluster. */
export class OldLayoutError extends Error {
  override name = 'OldLayoutError';
}

/** An old-layout document key, split into the document name and what the key holds. */
function parseOldKey(keys: RedisKeys, key: string): { name: string; part: string } | undefined {
  if (!key.startsWith(`${keys.prefix}:{`)) return undefined;
  const match = /^\{([^{}]*)\}:(log|snap|sv|kinds|rec:[a-z][a-z0-9-]*)$/.exec(key.slice(keys.prefix.length + 1));
  return match ? { name: match[1]!, part: match[2]! } : undefined;
}

/** The bucket layout's key for what an old-layout key held. */
function newKey(keys: RedisKeys, name: string, part: string): string {
  if (part === 'log') return keys.log(name);
  if (part === 'snap') return keys.snapshot(name);
  if (part === 'sv') return keys.stateVector(name);
  if (part === 'kinds') return keys.kinds(name);
  return keys.records(name, part.slice('rec:'.length));
}

/**
 * Move data of the layout before buckets to the bucket layout (single primary), or refuse (Redis
 * Cluster). Returns how many keys were moved.
 */
export async function moveOldLayout(redis: RedisClient, keys: RedisKeys): Promise<number> {
  const oldListing = `${keys.prefix}:docs`;
  const found = (await Promise.all(masters(redis).map(async (node) => (await scanAll(node, `${keys.prefix}:{*}:*`)).map((key) => ({ key, node })))))
    .flat()
    .flatMap(({ key, node }) => {
      const parsed = parseOldKey(keys, key);
      return parsed ? [{ key, node, ...parsed }] : [];
    });
  const listingExists = (await redis.exists(oldListing)) > 0;
  if (found.length === 0 && !listingExists) return 0;
  if (redis instanceof Cluster) {
    const where = found[0] ? `${found[0].key} on ${addressOf(found[0].node)}` : oldListing;
    throw new OldLayoutError(
      `refusing to start: this Redis Cluster holds documents in the layout before buckets (e.g. ${where}), which this server does not read. ` +
        'Move them to the bucket layout on a single Redis primary first (start this server on it once: it moves them), then load that data into the cluster.',
    );
  }
  const renames = redis.pipeline();
  for (const { key, name, part } of found) renames.rename(key, newKey(keys, name, part));
  for (const [error] of (await renames.exec()) ?? []) {
    if (error && !/no such key/i.test(error.message)) throw error;
  }
  if (listingExists) {
    const listing = await redis.hgetall(oldListing);
    const move = redis.multi();
    for (const [name, summary] of Object.entries(listing)) move.hset(keys.docsOf(name), name, summary);
    move.del(oldListing);
    const results = await move.exec();
    for (const [error] of results ?? []) if (error) throw error;
  }
  return found.length + (listingExists ? 1 : 0);
}
