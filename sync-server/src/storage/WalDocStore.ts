/**
 * The LevelDB store with a write-ahead log in front of its appends. An append is one synchronous
 * write() of one record to the log file (no hand-off to LevelDB's thread pool, no second wake-up
 * of the event loop when it lands); about once a second the records are moved into LevelDB in the
 * background, in one batch, and their log segment is deleted. Every other operation (load,
 * compaction, listing...) first moves what the log holds into LevelDB, then runs there.
 *
 * The promise is the LevelDB store's: an append that resolved survives a SIGKILL of the process
 * (the page cache holds what write() returned), and with `fsync` a power loss (fdatasync() per
 * append). At open, what the log holds is stored in LevelDB before anything else runs.
 */
import type { DocAppend, DocInfo, DocStore, StoredDoc } from './DocStore.js';
import { LevelDocStore } from './LevelDocStore.js';
import { type WalTurn, decodeWalTurn, encodeWalTurn } from './walRecord.js';
import { WriteAheadLog } from './WriteAheadLog.js';

export interface WalDocStoreOptions {
  /** fdatasync() every append, and write LevelDB batches synchronously: survives a power loss. */
  fsync?: boolean;
  /** How long appended records may wait in the log before they are moved into LevelDB (default 1 s). */
  checkpointAfterMs?: number;
  /** Or how many bytes of them, whichever comes first (default 4 MiB). */
  checkpointAfterBytes?: number;
  /** Told what a replay at open dropped: the torn tail of a write that a crash interrupted. */
  onTornRecord?: (segment: number, bytes: number) => void;
  /** Told when a background checkpoint failed (the records stay in the log; the next one retries). */
  onCheckpointError?: (error: Error) => void;
}

export class WalDocStore implements DocStore {
  /** Records appended since the last checkpoint began, decoded when they are moved. */
  private unstored: Uint8Array[] = [];
  private unstoredBytes = 0;
  private checkpointing: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  private constructor(
    private readonly level: LevelDocStore,
    private readonly log: WriteAheadLog,
    private readonly options: WalDocStoreOptions,
  ) {}

  /** Open the LevelDB store in `dataDir`, store what its write-ahead log holds, and start a new log. */
  static async open(dataDir: string, options: WalDocStoreOptions = {}): Promise<WalDocStore> {
    const fsync = options.fsync ?? false;
    const level = await LevelDocStore.open(dataDir, { fsync });
    try {
      const alreadyStored = await level.storedWalSegment();
      const { log, replayed } = WriteAheadLog.open(dataDir, { fsync, usedThrough: alreadyStored });
      const toStore = replayed.filter(({ id }) => id > alreadyStored);
      for (const { id, tornBytes } of toStore) if (tornBytes > 0) options.onTornRecord?.(id, tornBytes);
      const last = replayed[replayed.length - 1];
      if (toStore.length > 0) await level.storeWalTurns(toStore.flatMap(({ records }) => records.map(decodeWalTurn)), last!.id);
      if (last) log.removeThrough(last.id);
      return new WalDocStore(level, log, options);
    } catch (error) {
      await level.close();
      throw error;
    }
  }

  isOpen(): boolean {
    return !this.closed && this.level.isOpen();
  }

  async append(appends: DocAppend[]): Promise<void> {
    if (this.closed) throw new Error('the store is closed');
    const record = encodeWalTurn({ appends, at: Date.now() });
    this.log.append(record);
    this.unstored.push(record);
    this.unstoredBytes += record.byteLength;
    if (this.unstoredBytes >= (this.options.checkpointAfterBytes ?? 4 * 1024 * 1024)) void this.checkpointInBackground();
    else this.timer ??= setTimeout(() => void this.checkpointInBackground(), this.options.checkpointAfterMs ?? 1000).unref();
  }

  async load(name: string): Promise<StoredDoc> {
    await this.checkpoint();
    return this.level.load(name);
  }

  async compact(name: string, snapshot: Uint8Array, stateVector: Uint8Array, title: string | null): Promise<void> {
    await this.checkpoint();
    return this.level.compact(name, snapshot, stateVector, title);
  }

  async namesWithLog(): Promise<string[]> {
    await this.checkpoint();
    return this.level.namesWithLog();
  }

  async mergeLog(name: string, merged: Uint8Array, logCount: number, stateVector: Uint8Array): Promise<void> {
    await this.checkpoint();
    return this.level.mergeLog(name, merged, logCount, stateVector);
  }

  release(name: string): void {
    this.level.release(name);
  }

  async list(): Promise<DocInfo[]> {
    await this.checkpoint();
    return this.level.list();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.timer);
    let stored = false;
    try {
      await this.checkpoint();
      stored = true;
    } finally {
      // A log that could not be stored stays on disk: the next open stores it.
      this.log.close(stored);
      await this.level.close();
    }
  }

  /**
   * Move every record appended so far into LevelDB (one batch) and delete their segments; waits
   * for a checkpoint in flight first. Records appended meanwhile go to the next segment.
   */
  private async checkpoint(): Promise<void> {
    while (this.checkpointing) await this.checkpointing.catch(() => {});
    if (this.unstored.length === 0) return;
    clearTimeout(this.timer);
    this.timer = undefined;
    const records = this.unstored;
    this.unstored = [];
    this.unstoredBytes = 0;
    const segment = this.log.rotate();
    this.checkpointing = (async () => {
      try {
        const turns: WalTurn[] = records.map(decodeWalTurn);
        await this.level.storeWalTurns(turns, segment);
        this.log.removeThrough(segment);
      } catch (error) {
        // Still in the log: the next checkpoint moves them with what came after.
        this.unstored = [...records, ...this.unstored];
        this.unstoredBytes += records.reduce((sum, record) => sum + record.byteLength, 0);
        throw error;
      } finally {
        this.checkpointing = undefined;
      }
    })();
    return this.checkpointing;
  }

  private async checkpointInBackground(): Promise<void> {
    try {
      await this.checkpoint();
    } catch (error) {
      // The records stay in the log; the next checkpoint (timer, size or any other operation) retries.
      this.options.onCheckpointError?.(error as Error);
      if (!this.closed) this.timer ??= setTimeout(() => void this.checkpointInBackground(), this.options.checkpointAfterMs ?? 1000).unref();
    }
  }
}
