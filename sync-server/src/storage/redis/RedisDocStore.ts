/**
 * The Redis backend (cluster mode): every server instance of a deployment opens one on the same
 * Redis, which is both the durable store and the way updates reach the other instances.
 *
 * Per document a Redis Stream is the log: an append is an XADD, durable once Redis answers it (with
 * `appendonly yes` Redis has written the entry to its AOF before it answers). One event-loop turn's
 * appends go in one MULTI per bucket (keys.ts: a bucket is one hash slot, so on a Redis Cluster one
 * node), all sent at once, and count as stored when every one has answered. Each entry
 * names the instance that appended it, so the follower (StreamFollower.ts) skips the instance's
 * own entries (it relayed them itself right after the XADD) and knows when its own entries are
 * ahead of the ones it delivers. Compaction and purge are Lua scripts (scripts.ts): atomic.
 *
 * Redis is one primary or a Redis Cluster (connect.ts). Connection failures never queue a write:
 * the command connection has no offline queue and no retries, so while Redis is unreachable every
 * append fails at once (nothing is acknowledged) and the process goes on; the follower's
 * connections wait and resume from the last entry they saw.
 */
import { Cluster } from 'ioredis';
import { type DocAppend, type DocInfo, type DocRecord, type DocStore, type FollowedAppend, type StoredDoc, checkRecordKey } from '../DocStore.js';
import { type RedisClient, connectRedis, masters, scanAll } from './connect.js';
import { ALL_BUCKETS, RedisKeys, STREAM_START, bucketOf, nextStreamId, streamIdAfter } from './keys.js';
import { entryFields, instanceOf, trimmedBefore, updatesOf } from './entry.js';
import { moveOldLayout } from './layoutMigration.js';
import { COMPACT_SCRIPT, PURGE_SCRIPT } from './scripts.js';
import { StreamFollower } from './StreamFollower.js';

/** Redis operations timed for the `tandem_redis_seconds` histogram. */
export type RedisOperation = 'append' | 'load' | 'compact' | 'records' | 'list' | 'purge';

export interface RedisDocStoreOptions {
  /** `redis://host:port[/db]`, as ioredis takes it. */
  url: string;
  /** This server instance's ID: written into each entry it appends. */
  instanceId: string;
  /** Key prefix (default `tandem`): lets several deployments, or tests, share one Redis. */
  keyPrefix?: string;
  /** Told the round-trip time of every Redis operation. */
  observe?: (operation: RedisOperation, seconds: number) => void;
  /** How long compaction keeps covered entries for other instances' followers (default 10 s; tests set 0). */
  trimMarginMs?: number;
}

interface ListingRecord {
  title: string | null;
  size: number;
  updatedAt: string;
}

/** What the store knows of one document it has loaded. */
interface DocState {
  /** The last stream ID loaded or delivered: everything up to it is in the caller's hands. */
  position: string;
  /** Appends of this instance to the document that Redis has not answered yet. */
  inFlight: number;
  /** The ID of the last entry this instance appended to the document. */
  lastOwnId: string | undefined;
  /** The entries the last load returned, each with the count of updates up to its end (for mergeLog). */
  loadedEntries: Array<{ id: string; updatesThrough: number }>;
  onAppend: ((append: FollowedAppend) => void) | undefined;
}

/**
 * How long compaction leaves covered entries in a stream, so that the other instances' followers,
 * a few milliseconds behind, read them instead of fetching the snapshot (see scripts.ts).
 */
const TRIM_MARGIN_MS = 10_000;
/** How often readiness pings Redis, and how long a ping may take before the store counts as unavailable. */
const HEALTH_INTERVAL_MS = 1000;

export class RedisDocStore implements DocStore {
  readonly keys: RedisKeys;
  private readonly docs = new Map<string, DocState>();
  private readonly follower: StreamFollower;
  private closed = false;
  /** The last health ping was answered in time (see isOpen). */
  private answering = true;
  private readonly healthTimer: NodeJS.Timeout;
  /** How many keys of the layout before buckets the open moved (layoutMigration.ts). */
  movedFromOldLayout = 0;

