/**
 * The start-up check of cluster mode: Redis must keep what it accepts. With `appendonly no` an
 * acknowledged edit lives only in Redis's memory until the next RDB snapshot, and a restart loses
 * it; with an evicting `maxmemory-policy` Redis may delete a document's stream to make room. Either
 * breaks the promise behind the Saved acknowledgement, so the server refuses to start unless told
 * `--redis-allow-volatile` (for development), and then says so in its log and on /readyz. On a
 * Redis Cluster every master is asked (documents are spread over them), and a problem names its node.
 */
import { Cluster, type Redis } from 'ioredis';
import { type RedisClient, addressOf, masters } from '../storage/redis/connect.js';

/** The one policy under which Redis never deletes a key to make room. */
const NEVER_EVICTS = 'noeviction';

/** What makes Redis unfit to be the durable store, in words for the operator; empty when nothing does. */
export async function redisDurabilityProblems(redis: RedisClient): Promise<string[]> {
  const named = redis instanceof Cluster;
  const problems = await Promise.all(masters(redis).map((node) => nodeProblems(node, named ? `Redis master ${addressOf(node)}` : 'Redis')));
  return problems.flat();
}

async function nodeProblems(node: Redis, who: string): Promise<string[]> {
  let settings: Map<string, string>;
  try {
    const flat = (await node.call('CONFIG', 'GET', 'appendonly', 'maxmemory-policy')) as string[];
    settings = new Map();
    for (let i = 0; i + 1 < flat.length; i += 2) settings.set(flat[i]!, flat[i + 1]!);
  } catch (error) {
    return [`could not read the settings of ${who} with CONFIG GET (${(error as Error).message}); cannot tell whether it keeps what it accepts`];
  }
  const problems: string[] = [];
  const appendonly = settings.get('appendonly');
  if (appendonly !== 'yes') {
    problems.push(`${who} has appendonly ${appendonly ?? '(unknown)'}: an acknowledged edit would be lost when Redis restarts (set appendonly yes)`);
  }
  const policy = settings.get('maxmemory-policy');
  if (policy !== NEVER_EVICTS) {
    problems.push(`${who} has maxmemory-policy ${policy ?? '(unknown)'}: it may evict documents when memory runs short (set maxmemory-policy ${NEVER_EVICTS})`);
  }
  return problems;
}
