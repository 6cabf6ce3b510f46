/**
 * A real 3-master Redis Cluster for tests: three redis-servers with `--cluster-enabled yes` on free
 * ports, each in a temporary folder with the AOF on, joined by `redis-cli --cluster create` (no
 * replicas), ready once every node reports `cluster_state:ok`; stopped and removed after.
 * Debian's redis-server (redis-cli comes with it); .ci/run installs it when it is missing.
 */
import { type ChildProcess, execFile } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { RedisKeys } from '../storage/redis/keys.js';
import { freePort, launchRedisServer } from './redis.js';
import type { ProviderClient } from './clients.js';
import type { ServerProcess } from './process.js';
import { type TestServer, makeTempDir, waitFor } from './server.js';

const run = promisify(execFile);

export interface TestRedisCluster {
  /** The URL of the first node: the server finds the others through it. */
  url: string;
  ports: number[];
  /** A plain connection to one node (the caller disconnects it). */
  node(index: number): Redis;
  /** SIGKILL one node; `restart` starts it again on its folder and port (it rejoins from its nodes.conf). */
  kill(index: number): Promise<void>;
  restart(index: number): Promise<void>;
  /** Stop every node and delete their folders. */
  dispose(): Promise<void>;
}

const MASTERS = 3;

export async function startTestRedisCluster(): Promise<TestRedisCluster> {
  const ports: number[] = [];
  const dirs: string[] = [];
  const children: ChildProcess[] = [];
  const kill = async (index: number): Promise<void> => {
    const child = children[index]!;
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGKILL');
    await exited;
  };
  const launch = (index: number): Promise<ChildProcess> => launchRedisServer(ports[index]!, dirs[index]!, ['--cluster-enabled', 'yes', '--cluster-config-file', 'nodes.conf']);
  const dispose = async (): Promise<void> => {
    await Promise.all(children.map((_, index) => kill(index)));
    await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
  };
  const clusterOk = (port: number): Promise<boolean> =>
    waitFor(async () => (await run('redis-cli', ['-p', String(port), 'cluster', 'info'])).stdout.includes('cluster_state:ok'), {
      timeoutMs: 20_000,
      intervalMs: 100,
      what: `the Redis Cluster node on port ${port} to report cluster_state:ok`,
    });
  try {
    for (let i = 0; i < MASTERS; i++) {
      const dir = await makeTempDir('tandem-redis-cluster-');
      dirs.push(dir);
      ports.push(await freePort());
      children.push(await launch(i));
    }
    await run('redis-cli', ['--cluster', 'create', ...ports.map((port) => `127.0.0.1:${port}`), '--cluster-replicas', '0', '--cluster-yes']);
    for (const port of ports) await clusterOk(port);
  } catch (error) {
    await dispose();
    throw error;
  }
  return {
    url: `redis://127.0.0.1:${ports[0]}`,
    ports,
    node: (index) => new Redis(ports[index]!, '127.0.0.1'),
    kill,
    async restart(index) {
      await kill(index);
      children[index] = await launch(index);
      for (const port of ports) await clusterOk(port);
    },
    dispose,
  };
}

/** One document name per master of `redis`: the first `<stem>-<n>` whose keys that master serves. */
export async function namesOnEveryMaster(redis: TestRedisCluster, stem: string): Promise<string[]> {
  const probe = redis.node(0);
  try {
    const ranges = (await probe.call('CLUSTER', 'SLOTS')) as Array<[number, number, [string, number]]>;
    const byMaster = new Map<number, string>();
    const keys = new RedisKeys('any'); // a document's slot depends on its bucket tag only
    for (let n = 0; byMaster.size < redis.ports.length && n < 1000; n++) {
      const name = `${stem}-${n}`;
      const slot = (await probe.call('CLUSTER', 'KEYSLOT', keys.log(name))) as number;
      const port = ranges.find(([from, to]) => slot >= from && slot <= to)![2][1];
      if (!byMaster.has(port)) byMaster.set(port, name);
    }
    if (byMaster.size < redis.ports.length) throw new Error(`documents reach only ${byMaster.size} of ${redis.ports.length} masters`);
    return [...byMaster.values()];
  } finally {
    probe.disconnect();
  }
}

/** One test file's Redis Cluster, and what each test opens on it, closed after the test. */
export interface RedisClusterFile {
  /** The file's cluster (started before the first test, stopped after the last). */
  readonly redis: TestRedisCluster;
  /** The test's servers in this process, disposed after it. */
  readonly servers: TestServer[];
  /** The test's stock clients, destroyed after it. */
  readonly clients: ProviderClient[];
  /** The test's CLI processes, SIGKILLed after it. */
  readonly processes: ServerProcess[];
}

/** Register a test file's hooks for a real Redis Cluster and the per-test clean-up. Call once at the top of the file. */
export function useTestRedisCluster(): RedisClusterFile {
  let redis: TestRedisCluster | undefined;
  const file: RedisClusterFile = {
    get redis() {
      if (!redis) throw new Error('the Redis Cluster is not started yet (use it inside a test)');
      return redis;
    },
    servers: [],
    clients: [],
    processes: [],
  };
  beforeAll(async () => {
    redis = await startTestRedisCluster();
  }, 30_000);
  afterAll(async () => redis?.dispose());
  afterEach(async () => {
    for (const client of file.clients.splice(0)) client.destroy();
    for (const server of file.servers.splice(0)) await server.dispose();
    for (const child of file.processes.splice(0)) await child.stop('SIGKILL');
  });
  return file;
}