  private constructor(
    /** For commands: fails at once while disconnected, never queues. */
    readonly redis: RedisClient,
    private readonly options: RedisDocStoreOptions,
  ) {
    this.keys = new RedisKeys(options.keyPrefix ?? 'tandem');
    this.follower = new StreamFollower(redis, this.keys, options.instanceId, {
      positions: () => [...this.docs].filter(([, doc]) => doc.onAppend).map(([name, doc]) => [name, doc.position]),
      entries: (name, entries) => this.delivered(name, entries),
    }, redis instanceof Cluster);
    this.healthTimer = setInterval(() => void this.checkHealth(), HEALTH_INTERVAL_MS);
    this.healthTimer.unref();
  }

  /**
   * Ping Redis: a connection that is down, or up but not answering (a hung Redis), counts as
   * unavailable. On a cluster every bucket's slot is asked (a cheap EXISTS, sent to the master
   * serving it): a dead master may have left the client's list of nodes, but not its slots.
   */
  private async checkHealth(): Promise<void> {
    if (this.redis.status !== 'ready') return;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), HEALTH_INTERVAL_MS)));
    const asked = this.redis instanceof Cluster ? Promise.all(ALL_BUCKETS.map((bucket) => this.redis.exists(this.keys.docs(bucket)))) : this.redis.ping();
    const answered = asked.then(() => true, () => false);
    this.answering = await Promise.race([answered, late]);
    clearTimeout(timer);
  }

  /**
   * Connect (failing after a few seconds if Redis cannot be reached), move data of the layout
   * before buckets (layoutMigration.ts), and start following.
   */
  static async open(options: RedisDocStoreOptions): Promise<RedisDocStore> {
    let redis: RedisClient;
    try {
      redis = await connectRedis(options.url, `tandem:${options.instanceId}`);
    } catch (error) {
      throw new Error(`cannot reach Redis at ${redactUrl(options.url)}: ${(error as Error).message}`, { cause: error });
    }
    const store = new RedisDocStore(redis, options);
    try {
      store.movedFromOldLayout = await moveOldLayout(redis, store.keys);
      await store.follower.start();
    } catch (error) {
      await store.close();
      throw error;
    }
    return store;
  }

  /** Connected and answering: false while Redis (or one master of a cluster) is unreachable or hung (then /readyz fails). */
  isOpen(): boolean {
    return !this.closed && this.redis.status === 'ready' && this.answering;
  }

  /** The instance ID written into this store's entries. */
  get instanceId(): string {
    return this.options.instanceId;
  }

  async load(name: string): Promise<StoredDoc> {
    this.assertOpen();
    const results = await this.timed('load', () =>
      this.redis.multi().hmgetBuffer(this.keys.snapshot(name), 'data', 'upto').xrangeBuffer(this.keys.log(name), '-', '+').getBuffer(this.keys.stateVector(name)).exec(),
    );
    const [[snapshot, upto], entries, stateVector] = unwrap(results) as [[Buffer | null, Buffer | null], Array<[Buffer, Buffer[]]>, Buffer | null];
    const logUpdates: Uint8Array[] = [];
    const loadedEntries: DocState['loadedEntries'] = [];
    for (const [id, fields] of entries) {
      if (upto && !streamIdAfter(id.toString(), upto.toString())) continue; // kept for laggards, in the snapshot already
      if (trimmedBefore(fields)) continue;
      logUpdates.push(...updatesOf(fields));
      loadedEntries.push({ id: id.toString(), updatesThrough: logUpdates.length });
    }
    const lastId = loadedEntries[loadedEntries.length - 1]?.id ?? upto?.toString() ?? STREAM_START;
    const known = this.docs.get(name);
    this.docs.set(name, { position: lastId, inFlight: 0, lastOwnId: undefined, loadedEntries, onAppend: known?.onAppend });
    const logBytes = logUpdates.reduce((sum, u) => sum + u.byteLength, 0);
    return {
      updates: snapshot ? [snapshot, ...logUpdates] : logUpdates,
      stateVector: stateVector ?? undefined,
      logCount: logUpdates.length,
      logBytes,
      totalBytes: logBytes + (snapshot?.byteLength ?? 0),
    };
  }

  async append(appends: DocAppend[]): Promise<void> {
    this.assertOpen();
    const updatedAt = new Date().toISOString();
    /** Each bucket's commands, and which of them is each document's XADD. */
    const buckets = new Map<number, { commands: RedisCommand[]; added: Array<{ doc: DocState | undefined; index: number }> }>();
    for (const { name, updates, stateVector, summary } of appends) {
      const bucket = bucketOf(name);
      let batch = buckets.get(bucket);
      if (!batch) buckets.set(bucket, (batch = { commands: [], added: [] }));
      const { commands, added } = batch;
      if (updates.length > 0) {
        const doc = this.docs.get(name);
        if (doc) doc.inFlight++;
        added.push({ doc, index: commands.length });
        commands.push(['xadd', this.keys.log(name), '*', ...entryFields(this.options.instanceId, updates)]);
      }
      if (stateVector) commands.push(['set', this.keys.stateVector(name), Buffer.from(stateVector)]);
      if (summary) commands.push(['hset', this.keys.docsOf(name), name, JSON.stringify({ title: summary.title, size: summary.totalBytes, updatedAt } satisfies ListingRecord)]);
    }
    const batches = [...buckets.values()].filter(({ commands }) => commands.length > 0);
    if (batches.length === 0) return;
    const written = await this.timed('append', () =>
      Promise.allSettled(
        batches.map(async ({ commands, added }) => {
          let results: CommandResults | null = null;
          try {
            results = await this.runAtomically(commands);
          } finally {
            for (const { doc, index } of added) {
              if (!doc) continue;
              doc.inFlight--;
              const id = results?.[index]?.[1];
              if (typeof id === 'string') doc.lastOwnId = id;
            }
          }
          unwrap(results);
        }),
      ),
    );
    // Stored only when every bucket's write is: a failure fails the whole append (what did reach
    // Redis is there for good, and applying it again when the client resends changes nothing).
    for (const result of written) if (result.status === 'rejected') throw result.reason;
  }

  /** One bucket's commands as one atomic write: a single command as it is (most turns: one XADD), several in one MULTI. */
  private runAtomically(commands: RedisCommand[]): Promise<CommandResults | null> {
    if (commands.length === 1) return this.redis.call(...commands[0]!).then((value): CommandResults => [[null, value]]);
    return this.redis.multi(commands).exec();
  }

  follow(name: string, onAppend: (append: FollowedAppend) => void): () => void {
    const doc = this.docs.get(name) ?? { position: STREAM_START, inFlight: 0, lastOwnId: undefined, loadedEntries: [], onAppend: undefined };
    doc.onAppend = onAppend;
    this.docs.set(name, doc);
    this.follower.changed(name);
    return () => {
      if (this.docs.get(name)?.onAppend === onAppend) doc.onAppend = undefined;
    };
  }

  /**
   * The follower read entries of a document: deliver the others' updates, consecutive ones together
   * (the room applies them in one transaction), skipping our own.
   */
  private async delivered(name: string, entries: ReadonlyArray<[Buffer, Buffer[]]>): Promise<void> {
    let pending: FollowedAppend | undefined;
    const flush = (doc: DocState): void => {
      if (pending && doc.onAppend) doc.onAppend(pending);
      pending = undefined;
    };
    for (const [rawId, fields] of entries) {
      const doc = this.docs.get(name);
      const id = rawId.toString();
      // An entry the last load already returned (the document was loaded again while this XREAD ran).
      if (!doc?.onAppend || !streamIdAfter(id, doc.position)) continue;
      const trimmed = trimmedBefore(fields);
      if (trimmed && streamIdAfter(trimmed, nextStreamId(doc.position))) {
        flush(doc);
        await this.catchUp(name, doc, id);
        continue;
      }
      doc.position = id;
      const updates = updatesOf(fields);
      if (instanceOf(fields) === this.options.instanceId || updates.length === 0) continue; // relayed by this instance right after its XADD
      // Unanswered appends count as ahead: Redis orders them after what is delivered now, or very nearly.
      const ownEntriesAhead = doc.inFlight > 0 || (doc.lastOwnId !== undefined && streamIdAfter(doc.lastOwnId, id));
      if (pending && pending.ownEntriesAhead !== ownEntriesAhead) flush(doc);
      if (pending) pending.updates.push(...updates);
      else pending = { updates, ownEntriesAhead };
    }
    const doc = this.docs.get(name);
    if (doc) flush(doc);
  }

  /**
   * A compaction removed entries this instance had not read yet: deliver the snapshot, which holds
   * them (and the rest of the document), then go on after the marker.
   */
  private async catchUp(name: string, doc: DocState, markerId: string): Promise<void> {
    let snapshot: Buffer | null;
    try {
      snapshot = await this.redis.hgetBuffer(this.keys.snapshot(name), 'data');
    } catch {
      return; // Redis went away: the follower reads the marker again once it is back
    }
    if (this.docs.get(name) !== doc || !doc.onAppend) return;
    doc.position = markerId;
    if (snapshot) doc.onAppend({ updates: [snapshot], ownEntriesAhead: false, whole: true });
  }

  async compact(name: string, snapshot: Uint8Array, stateVector: Uint8Array, title: string | null): Promise<void> {
    this.assertOpen();
    const position = this.docs.get(name)?.position ?? STREAM_START;
    const listing = JSON.stringify({ title, size: snapshot.byteLength, updatedAt: new Date().toISOString() } satisfies ListingRecord);
    await this.runCompaction(name, snapshot, stateVector, position, this.options.instanceId, listing);
  }

  async namesWithLog(): Promise<string[]> {
    this.assertOpen();
    // SCAN walks one node: on a cluster, every master.
    const keys = (await Promise.all(masters(this.redis).map((node) => scanAll(node, this.keys.logPattern)))).flat();
    const withLog = await Promise.all(
      groupByBucket(keys.map((key) => this.keys.nameOf(key))).map(async (names) => {
        // One pipeline per bucket: a pipeline's keys must share a slot on a cluster.
        const uptos = this.redis.pipeline();
        for (const name of names) uptos.hget(this.keys.snapshot(name), 'upto');
        const covered = unwrap(await uptos.exec()) as Array<string | null>;
        // Entries after what the snapshot covers (compaction keeps some covered ones, and its markers).
        const after = this.redis.pipeline();
        names.forEach((name, i) => after.xrangeBuffer(this.keys.log(name), covered[i] ? `(${covered[i]}` : '-', '+'));
        const entries = unwrap(await after.exec()) as Array<Array<[Buffer, Buffer[]]>>;
        return names.filter((_, i) => entries[i]!.some(([, fields]) => updatesOf(fields).length > 0));
      }),
    );
    return withLog.flat();
  }

  async mergeLog(name: string, merged: Uint8Array, logCount: number, stateVector: Uint8Array): Promise<void> {
    this.assertOpen();
    const loaded = this.docs.get(name)?.loadedEntries;
    if (!loaded) throw new Error(`mergeLog(${name}): load the document first`);
    // Whole entries only: an entry merged in part stays, and applying it again changes nothing.
    const upto = loaded.filter((entry) => entry.updatesThrough <= logCount).pop()?.id;
    if (upto !== undefined) await this.runCompaction(name, merged, stateVector, upto, '', '');
  }

  private async runCompaction(name: string, snapshot: Uint8Array, stateVector: Uint8Array, position: string, instance: string, listing: string): Promise<void> {
    const keys = [this.keys.snapshot(name), this.keys.log(name), this.keys.stateVector(name), this.keys.docsOf(name)];
    const args = [Buffer.from(snapshot), Buffer.from(stateVector), position, instance, name, listing, this.options.trimMarginMs ?? TRIM_MARGIN_MS];
    const covered = (await this.timed('compact', () => this.redis.eval(COMPACT_SCRIPT, keys.length, ...keys, ...args))) as string | null;
    // The caller holds everything up to what its snapshot covered (our own entries after the
    // position): the next compaction starts from there, and the follower skips nothing it needs.
    const doc = this.docs.get(name);
    if (covered && instance && doc && streamIdAfter(covered, doc.position)) doc.position = covered;
  }

  async putRecord(name: string, kind: string, id: string, value: Uint8Array): Promise<void> {
    this.assertOpen();
    checkRecordKey(kind, id);
    unwrap(await this.timed('records', () => this.redis.multi().sadd(this.keys.kinds(name), kind).hset(this.keys.records(name, kind), id, Buffer.from(value)).exec()));
  }

  async getRecord(name: string, kind: string, id: string): Promise<Uint8Array | undefined> {
    this.assertOpen();
    checkRecordKey(kind, id);
    return (await this.timed('records', () => this.redis.hgetBuffer(this.keys.records(name, kind), id))) ?? undefined;
  }

  async listRecords(name: string, kind: string): Promise<DocRecord[]> {
    this.assertOpen();
    checkRecordKey(kind);
    const all = await this.timed('records', () => this.redis.hgetallBuffer(this.keys.records(name, kind)));
    return Object.keys(all)
      .sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)))
      .map((id) => ({ id, value: all[id]! }));
  }

  async deleteRecords(name: string, kind: string, ids: readonly string[]): Promise<void> {
    this.assertOpen();
    for (const id of ids) checkRecordKey(kind, id);
    if (ids.length === 0) return;
    await this.timed('records', () => this.redis.hdel(this.keys.records(name, kind), ...ids));
  }

  async purge(name: string): Promise<void> {
    this.assertOpen();
    const keys = [this.keys.log(name), this.keys.snapshot(name), this.keys.stateVector(name), this.keys.kinds(name), this.keys.docsOf(name)];
    await this.timed('purge', () => this.redis.eval(PURGE_SCRIPT, keys.length, ...keys, this.keys.records(name, ''), name));
    this.release(name);
  }

  release(name: string): void {
    if (this.docs.delete(name)) this.follower.changed(name);
  }

  async list(): Promise<DocInfo[]> {
    this.assertOpen();
    const listings = await this.timed('list', () => Promise.all(ALL_BUCKETS.map((bucket) => this.redis.hgetall(this.keys.docs(bucket)))));
    return listings
      .flatMap((listing) => Object.entries(listing))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([name, json]) => {
        const { title, size, updatedAt } = JSON.parse(json) as ListingRecord;
        return { name, title, size, updatedAt };
      });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.healthTimer);
    await this.follower.stop();
    await this.redis.quit().catch(() => this.redis.disconnect());
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('the Redis store is closed');
  }

  private async timed<T>(operation: RedisOperation, run: () => Promise<T>): Promise<T> {
    const started = performance.now();
    const result = await run();
    this.options.observe?.(operation, (performance.now() - started) / 1000);
    return result;
  }
}

type RedisCommand = [command: string, ...args: Array<string | Buffer>];
type CommandResults = Array<[Error | null, unknown]>;

/** Document names grouped by bucket (so by hash slot). */
function groupByBucket(names: readonly string[]): string[][] {
  const groups = new Map<number, string[]>();
  for (const name of names) {
    const bucket = bucketOf(name);
    const group = groups.get(bucket);
    if (group) group.push(name);
    else groups.set(bucket, [name]);
  }
  return [...groups.values()];
}

/** The results of a MULTI or pipeline, throwing the first error (or that the transaction was dropped). */
function unwrap(results: Array<[Error | null, unknown]> | null): unknown[] {
  if (!results) throw new Error('the Redis transaction was aborted');
  return results.map(([error, value]) => {
    if (error) throw error;
    return value;
  });
}

/** A Redis URL without its password, for messages. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(an invalid URL)';
  }
}
