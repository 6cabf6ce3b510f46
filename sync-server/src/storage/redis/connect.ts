/**
 * Connecting to Redis: one primary, or a Redis Cluster. `--redis-url` may name any node of a
 * cluster; the node says so itself (`INFO cluster`: `cluster_enabled:1`), and the store then talks
 * through ioredis's `Cluster`, which sends each command to the master of its keys' slot.
 *
 * The command connection never queues and never retries (a write either reaches Redis now or fails
 * now, see RedisDocStore); blocking readers and subscribers get their own connections, which wait
 * through outages (see {@link openWaitingDuplicate}).
 */
import { Cluster, type ClusterOptions, Redis, type RedisOptions } from 'ioredis';

/** A connection to one Redis primary or to a Redis Cluster: both take the same commands. */
export type RedisClient = Redis | Cluster;

/** How long a connection attempt may take before the start fails. */
const CONNECT_TIMEOUT_MS = 5000;
/**
 * How long a command may wait for Redis's answer before it fails. A Redis that hangs (stopped,
 * or its machine gone without a reset) must not hold appends, and with them the Saved
 * acknowledgements, forever: they fail, and clients keep their edits and send them again.
 */
const COMMAND_TIMEOUT_MS = 5000;

const retryStrategy = (attempt: number): number => Math.min(50 * attempt, 1000);

/** The command connection's options: fail at once while disconnected, never queue. */
function commandOptions(connectionName: string): RedisOptions {
  return {
    protocol: 2,
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    connectTimeout: CONNECT_TIMEOUT_MS,
    commandTimeout: COMMAND_TIMEOUT_MS,
    connectionName,
    retryStrategy,
  };
}

/** Whether the Redis at the other end of `redis` runs in cluster mode. */
async function clusterEnabled(redis: Redis): Promise<boolean> {
  const info = await redis.info('cluster');
  return /^cluster_enabled:1\s*$/m.test(info);
}

/**
 * Connect the command connection to the Redis (or Redis Cluster) at `url`: `redis://…` or
 * `unix:///path/to/redis.sock` (a Redis on the same machine, cheaper than TCP; never a cluster).
 * Fails, with nothing left open, when Redis cannot be reached.
 */
export async function connectRedis(url: string, connectionName: string): Promise<RedisClient> {
  const unixPath = url.startsWith('unix://') ? url.slice('unix://'.length) : undefined;
  const single = new Redis(unixPath ?? url, commandOptions(connectionName));
  single.on('error', () => {}); // reported by the failing commands and by /readyz; ioredis reconnects
  try {
    await single.connect();
    if (unixPath || !(await clusterEnabled(single))) return single;
  } catch (error) {
    single.disconnect();
    throw error;
  }
  single.disconnect();
  const { host, port, username, password, tls, db } = single.options;
  if (db) throw new Error(`a Redis Cluster has only database 0: remove /${db} from the URL`);
  const cluster = new Cluster([{ host, port }], {
    lazyConnect: true,
    enableOfflineQueue: false,
    enableReadyCheck: true,
    clusterRetryStrategy: retryStrategy,
    slotsRefreshTimeout: CONNECT_TIMEOUT_MS,
    redisOptions: { ...commandOptions(connectionName), username, password, tls },
  } satisfies ClusterOptions);
  cluster.on('error', () => {});
  try {
    await cluster.connect();
  } catch (error) {
    cluster.disconnect();
    throw error;
  }
  return cluster;
}

/**
 * Another connection to the same Redis for one long-lived job (a blocking XREAD, pub/sub): it keeps
 * its commands across an outage (offline queue on, unlimited retries, no timeout) and sends them
 * again on reconnect.
 */
export function openWaitingDuplicate(redis: RedisClient, connectionName: string): RedisClient {
  const waiting = { enableOfflineQueue: true, maxRetriesPerRequest: null, commandTimeout: undefined, connectionName } satisfies RedisOptions;
  const duplicate =
    redis instanceof Cluster
      ? redis.duplicate([], { enableOfflineQueue: true, enableReadyCheck: false, lazyConnect: false, redisOptions: { ...waiting, lazyConnect: true } })
      : redis.duplicate({ ...waiting, lazyConnect: false });
  duplicate.on('error', () => {}); // it reconnects by itself; the command connection reports outages
  return duplicate;
}

/** The masters of a cluster, or the one primary. */
export function masters(redis: RedisClient): Redis[] {
  return redis instanceof Cluster ? redis.nodes('master') : [redis];
}

/** A node's address as `host:port`, for messages. */
export function addressOf(node: Redis): string {
  return `${node.options.host}:${node.options.port}`;
}

/** Every key of one node matching `pattern` (SCAN walks one node: on a cluster, call it for every master). */
export async function scanAll(node: Redis, pattern: string): Promise<string[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, found] = await node.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    keys.push(...found);
    cursor = next;
  } while (cursor !== '0');
  return keys;
}
