/**
 * Versions of a document, kept as records beside it in the DocStore (so on every backend):
 *   `version/<id>`          a small JSON description: time, kind, label, authors, size, and the
 *                           hash of its content;
 *   `version-state/<hash>`  the whole Yjs state of the document at that time, deflated (a third of
 *                           its size: bench/versions.mjs), stored once per distinct content (a hash
 *                           of the title and the ProseMirror body), however many versions share it.
 * Ids are the creation time in hex and a random suffix, so the store's id order is time order.
 * Writes of one document's versions run one after the other (retention must not delete a state a
 * version being written refers to).
 */
import { type DocumentContent, readDocumentUpdate, toProseMirrorJSON } from '@tandem/document';
import { VERSION_KINDS, type VersionAuthor, type VersionInfo, type VersionKind } from '@tandem/protocol';
import { createHash, randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { deflateRaw, inflateRaw } from 'node:zlib';
import type { Logger } from 'pino';
import type { DocStore } from '../storage/DocStore.js';
import { type RetentionPolicy, versionsToDrop } from './retention.js';

export const VERSION_KIND = 'version';
export const VERSION_STATE_KIND = 'version-state';

/** A version's description as stored: what the API lists, and which state holds its content. */
interface StoredVersion extends VersionInfo {
  /** The id of its `version-state` record: the hash of its content. */
  state: string;
}

/** A checkpoint to keep: the document's whole state, and why and by whom it was made. */
export interface Checkpoint {
  kind: VersionKind;
  label?: string;
  authors: VersionAuthor[];
  /** `Y.encodeStateAsUpdate` of the document. */
  state: Uint8Array;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();
// Off the event loop (libuv's thread pool): a state is hundreds of kilobytes for a long document.
const deflate = promisify(deflateRaw);
const inflate = promisify(inflateRaw);

export class VersionStore {
  /** The version writes in progress, by document: each waits for the one before. */
  private readonly writing = new Map<string, Promise<unknown>>();

  constructor(
    private readonly store: DocStore,
    private readonly retention: RetentionPolicy,
    private readonly logger: Logger,
  ) {}

  /** Every version of `docName`, newest first (an empty list for a document without any). */
  async list(docName: string): Promise<VersionInfo[]> {
    return (await this.descriptions(docName)).reverse().map(publicInfo);
  }

  /** The content of one version; undefined when `docName` has no version `id`. */
  async content(docName: string, id: string): Promise<DocumentContent | undefined> {
    const version = await this.describe(docName, id);
    if (!version) return undefined;
    const stored = await this.store.getRecord(docName, VERSION_STATE_KIND, version.state);
    if (!stored) throw new Error(`version ${id} of ${docName} has lost its state ${version.state}`);
    return readDocumentUpdate(await inflate(stored));
  }

  /**
   * Keep a checkpoint, then apply the retention policy. An automatic checkpoint whose content is
   * the newest version's is not kept (undefined); any other version shares the stored state of an
   * identical one.
   */
  save(docName: string, checkpoint: Checkpoint, now = Date.now()): Promise<VersionInfo | undefined> {
    const previous = this.writing.get(docName) ?? Promise.resolve();
    const saved = previous.catch(() => {}).then(() => this.saveNow(docName, checkpoint, now));
    this.writing.set(docName, saved);
    const forget = (): void => {
      if (this.writing.get(docName) === saved) this.writing.delete(docName);
    };
    saved.then(forget, forget);
    return saved;
  }

  private async saveNow(docName: string, checkpoint: Checkpoint, now: number): Promise<VersionInfo | undefined> {
    const hash = contentHash(readDocumentUpdate(checkpoint.state));
    const versions = await this.descriptions(docName);
    if (checkpoint.kind === 'auto' && versions.at(-1)?.state === hash) return undefined;
    const shared = versions.find((v) => v.state === hash);
    let bytes = shared?.bytes;
    if (bytes === undefined) {
      const deflated = await deflate(checkpoint.state);
      await this.store.putRecord(docName, VERSION_STATE_KIND, hash, deflated);
      bytes = deflated.byteLength;
    }
    const version: StoredVersion = {
      id: newVersionId(now),
      createdAt: new Date(now).toISOString(),
      kind: checkpoint.kind,
      ...(checkpoint.label !== undefined ? { label: checkpoint.label } : {}),
      authors: checkpoint.authors,
      bytes,
      state: hash,
    };
    await this.store.putRecord(docName, VERSION_KIND, version.id, encoder.encode(JSON.stringify(version)));
    await this.thin(docName, [...versions, version], now);
    return publicInfo(version);
  }

  /** Delete what the retention policy no longer keeps: descriptions, and states nothing refers to any more. */
  private async thin(docName: string, versions: StoredVersion[], now: number): Promise<void> {
    const drop = new Set(versionsToDrop(versions.map((v) => ({ id: v.id, kind: v.kind, createdAt: Date.parse(v.createdAt) })), now, this.retention));
    if (drop.size === 0) return;
    const kept = new Set(versions.filter((v) => !drop.has(v.id)).map((v) => v.state));
    const orphans = new Set(versions.filter((v) => drop.has(v.id) && !kept.has(v.state)).map((v) => v.state));
    await this.store.deleteRecords(docName, VERSION_KIND, [...drop]);
    if (orphans.size > 0) await this.store.deleteRecords(docName, VERSION_STATE_KIND, [...orphans]);
    this.logger.debug({ doc: docName, dropped: drop.size, states: orphans.size }, 'thinned automatic versions');
  }

  /** One version's description; undefined for an id that is not one (malformed ids included). */
  private async describe(docName: string, id: string): Promise<StoredVersion | undefined> {
    if (!VERSION_ID.test(id)) return undefined;
    const value = await this.store.getRecord(docName, VERSION_KIND, id);
    return value && this.parse(docName, id, value);
  }

  /** Every description of `docName`, oldest first. */
  private async descriptions(docName: string): Promise<StoredVersion[]> {
    const records = await this.store.listRecords(docName, VERSION_KIND);
    return records.flatMap(({ id, value }) => this.parse(docName, id, value) ?? []);
  }

  /** A stored description, or undefined (logged) when it is not one: a damaged record must not hide the others. */
  private parse(docName: string, id: string, value: Uint8Array): StoredVersion | undefined {
    try {
      const version = JSON.parse(decoder.decode(value)) as StoredVersion;
      if (version.id === id && VERSION_KINDS.includes(version.kind) && typeof version.state === 'string' && Array.isArray(version.authors)) return version;
    } catch {
      // reported below
    }
    this.logger.error({ doc: docName, version: id }, 'ignoring a damaged version record');
    return undefined;
  }
}

/** Version ids: creation time in milliseconds as 12 hex digits (sorts by time until the year 10889), a dash, 8 random hex digits. */
const VERSION_ID = /^[0-9a-f]{12}-[0-9a-f]{8}$/;

function newVersionId(now: number): string {
  return `${Math.floor(now).toString(16).padStart(12, '0')}-${randomBytes(4).toString('hex')}`;
}

/** What decides whether two versions are the same: the title and the body, not the Yjs history behind them. */
function contentHash(content: DocumentContent): string {
  return createHash('sha256').update(JSON.stringify({ title: content.title, body: toProseMirrorJSON(content.body) })).digest('base64url');
}

function publicInfo({ id, createdAt, kind, label, authors, bytes }: StoredVersion): VersionInfo {
  return { id, createdAt, kind, ...(label !== undefined ? { label } : {}), authors, bytes };
}
