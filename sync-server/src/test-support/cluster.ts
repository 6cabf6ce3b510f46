/**
 * Cluster-mode test helpers: several real sync servers sharing one real redis-server, in this
 * process (startClusterServers) or as CLI child processes to SIGKILL (spawnClusterServer), and
 * the hooks every cluster test file shares (useTestCluster).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll } from 'vitest';
import type { SyncServerConfig } from '../config.js';
import { type ProviderClient, connectProvider } from './clients.js';
import { type ServerProcess, spawnServer } from './process.js';
import { type TestRedis, startTestRedis } from './redis.js';
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

/** One test file's cluster: its redis-server, and what each test opens on it, closed after the test. */
export interface TestCluster {
  /** The file's redis-server (started before the first test, stopped after the last). */
  readonly redis: TestRedis;
  /** The test's stock clients, destroyed after it (a test may destroy some earlier: take them out). */
  readonly clients: ProviderClient[];
  /** The test's CLI processes, SIGKILLed after it. */
  readonly processes: ServerProcess[];
  /** `count` servers in this process on the file's Redis (see startClusterServers), disposed after the test. */
  start: (count: number, overrides?: Partial<SyncServerConfig>) => Promise<TestServer[]>;
  /** A stock y-websocket client of `docName` on `server`, destroyed after the test. */
  connect: (server: { url: string }, docName: string, params?: Record<string, string>) => ProviderClient;
}

/**
 * Register a cluster test file's hooks: a real redis-server for the file (a free port, a temp
 * folder, the AOF on) and, after each test, its clients destroyed and its servers stopped.
 * `restartRedisAfterEach`: for files whose tests kill or pause Redis, start it again after each.
 * Call once at the top of the file.
 */
export function useTestCluster({ restartRedisAfterEach = false } = {}): TestCluster {
  let redis: TestRedis | undefined;
  const servers: TestServer[] = [];
  const cluster: TestCluster = {
    get redis() {
      if (!redis) throw new Error('the cluster’s redis-server is not started yet (use it inside a test)');
      return redis;
    },
    clients: [],
    processes: [],
    async start(count, overrides) {
      const started = await startClusterServers(cluster.redis, count, overrides);
      servers.push(...started);
      return started;
    },
    connect(server, docName, params) {
      const client = connectProvider(server.url, docName, { params });
      cluster.clients.push(client);
      return client;
    },
  };
  beforeAll(async () => {
    redis = await startTestRedis();
  });
  afterAll(async () => redis?.dispose());
  afterEach(async () => {
    for (const client of cluster.clients.splice(0)) client.destroy();
    for (const server of servers.splice(0)) await server.dispose();
    for (const server of cluster.processes.splice(0)) await server.stop('SIGKILL');
    if (restartRedisAfterEach) await redis?.restart();
  });
  return cluster;
}
