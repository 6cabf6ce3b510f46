import leveldown, { type BatchOp, type IteratorOptions, type LevelDown } from 'leveldown';
import { mkdir } from 'node:fs/promises';
import type { DocAppend, DocInfo, DocStore, StoredDoc } from './DocStore.js';
import { DOC_PREFIX, META_PREFIX, docNameOfKey, logKey, logPrefix, metaKey, prefixEnd, seqFromLogKey, snapshotKey, stateVectorKey } from './keys.js';

/** leveldown stores a plain Uint8Array as its String() form; wrap it (no copy) as a Buffer. */
const asBuffer = (bytes: Uint8Array): Buffer => (Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));

interface MetaRecord {
  title: string | null;
  size: number;
  updatedAt: string;
}

/** The LevelDB backend: one database holds every document. */
export class LevelDocStore implements DocStore {
  /** Next log sequence number per loaded document, learned at load or first append; dropped on release. */
  private readonly nextSeq = new Map<string, number>();
  /**
   * First log sequence number per loaded document (the log is contiguous from it to nextSeq), so
   * compaction deletes the merged keys without reading them back. Learned at load; dropped on release.
   */
  private readonly firstSeq = new Map<string, number>();

  private constructor(
    private readonly db: LevelDown,
    private readonly fsync: boolean,
  ) {}

  /** Open (creating if needed) the database in `dataDir`. */
  static async open(dataDir: string, options: { fsync?: boolean } = {}): Promise<LevelDocStore> {
    await mkdir(dataDir, { recursive: true });
    const db = leveldown(dataDir);
    await new Promise<void>((resolve, reject) => db.open({ createIfMissing: true }, (err) => (err ? reject(err) : resolve())));
    return new LevelDocStore(db, options.fsync ?? false);
  }

  isOpen(): boolean {
    return this.db.status === 'open';
  }

  async load(name: string): Promise<StoredDoc> {
    const snapshot = await this.get(snapshotKey(name));
    const stateVector = await this.get(stateVectorKey(name));
    const log = await this.range({ gte: logPrefix(name), lt: prefixEnd(logPrefix(name)) });
    const last = log[log.length - 1];
    const nextSeq = last ? seqFromLogKey(last.key) + 1 : 0;
    this.nextSeq.set(name, nextSeq);
    this.firstSeq.set(name, log[0] ? seqFromLogKey(log[0].key) : nextSeq);
    const logUpdates = log.map((entry) => entry.value);
    const logBytes = logUpdates.reduce((sum, u) => sum + u.byteLength, 0);
    return {
      updates: snapshot ? [snapshot, ...logUpdates] : logUpdates,
      stateVector,
      logCount: logUpdates.length,
      logBytes,
      totalBytes: logBytes + (snapshot?.byteLength ?? 0),
    };
  }

  async append(appends: DocAppend[]): Promise<void> {
    const ops: BatchOp[] = [];
    for (const { name, updates, stateVector, summary } of appends) {
      let seq = this.nextSeq.get(name) ?? (await this.lastSeq(name)) + 1;
      for (const update of updates) ops.push({ type: 'put', key: logKey(name, seq++), value: asBuffer(update) });
      this.nextSeq.set(name, seq);
      if (stateVector) ops.push({ type: 'put', key: stateVectorKey(name), value: asBuffer(stateVector) });
      if (summary) {
        const record: MetaRecord = { title: summary.title, size: summary.totalBytes, updatedAt: new Date().toISOString() };
        ops.push({ type: 'put', key: metaKey(name), value: JSON.stringify(record) });
      }
    }
    await this.batch(ops);
  }

  async compact(name: string, snapshot: Uint8Array, stateVector: Uint8Array, title: string | null): Promise<void> {
    // Only the log keys that exist now are merged; appends that land later keep higher seqs.
    await this.replaceLog(name, await this.logSeqs(name), [
      { type: 'put', key: snapshotKey(name), value: asBuffer(snapshot) },
      { type: 'put', key: stateVectorKey(name), value: asBuffer(stateVector) },
      { type: 'put', key: metaKey(name), value: JSON.stringify({ title, size: snapshot.byteLength, updatedAt: new Date().toISOString() } satisfies MetaRecord) },
    ]);
  }

