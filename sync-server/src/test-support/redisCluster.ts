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
import { RedisKeys } from '../storage/redis/keys.js';
import { freePort, launchRedisServer } from './redis.js';
import { makeTempDir, waitFor } from './server.js';

const run = promisify(execFile);

export interface TestRedisCluster {
  /** The URL of the first node: the server finds the others through it. */
  url: string;
  ports: number[];
  /** A plain connection to one node (the caller disconnects it). */
  node(index: number): Redis;
  /** Stop every node and delete their folders. */
  dispose(): Promise<void>;
}

const MASTERS = 3;

export async function startTestRedisCluster(): Promise<TestRedisCluster> {
  const ports: number[] = [];
  const dirs: string[] = [];
  const children: ChildProcess[] = [];
  const dispose = async (): Promise<void> => {
    await Promise.all(
      children.map(async (child) => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
        child.kill('SIGKILL');
        await exited;
      }),
    );
    await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
  };
  try {
    for (let i = 0; i < MASTERS; i++) {
      const dir = await makeTempDir('tandem-redis-cluster-');
      dirs.push(dir);
      const port = await freePort();
      ports.push(port);
      children.push(await launchRedisServer(port, dir, ['--cluster-enabled', 'yes', '--cluster-config-file', 'nodes.conf']));
    }
    await run('redis-cli', ['--cluster', 'create', ...ports.map((port) => `127.0.0.1:${port}`), '--cluster-replicas', '0', '--cluster-yes']);
    for (const port of ports) {
      await waitFor(async () => (await run('redis-cli', ['-p', String(port), 'cluster', 'info'])).stdout.includes('cluster_state:ok'), {
        timeoutMs: 20_000,
        intervalMs: 100,
        what: `the Redis Cluster node on port ${port} to report cluster_state:ok`,
      });
    }
  } catch (error) {
    await dispose();
    throw error;
  }
  return {
    url: `redis://127.0.0.1:${ports[0]}`,
    ports,
    node: (index) => new Redis(ports[index]!, '127.0.0.1'),
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
