/**
 * Following other instances' updates: dedicated connections run XREAD BLOCK over the streams of
 * the documents the instance has loaded, each from the last ID it saw, and hand every entry over
 * in stream order.
 *
 * On one Redis primary ONE reader reads every followed document's stream in one XREAD (the fan-out's
 * hot path: one round trip however many documents). A Redis Cluster refuses an XREAD whose streams
 * lie in several hash slots, so there each bucket (keys.ts: one slot) has a reader of its own, on its
 * own connection: BUCKET_COUNT of them, all started at once so that a document followed later is
 * read as soon as on a single primary (a connection made then would let its first entries pile up).
 *
 * When the set of followed documents changes, the blocked XREAD must start again with the new
 * set. A reader wakes itself through a stream of its own (`<p>:{bNN}:wake:<instance>`, in its
 * bucket's slot), read in the same XREAD: an XADD to it returns the XREAD at once, and, unlike
 * CLIENT UNBLOCK, an XADD that reaches Redis just before the XREAD does is not lost (the XREAD finds
 * the entry and returns).
 *
 * A reader's connection keeps its one command across a Redis outage (offline queue on, unlimited
 * retries) and sends it again on reconnect with the same IDs; after any error the next XREAD starts
 * from the last IDs delivered: nothing is skipped and nothing delivered twice.
 */
import { type RedisClient, openWaitingDuplicate } from './connect.js';
import { ALL_BUCKETS, type RedisKeys, STREAM_START, bucketOf } from './keys.js';

/** What the follower reads for, and hands entries to. */
export interface FollowerSink {
  /** The documents to follow now, each with the last stream ID already in hand. */
  positions(): Array<[name: string, id: string]>;
  /**
   * A document's entries from one read, in stream order (usually one; several when it was busy);
   * the next read waits while a returned promise settles.
   */
  entries(name: string, entries: ReadonlyArray<[id: Buffer, fields: Buffer[]]>): void | Promise<void>;
}

/** Longest one XREAD blocks: a bound on how long a lost wake-up could delay a newly followed document. */
const BLOCK_MS = 2000;
/** Entries read per stream per XREAD. */
const COUNT = 500;
/** A wait before trying again after an unexpected error, so a broken connection does not spin. */
const RETRY_MS = 100;

/** The one reader of a single primary: it reads every bucket, and wakes through bucket 0's key. */
const EVERY_BUCKET = -1;

/** One blocking XREAD loop on its own connection, over the followed documents of one bucket (or all). */
class Reader {
  private wakeId = STREAM_START;
  private running: Promise<void> | undefined;
  private stopped = false;
  private connection: RedisClient | undefined;
  /** A wake-up could not be sent (Redis unreachable): send one once the command connection is back. */
  wakeOwed = false;

  constructor(
    private readonly command: RedisClient,
    readonly wakeKey: string,
    private readonly connectionName: string,
    /** This reader's documents, each with the last stream ID in hand, as stream keys. */
    private readonly streams: () => Array<[stream: string, id: string]>,
    private readonly deliver: (stream: string, entries: ReadonlyArray<[Buffer, Buffer[]]>) => void | Promise<void>,
  ) {}

  async start(): Promise<void> {
    // Wake-ups a previous run left would only cost an extra XREAD: no need to fail over them.
    await this.command.del(this.wakeKey).catch(() => {});
    if (this.stopped) return;
    this.connection = openWaitingDuplicate(this.command, this.connectionName);
    this.running = this.loop(this.connection);
  }

  wake(): void {
    if (this.stopped) return;
    this.wakeOwed = false;
    this.command.xadd(this.wakeKey, 'MAXLEN', '~', 16, '*', 'w', '1').catch(() => {
      this.wakeOwed = true;
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.connection?.disconnect();
    await this.running;
    await this.command.del(this.wakeKey).catch(() => {});
  }

  private async loop(connection: RedisClient): Promise<void> {
    while (!this.stopped) {
      const streams = this.streams();
      let reply: Array<[Buffer, Array<[Buffer, Buffer[]]>]> | null;
      try {
        reply = (await connection.xreadBuffer('COUNT', COUNT, 'BLOCK', BLOCK_MS, 'STREAMS', ...streams.map(([stream]) => stream), this.wakeKey, ...streams.map(([, id]) => id), this.wakeId)) as typeof reply;
      } catch {
        if (this.stopped) return;
        await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
        continue;
      }
      for (const [key, entries] of reply ?? []) {
        const stream = key.toString();
        if (stream === this.wakeKey) {
          this.wakeId = entries[entries.length - 1]![0].toString();
          continue;
        }
        const handled = this.deliver(stream, entries);
        if (handled) await handled;
      }
    }
  }
}

export class StreamFollower {
  /** By bucket on a cluster; the one reader under EVERY_BUCKET on a single primary. */
  private readonly readers = new Map<number, Reader>();
  private stopped = false;

  constructor(
    private readonly command: RedisClient,
    private readonly keys: RedisKeys,
    private readonly instanceId: string,
    private readonly sink: FollowerSink,
    /** One reader per bucket (a Redis Cluster) instead of one for everything. */
    private readonly perBucket: boolean,
  ) {
    command.on('ready', () => {
      for (const reader of this.readers.values()) if (reader.wakeOwed) reader.wake();
    });
  }

  /** Start the readers: one per bucket on a cluster, the one reader on a single primary. */
  async start(): Promise<void> {
    await Promise.all((this.perBucket ? ALL_BUCKETS : [EVERY_BUCKET]).map((bucket) => this.startReader(bucket)));
  }

  /** The followed set changed (`name` followed or released): have the blocked XREAD start again with it. */
  changed(name: string): void {
    if (this.stopped) return;
    this.readers.get(this.perBucket ? bucketOf(name) : EVERY_BUCKET)?.wake();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all([...this.readers.values()].map((reader) => reader.stop()));
  }

  private startReader(bucket: number): Promise<void> {
    const inBucket = (name: string): boolean => bucket === EVERY_BUCKET || bucketOf(name) === bucket;
    const reader = new Reader(
      this.command,
      this.keys.wake(this.instanceId, bucket === EVERY_BUCKET ? 0 : bucket),
      `tandem:${this.instanceId}:follow${bucket === EVERY_BUCKET ? '' : `:${bucket}`}`,
      () => this.sink.positions().flatMap(([name, id]) => (inBucket(name) ? [[this.keys.log(name), id] as [string, string]] : [])),
      (stream, entries) => this.sink.entries(this.keys.nameOf(stream), entries),
    );
    this.readers.set(bucket, reader);
    return reader.start();
  }
}
