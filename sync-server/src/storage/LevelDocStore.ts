import { ClassicLevel } from 'classic-level';
import type { DocAppend, DocInfo, DocStore, StoredDoc } from './DocStore.js';
import { DOC_PREFIX, META_PREFIX, docNameOfKey, logKey, logPrefix, metaKey, prefixEnd, seqFromLogKey, snapshotKey, stateVectorKey } from './keys.js';

type Db = ClassicLevel<string, Uint8Array>;
type BatchOp = { type: 'put'; key: string; value: Uint8Array } | { type: 'del'; key: string };

interface MetaRecord {
  title: string | null;
  size: number;
  updatedAt: string;
}

const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder();
const encodeMeta = (record: MetaRecord): Uint8Array => utf8.encode(JSON.stringify(record));

/** The LevelDB backend (classic-level): one database holds every document. */
export class LevelDocStore implements DocStore {
  /** Next log sequence number per loaded document, learned at load or first append; dropped on release. */
  private readonly nextSeq = new Map<string, number>();
  /**
   * First log sequence number per loaded document (the log is contiguous from it to nextSeq), so
   * compaction deletes the merged keys without reading them back. Learned at load; dropped on release.
   */
  private readonly firstSeq = new Map<string, number>();

  private constructor(
    private readonly db: Db,
    private readonly fsync: boolean,
  ) {}

  /** Open (creating if needed) the database in `dataDir`. */
  static async open(dataDir: string, options: { fsync?: boolean } = {}): Promise<LevelDocStore> {
    const db: Db = new ClassicLevel(dataDir, { keyEncoding: 'utf8', valueEncoding: 'view' });
    await db.open({ createIfMissing: true });
    return new LevelDocStore(db, options.fsync ?? false);
  }

  isOpen(): boolean {
    return this.db.status === 'open';
  }

  async load(name: string): Promise<StoredDoc> {
    const [snapshot, stateVector] = await this.db.getMany([snapshotKey(name), stateVectorKey(name)]);
    const log = await this.db.iterator({ gte: logPrefix(name), lt: prefixEnd(logPrefix(name)) }).all();
    const last = log[log.length - 1];
    const nextSeq = last ? seqFromLogKey(last[0]) + 1 : 0;
    this.nextSeq.set(name, nextSeq);
    this.firstSeq.set(name, log[0] ? seqFromLogKey(log[0][0]) : nextSeq);
    const logUpdates = log.map(([, value]) => value);
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
      for (const update of updates) ops.push({ type: 'put', key: logKey(name, seq++), value: update });
      this.nextSeq.set(name, seq);
      if (stateVector) ops.push({ type: 'put', key: stateVectorKey(name), value: stateVector });
      if (summary) {
        const record = { title: summary.title, size: summary.totalBytes, updatedAt: new Date().toISOString() };
        ops.push({ type: 'put', key: metaKey(name), value: encodeMeta(record) });
      }
    }
    await this.db.batch(ops, { sync: this.fsync });
  }

  async compact(name: string, snapshot: Uint8Array, stateVector: Uint8Array, title: string | null): Promise<void> {
    // Only the log keys that exist now are merged; appends that land later keep higher seqs.
    await this.replaceLog(name, await this.logSeqs(name), [
      { type: 'put', key: snapshotKey(name), value: snapshot },
      { type: 'put', key: stateVectorKey(name), value: stateVector },
      { type: 'put', key: metaKey(name), value: encodeMeta({ title, size: snapshot.byteLength, updatedAt: new Date().toISOString() }) },
    ]);
  }

  async namesWithLog(): Promise<string[]> {
    const names = new Set<string>();
    for (const key of await this.db.keys({ gte: DOC_PREFIX, lt: prefixEnd(DOC_PREFIX) }).all()) {
      const name = docNameOfKey(key);
      if (key.startsWith(logPrefix(name))) names.add(name);
    }
    return [...names];
  }

  async mergeLog(name: string, merged: Uint8Array, logCount: number, stateVector: Uint8Array): Promise<void> {
    const seqs = (await this.logSeqs(name)).slice(0, logCount);
    await this.replaceLog(name, seqs, [
      { type: 'put', key: snapshotKey(name), value: merged },
      { type: 'put', key: stateVectorKey(name), value: stateVector },
    ]);
  }

  release(name: string): void {
    this.nextSeq.delete(name);
    this.firstSeq.delete(name);
  }

  async list(): Promise<DocInfo[]> {
    const entries = await this.db.iterator({ gte: META_PREFIX, lt: prefixEnd(META_PREFIX) }).all();
    return entries.map(([key, value]) => {
      const meta = JSON.parse(fromUtf8.decode(value)) as MetaRecord;
      return { name: key.slice(META_PREFIX.length), title: meta.title, size: meta.size, updatedAt: meta.updatedAt };
    });
  }

  close(): Promise<void> {
    return this.db.close();
  }

  /**
   * The sequence numbers of a document's log entries stored now: from the range learned at load
   * (no read), or read back for a document this store has not loaded.
   */
  private async logSeqs(name: string): Promise<number[]> {
    const first = this.firstSeq.get(name);
    const end = this.nextSeq.get(name);
    if (first !== undefined && end !== undefined) return range(first, end);
    const keys = await this.db.keys({ gte: logPrefix(name), lt: prefixEnd(logPrefix(name)) }).all();
    return keys.map(seqFromLogKey);
  }

  /** Write `puts` and delete the log entries `seqs` (the oldest ones) in one atomic batch. */
  private async replaceLog(name: string, seqs: number[], puts: BatchOp[]): Promise<void> {
    const deletes = seqs.map((seq): BatchOp => ({ type: 'del', key: logKey(name, seq) }));
    await this.db.batch([...puts, ...deletes], { sync: this.fsync });
    const last = seqs[seqs.length - 1];
    if (last !== undefined && this.firstSeq.has(name)) this.firstSeq.set(name, last + 1);
  }

  private async lastSeq(name: string): Promise<number> {
    const [last] = await this.db.keys({ gte: logPrefix(name), lt: prefixEnd(logPrefix(name)), reverse: true, limit: 1 }).all();
    return last ? seqFromLogKey(last) : -1;
  }
}

/** The integers from `start` up to (not including) `end`. */
const range = (start: number, end: number): number[] => Array.from({ length: Math.max(0, end - start) }, (_, i) => start + i);
