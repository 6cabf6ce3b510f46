/**
 * Cluster mode's start: connect to Redis, check it keeps what it accepts (redisDurability.ts),
 * and open the store and the presence bus every room of this instance shares.
 */
import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { SyncServerConfig } from '../config.js';
import type { ServerMetrics } from '../metrics.js';
import { RedisDocStore, redactUrl } from '../storage/redis/RedisDocStore.js';
import { redisDurabilityProblems } from './redisDurability.js';
import { RedisPresenceBus } from './RedisPresenceBus.js';

/** Redis would not keep what it accepts and --redis-allow-volatile was not given. */
export class VolatileRedisError extends Error {
  override name = 'VolatileRedisError';
}

export interface Cluster {
  instanceId: string;
  store: RedisDocStore;
  presenceBus: RedisPresenceBus;
  /** What /readyz reports while ready: why Redis may lose acknowledged edits, when allowed to. */
  warnings: string[];
}

export async function openCluster(
  config: Pick<SyncServerConfig, 'redisUrl' | 'redisAllowVolatile' | 'redisKeyPrefix'>,
  logger: Logger,
  metrics: ServerMetrics,
): Promise<Cluster> {
  const instanceId = randomBytes(6).toString('hex');
  const store = await RedisDocStore.open({
    url: config.redisUrl!,
    instanceId,
    keyPrefix: config.redisKeyPrefix,
    observe: (operation, seconds) => metrics.redisSeconds.observe({ operation }, seconds),
  });
  if (store.movedFromOldLayout > 0) logger.warn({ keys: store.movedFromOldLayout }, 'moved documents of the Redis layout before buckets to the bucket layout');
  const problems = await redisDurabilityProblems(store.redis);
  if (problems.length > 0 && !config.redisAllowVolatile) {
    await store.close();
    throw new VolatileRedisError(`refusing to start: ${problems.join('; ')}. Fix Redis, or pass --redis-allow-volatile for development.`);
  }
  const warnings = problems.map((problem) => `--redis-allow-volatile: ${problem}`);
  for (const warning of warnings) logger.warn(`ACKNOWLEDGED EDITS MAY BE LOST: ${warning}`);
  const presenceBus = await RedisPresenceBus.open(store.redis, store.keys, instanceId, logger);
  logger.info({ instance: instanceId, redis: redactUrl(config.redisUrl!), keyPrefix: config.redisKeyPrefix }, 'cluster mode: documents in Redis, shared with the other instances');
  return { instanceId, store, presenceBus, warnings };
}
