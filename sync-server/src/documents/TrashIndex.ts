/**
 * Which documents are in the trash: one record per trashed document, kept through the DocStore's
 * records API beside {@link SERVER_RECORDS}, a name no document can have (it is not a valid
 * document name, so no connection can open it and it is never listed). One place to read means
 * the listing finds every trashed document with one read, however many documents exist, and a
 * store shared by several sync servers (cluster mode) shows the same trash to all of them.
 *
 * The document itself is left exactly as it was — text, history, images and its other records —
 * so restoring is only removing its entry here.
 */
import { createHash } from 'node:crypto';
import type { DocStore } from '../storage/DocStore.js';

/** The pseudo-document whose records are the server's own (`~` is outside document names). */
export const SERVER_RECORDS = '~server';
const TRASH_KIND = 'trash';

/** One trashed document. */
export interface TrashRecord {
  name: string;
  /** Milliseconds since the epoch. */
  deletedAt: number;
  /** Who moved it there (a token's `name` or `sub`); null in open mode. */
  deletedBy: string | null;
}

const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder();

/**
 * A record id for a document name: names run to 200 characters and record ids to 128, so the id
 * is a hash of the name (the record holds the name itself).
 */
export function trashRecordId(name: string): string {
  return createHash('sha256').update(name).digest('base64url');
}

export class TrashIndex {
  constructor(private readonly store: DocStore) {}

  /** The document's trash entry, or undefined when it is not in the trash. */
  async get(name: string): Promise<TrashRecord | undefined> {
    const value = await this.store.getRecord(SERVER_RECORDS, TRASH_KIND, trashRecordId(name));
    return value && decode(value);
  }

  async put(record: TrashRecord): Promise<void> {
    await this.store.putRecord(SERVER_RECORDS, TRASH_KIND, trashRecordId(record.name), utf8.encode(JSON.stringify(record)));
  }

  async remove(name: string): Promise<void> {
    await this.store.deleteRecords(SERVER_RECORDS, TRASH_KIND, [trashRecordId(name)]);
  }

  /** Every trashed document. */
  async all(): Promise<TrashRecord[]> {
    const records = await this.store.listRecords(SERVER_RECORDS, TRASH_KIND);
    return records.map(({ value }) => decode(value)).filter((record): record is TrashRecord => record !== undefined);
  }
}

/** A record as written by {@link TrashIndex.put}; undefined for anything else (never thrown: the listing must go on). */
function decode(value: Uint8Array): TrashRecord | undefined {
  try {
    const { name, deletedAt, deletedBy } = JSON.parse(fromUtf8.decode(value)) as Record<string, unknown>;
    if (typeof name !== 'string' || typeof deletedAt !== 'number') return undefined;
    return { name, deletedAt, deletedBy: typeof deletedBy === 'string' ? deletedBy : null };
  } catch {
    return undefined;
  }
}
