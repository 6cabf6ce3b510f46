/**
 * Following other instances' updates: one dedicated connection per instance runs XREAD BLOCK over
 * the streams of every document the instance has loaded, each from the last ID it saw, and hands
 * every entry over in stream order.
 *
 * When the set of followed documents changes, the blocked XREAD must start again with the new
 * set. The follower wakes itself through a stream of its own (`<p>:wake:<instance>`), read in the
 * same XREAD: an XADD to it returns the XREAD at once, and, unlike CLIENT UNBLOCK, an XADD that
 * reaches Redis just before the XREAD does is not lost (the XREAD finds the entry and returns).
 *
 * The connection keeps its one command across a Redis outage (offline queue on, unlimited retries)
 * and sends it again on reconnect with the same IDs: nothing is skipped and nothing delivered twice.
 */
import type { Redis } from 'ioredis';
import { type RedisKeys, STREAM_START } from './keys.js';

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

export class StreamFollower {
  private reader: Redis | undefined;
  private wakeId = STREAM_START;
  private running: Promise<void> | undefined;
  private stopped = false;
  /** A wake-up could not be sent (Redis unreachable): send one once the command connection is back. */
  private wakeOwed = false;

  constructor(
    private readonly command: Redis,
    private readonly keys: RedisKeys,
    private readonly instanceId: string,
    private readonly sink: FollowerSink,
  ) {
    command.on('ready', () => {
      if (this.wakeOwed) this.changed();
    });
  }

  private get wakeKey(): string {
    return this.keys.wake(this.instanceId);
  }

  async start(): Promise<void> {
    await this.command.del(this.wakeKey);
    this.reader = this.command.duplicate({ enableOfflineQueue: true, maxRetriesPerRequest: null, commandTimeout: undefined, lazyConnect: false, connectionName: `tandem:${this.instanceId}:follow` });
    this.reader.on('error', () => {}); // it reconnects by itself; the command connection reports outages
    this.running = this.loop(this.reader);
  }

  /** The followed set changed: have the blocked XREAD start again with it. */
  changed(): void {
    if (this.stopped || !this.reader) return;
    this.wakeOwed = false;
    this.command.xadd(this.wakeKey, 'MAXLEN', '~', 16, '*', 'w', '1').catch(() => {
      this.wakeOwed = true;
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.reader?.disconnect();
    await this.running;
    await this.command.del(this.wakeKey).catch(() => {});
  }

  private async loop(reader: Redis): Promise<void> {
    while (!this.stopped) {
      const positions = this.sink.positions();
      const streams = positions.map(([name]) => this.keys.log(name));
      let reply: Array<[Buffer, Array<[Buffer, Buffer[]]>]> | null;
      try {
        reply = (await reader.xreadBuffer('COUNT', COUNT, 'BLOCK', BLOCK_MS, 'STREAMS', ...streams, this.wakeKey, ...positions.map(([, id]) => id), this.wakeId)) as typeof reply;
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
        const handled = this.sink.entries(this.keys.nameOf(stream), entries);
        if (handled) await handled;
      }
    }
  }
}
