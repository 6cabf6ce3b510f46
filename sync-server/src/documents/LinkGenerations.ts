/**
 * A document's share-link generations (see @tandem/protocol's linkClaim.ts), kept as a record
 * beside the document: every sync server sharing the store reads the same ones, and the app reads
 * them through `GET /api/docs/<doc>`. A document that was never rotated has no record (both 0).
 * Deleting the document for good deletes the record with it.
 */
import { INITIAL_LINK_GENERATIONS, type LinkGenerations as Generations, type LinkPurpose, isLinkGeneration } from '@tandem/protocol';
import type { DocStore } from '../storage/DocStore.js';

const KIND = 'links';
const ID = 'generations';

const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder();

export class LinkGenerations {
  constructor(private readonly store: DocStore) {}

  /** The current generations (0 and 0 for a document never rotated). */
  async get(name: string): Promise<Generations> {
    const value = await this.store.getRecord(name, KIND, ID);
    return value ? decode(value) : { ...INITIAL_LINK_GENERATIONS };
  }

  /**
   * Make a new generation of one purpose's link: its old links stop working. Two rotations at
   * once may both land on the same generation; either way the old one is gone.
   */
  async rotate(name: string, purpose: LinkPurpose): Promise<Generations> {
    const current = await this.get(name);
    const next = { ...current, [purpose]: current[purpose] + 1 };
    await this.store.putRecord(name, KIND, ID, utf8.encode(JSON.stringify(next)));
    return next;
  }
}

/**
 * The stored record. A record nobody can read is an error, not generation 0: taking it as 0 would
 * bring back every link rotated away.
 */
function decode(value: Uint8Array): Generations {
  const parsed = JSON.parse(fromUtf8.decode(value)) as Partial<Record<string, unknown>>;
  if (!isLinkGeneration(parsed.read) || !isLinkGeneration(parsed.write)) throw new Error('unreadable link generations record');
  return { read: parsed.read, write: parsed.write };
}
