/**
 * An append-only log file in front of a slower store, as databases' write-ahead logs are: each
 * record goes to the file in one synchronous write() (the page cache keeps it through a SIGKILL of
 * the process; with `fsync` an fdatasync() per record keeps it through a power loss), and later, in
 * the background, its contents are moved into the store and the file is deleted.
 *
 * The log is a series of segment files `tandem-wal-<n>` (names LevelDB leaves alone, so they can
 * sit in its directory). A checkpoint closes the current segment and starts the next one, so
 * writes go on while the closed ones are moved. A record is `[length u32 LE][crc32 u32 LE][body]`;
 * replay stops at the first record that is short or fails its checksum (a write torn by a crash).
 */
import { closeSync, fdatasyncSync, fsyncSync, ftruncateSync, openSync, readFileSync, readdirSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';

const PREFIX = 'tandem-wal-';
const HEADER_BYTES = 8;

/** What a replay found in one segment. */
export interface ReplayedSegment {
  id: number;
  /** The bodies of the whole records, in order. */
  records: Uint8Array[];
  /** Bytes after the last whole record (a torn write), dropped. */
  tornBytes: number;
}

export class WriteAheadLog {
  private fd: number;
  /** Segments closed (or left by an earlier process) and not yet removed. */
  private readonly closedIds: number[];
  /** Bytes in the current segment: a failed write is cut back to it. */
  private size = 0;

  private currentId: number;

  private constructor(
    private readonly dir: string,
    leftIds: number[],
    firstId: number,
    private readonly fsync: boolean,
  ) {
    this.closedIds = leftIds;
    this.currentId = firstId;
    this.fd = this.create(firstId);
  }

  /**
   * Read every segment left in `dir` (oldest first), then start a new one numbered after them and
   * after `usedThrough` (the last id the caller has seen used, so a number is never reused). The
   * caller moves the records into its store and then calls `removeThrough` for the replayed ids.
   */
  static open(dir: string, options: { fsync: boolean; usedThrough: number }): { log: WriteAheadLog; replayed: ReplayedSegment[] } {
    const ids = readdirSync(dir)
      .filter((name) => name.startsWith(PREFIX) && /^\d+$/.test(name.slice(PREFIX.length)))
      .map((name) => Number(name.slice(PREFIX.length)))
      .sort((a, b) => a - b);
    const replayed = ids.map((id) => ({ id, ...parseSegment(readFileSync(join(dir, PREFIX + id))) }));
    const log = new WriteAheadLog(dir, ids, Math.max(ids[ids.length - 1] ?? 0, options.usedThrough) + 1, options.fsync);
    return { log, replayed };
  }

  /** The segment being written. */
  get segment(): number {
    return this.currentId;
  }

  /**
   * Append one record and return once write() (and with fsync, fdatasync()) has. On failure the
   * segment is cut back to its last whole record, so no torn record sits before later ones.
   */
  append(body: Uint8Array): void {
    const record = Buffer.allocUnsafe(HEADER_BYTES + body.byteLength);
    record.writeUInt32LE(body.byteLength, 0);
    record.writeUInt32LE(crc32(body), 4);
    record.set(body, HEADER_BYTES);
    try {
      let written = 0;
      while (written < record.byteLength) written += writeSync(this.fd, record, written);
      if (this.fsync) fdatasyncSync(this.fd);
    } catch (error) {
      ftruncateSync(this.fd, this.size);
      throw error;
    }
    this.size += record.byteLength;
  }

  /** Close the current segment and start the next; returns the id of the closed one. */
  rotate(): number {
    const closed = this.currentId;
    const next = this.create(closed + 1);
    closeSync(this.fd);
    this.fd = next;
    this.currentId = closed + 1;
    this.size = 0;
    this.closedIds.push(closed);
    return closed;
  }

  /** Delete every closed segment up to and including `id` (their records are in the store now). */
  removeThrough(id: number): void {
    while (this.closedIds[0] !== undefined && this.closedIds[0] <= id) rmSync(this.pathOf(this.closedIds.shift()!), { force: true });
  }

  /** Close the file; with `remove`, delete the current segment too (everything in it is stored). */
  close(remove: boolean): void {
    closeSync(this.fd);
    if (remove) rmSync(this.pathOf(this.currentId), { force: true });
  }

  /** Open a new segment; with fsync its directory entry is made durable too, or a power loss could lose the file. */
  private create(id: number): number {
    const fd = openSync(this.pathOf(id), 'a');
    if (this.fsync) {
      const dirFd = openSync(this.dir, 'r');
      try {
        fsyncSync(dirFd);
      } finally {
        closeSync(dirFd);
      }
    }
    return fd;
  }

  private pathOf(id: number): string {
    return join(this.dir, PREFIX + id);
  }
}

/** The whole records of a segment's bytes, and how many bytes after them are torn. */
export function parseSegment(bytes: Uint8Array): { records: Uint8Array[]; tornBytes: number } {
  const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const records: Uint8Array[] = [];
  let at = 0;
  while (at + HEADER_BYTES <= view.byteLength) {
    const length = view.readUInt32LE(at);
    const end = at + HEADER_BYTES + length;
    if (end > view.byteLength) break;
    const body = view.subarray(at + HEADER_BYTES, end);
    if (crc32(body) !== view.readUInt32LE(at + 4)) break;
    records.push(body);
    at = end;
  }
  return { records, tornBytes: view.byteLength - at };
}
