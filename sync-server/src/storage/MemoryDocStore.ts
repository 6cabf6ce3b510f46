import { type DocAppend, type DocInfo, type DocRecord, type DocStore, type StoredDoc, checkRecordKey } from './DocStore.js';

/** What a MemoryDocStore holds for one document. */
interface MemoryDoc {
  snapshot: Uint8Array | undefined;
  log: Uint8Array[];
  stateVector: Uint8Array | undefined;
  summary: { title: string | null; size: number; updatedAt: string } | undefined;
  /** Records by kind, then id. */
  records: Map<string, Map<string, Uint8Array>>;
}

/**
 * The documents a MemoryDocStore holds. A store closed and opened again on the same contents sees
 * what the first one stored, as a database reopened on the same directory would.
 */
export type MemoryContents = Map<string, MemoryDoc>;

/** A private copy: a caller may reuse the buffer it appended from (a database copies too). */
const copy = (bytes: Uint8Array): Uint8Array => bytes.slice();

/**
 * A DocStore in process memory: nothing survives the process. For tests and tools that need a
 * store and not durability; it keeps the same contract as the LevelDB backend (DocStore.contract.ts).
 */
export class MemoryDocStore implements DocStore {
  private open = true;

  /** `contents` from an earlier store to see what it stored; a fresh, empty one by default. */
  constructor(readonly contents: MemoryContents = new Map()) {}

  isOpen(): boolean {
    return this.open;
  }

  async load(name: string): Promise<StoredDoc> {
    this.assertOpen();
    const doc = this.contents.get(name);
    const log = doc?.log ?? [];
    const logBytes = log.reduce((sum, update) => sum + update.byteLength, 0);
    return {
      updates: doc?.snapshot ? [doc.snapshot, ...log] : [...log],
      stateVector: doc?.stateVector,
      logCount: log.length,
      logBytes,
      totalBytes: logBytes + (doc?.snapshot?.byteLength ?? 0),
    };
  }

  async append(appends: DocAppend[]): Promise<void> {
    this.assertOpen();
    // Copy everything first, so a bad append changes nothing (the batch is atomic).
    const copies = appends.map(({ name, updates, stateVector, summary }) => ({
      doc: this.docFor(name),
      updates: updates.map(copy),
      stateVector: stateVector && copy(stateVector),
      summary: summary && { title: summary.title, size: summary.totalBytes, updatedAt: new Date().toISOString() },
    }));
    for (const { doc, updates, stateVector, summary } of copies) {
      doc.log.push(...updates);
      if (stateVector) doc.stateVector = stateVector;
      if (summary) doc.summary = summary;
    }
  }

  async compact(name: string, snapshot: Uint8Array, stateVector: Uint8Array, title: string | null): Promise<void> {
    this.assertOpen();
    const doc = this.docFor(name);
    doc.snapshot = copy(snapshot);
    doc.stateVector = copy(stateVector);
    doc.log = [];
    doc.summary = { title, size: snapshot.byteLength, updatedAt: new Date().toISOString() };
  }

  async namesWithLog(): Promise<string[]> {
    this.assertOpen();
    return [...this.contents].filter(([, doc]) => doc.log.length > 0).map(([name]) => name);
  }

  async mergeLog(name: string, merged: Uint8Array, logCount: number, stateVector: Uint8Array): Promise<void> {
    this.assertOpen();
    const doc = this.docFor(name);
    doc.snapshot = copy(merged);
    doc.stateVector = copy(stateVector);
    doc.log = doc.log.slice(logCount);
  }

  async putRecord(name: string, kind: string, id: string, value: Uint8Array): Promise<void> {
    this.assertOpen();
    checkRecordKey(kind, id);
    const records = this.docFor(name).records;
    let ofKind = records.get(kind);
    if (!ofKind) records.set(kind, (ofKind = new Map<string, Uint8Array>()));
    ofKind.set(id, copy(value));
  }

  async getRecord(name: string, kind: string, id: string): Promise<Uint8Array | undefined> {
    this.assertOpen();
    checkRecordKey(kind, id);
    const value = this.contents.get(name)?.records.get(kind)?.get(id);
    return value && copy(value);
  }

  async listRecords(name: string, kind: string): Promise<DocRecord[]> {
    this.assertOpen();
    checkRecordKey(kind);
    const ofKind = this.contents.get(name)?.records.get(kind);
    if (!ofKind) return [];
    return [...ofKind].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([id, value]) => ({ id, value: copy(value) }));
  }

  async deleteRecords(name: string, kind: string, ids: readonly string[]): Promise<void> {
    this.assertOpen();
    for (const id of ids) checkRecordKey(kind, id);
    const ofKind = this.contents.get(name)?.records.get(kind);
    for (const id of ids) ofKind?.delete(id);
  }

  async purge(name: string): Promise<void> {
    this.assertOpen();
    this.contents.delete(name);
  }

  release(): void {
    // Nothing is cached per document: the contents are the storage.
  }

  async list(): Promise<DocInfo[]> {
    this.assertOpen();
    const listed: DocInfo[] = [];
    for (const [name, { summary }] of this.contents) if (summary) listed.push({ name, ...summary });
    return listed.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  async close(): Promise<void> {
    this.open = false;
  }

  private docFor(name: string): MemoryDoc {
    let doc = this.contents.get(name);
    if (!doc) this.contents.set(name, (doc = { snapshot: undefined, log: [], stateVector: undefined, summary: undefined, records: new Map() }));
    return doc;
  }

  private assertOpen(): void {
    if (!this.open) throw new Error('the memory store is closed');
  }
}