  async namesWithLog(): Promise<string[]> {
    const names = new Set<string>();
    for (const { key } of await this.range({ gte: DOC_PREFIX, lt: prefixEnd(DOC_PREFIX), values: false })) {
      const name = docNameOfKey(key);
      if (key.startsWith(logPrefix(name))) names.add(name);
    }
    return [...names];
  }

  async mergeLog(name: string, merged: Uint8Array, logCount: number, stateVector: Uint8Array): Promise<void> {
    const seqs = (await this.logSeqs(name)).slice(0, logCount);
    await this.replaceLog(name, seqs, [
      { type: 'put', key: snapshotKey(name), value: asBuffer(merged) },
      { type: 'put', key: stateVectorKey(name), value: asBuffer(stateVector) },
    ]);
  }

  release(name: string): void {
    this.nextSeq.delete(name);
    this.firstSeq.delete(name);
  }

  async list(): Promise<DocInfo[]> {
    const entries = await this.range({ gte: META_PREFIX, lt: prefixEnd(META_PREFIX) });
    return entries.map(({ key, value }) => {
      const meta = JSON.parse(Buffer.from(value).toString('utf8')) as MetaRecord;
      return { name: key.slice(META_PREFIX.length), title: meta.title, size: meta.size, updatedAt: meta.updatedAt };
    });
  }

  close(): Promise<void> {
    if (this.db.status !== 'open') return Promise.resolve();
    return new Promise((resolve, reject) => this.db.close((err) => (err ? reject(err) : resolve())));
  }

  /**
   * The sequence numbers of a document's log entries stored now: from the range learned at load
   * (no read), or read back for a document this store has not loaded.
   */
  private async logSeqs(name: string): Promise<number[]> {
    const first = this.firstSeq.get(name);
    const end = this.nextSeq.get(name);
    if (first !== undefined && end !== undefined) return range(first, end);
    const keys = await this.range({ gte: logPrefix(name), lt: prefixEnd(logPrefix(name)), values: false });
    return keys.map(({ key }) => seqFromLogKey(key));
  }

  /** Write `puts` and delete the log entries `seqs` (the oldest ones) in one atomic batch. */
  private async replaceLog(name: string, seqs: number[], puts: BatchOp[]): Promise<void> {
    await this.batch([...puts, ...seqs.map((seq): BatchOp => ({ type: 'del', key: logKey(name, seq) }))]);
    const last = seqs[seqs.length - 1];
    if (last !== undefined && this.firstSeq.has(name)) this.firstSeq.set(name, last + 1);
  }

  private async lastSeq(name: string): Promise<number> {
    const [last] = await this.range({ gte: logPrefix(name), lt: prefixEnd(logPrefix(name)), reverse: true, limit: 1, values: false });
    return last ? seqFromLogKey(last.key) : -1;
  }

  /** leveldown can crash the process when used after close; refuse with an error instead. */
  private assertOpen(): void {
    if (this.db.status !== 'open') throw new Error(`LevelDB is ${this.db.status}`);
  }

  private batch(ops: BatchOp[]): Promise<void> {
    this.assertOpen();
    return new Promise((resolve, reject) => this.db.batch(ops, { sync: this.fsync }, (err) => (err ? reject(err) : resolve())));
  }

  private get(key: string): Promise<Uint8Array | undefined> {
    this.assertOpen();
    return new Promise((resolve, reject) =>
      this.db.get(key, { asBuffer: true }, (err, value) => {
        if (err) {
          if (/NotFound/i.test(err.message)) resolve(undefined);
          else reject(err);
        } else resolve(value);
      }),
    );
  }

  private range(options: IteratorOptions): Promise<Array<{ key: string; value: Uint8Array }>> {
    this.assertOpen();
    const iterator = this.db.iterator({ keyAsBuffer: false, valueAsBuffer: true, ...options });
    const out: Array<{ key: string; value: Uint8Array }> = [];
    return new Promise((resolve, reject) => {
      const step = (): void =>
        iterator.next((err, key, value) => {
          if (err) return iterator.end(() => reject(err));
          if (key === undefined) return iterator.end((endErr) => (endErr ? reject(endErr) : resolve(out)));
          out.push({ key: key as string, value: value as Buffer });
          step();
        });
      step();
    });
  }
}

/** The integers from `start` up to (not including) `end`. */
const range = (start: number, end: number): number[] => Array.from({ length: Math.max(0, end - start) }, (_, i) => start + i);
