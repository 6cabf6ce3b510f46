/**
 * Cluster-mode test helpers: several real sync servers sharing one real redis-server, in this
 * process (startClusterServers) or as CLI child processes to SIGKILL (spawnClusterServer).
 */
import { randomUUID } from 'node:crypto';
import type { SyncServerConfig } from '../config.js';
import { type ServerProcess, spawnServer } from './process.js';
import type { TestRedis } from './redis.js';
import { type TestServer, makeTempDir, startTestServer } from './server.js';

/** A key prefix of its own, so tests sharing a redis-server never see each other's documents. */
export const freshKeyPrefix = (): string => `test-${randomUUID().slice(0, 8)}`;

/** `count` servers in this process on one Redis, under one key prefix. */
export async function startClusterServers(redis: TestRedis, count: number, overrides: Partial<SyncServerConfig> = {}): Promise<TestServer[]> {
  const config = { redisUrl: redis.url, redisKeyPrefix: freshKeyPrefix(), dataDir: '', ...overrides };
  const servers: TestServer[] = [];
  for (let i = 0; i < count; i++) servers.push(await startTestServer(config));
  return servers;
}

/** The real CLI in cluster mode, as a child process (its data dir is made but never used). */
export async function spawnClusterServer(redis: TestRedis, keyPrefix: string, extra: string[] = []): Promise<ServerProcess> {
  return spawnServer({ dataDir: await makeTempDir('tandem-unused-'), extra: ['--redis-url', redis.url, '--redis-key-prefix', keyPrefix, ...extra] });
}
