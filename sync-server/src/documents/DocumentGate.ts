/**
 * Whether a connection may open a document now, beyond what its token says: not when the document
 * is in the trash (HTTP 410 at the upgrade, close 4410 once connected), and not with a token minted
 * from a share link that has since been rotated (HTTP 403, close 4411). Trashing a document and
 * rotating a link close the connections they shut out, here on this server.
 *
 * A connection checked before a trash or a rotation and admitted after it would slip through: the
 * check reads storage, and the closing sweep only finds connections that are already open. So each
 * trash and rotation bumps the document's epoch, and a connection is admitted only if the epoch is
 * the one its check saw ({@link DocumentGate.stillCurrent}, read in the same turn as it is added).
 *
 * In cluster mode another instance may trash the document or rotate the link: the state is in the
 * shared store, so every instance refuses new connections at once, and {@link DocumentGate.recheck}
 * (run every few seconds there) closes the open connections it shut out.
 */
import { CloseCode, type CloseCodeEntry, LINK_PURPOSES, type LinkClaim, type LinkPurpose, isRevokedLink } from '@tandem/protocol';
import type { Logger } from 'pino';
import type { Connection } from '../Connection.js';
import type { ServerStats } from '../metrics.js';
import type { LinkGenerations } from './LinkGenerations.js';
import type { TrashIndex } from './TrashIndex.js';

/** Why a connection may not open a document: the HTTP status at the upgrade, the close code after it. */
export interface GateRefusal {
  status: 403 | 410;
  close: CloseCodeEntry;
  /** For the client (HTTP body) and the metrics. */
  reason: 'document-deleted' | 'link-revoked';
}

export const DOCUMENT_DELETED: GateRefusal = { status: 410, close: CloseCode.DocumentDeleted, reason: 'document-deleted' };
export const LINK_REVOKED: GateRefusal = { status: 403, close: CloseCode.LinkRevoked, reason: 'link-revoked' };

/** Documents whose state {@link DocumentGate.recheck} reads at once. */
const RECHECK_BATCH = 100;

/** The outcome of {@link DocumentGate.check}: a refusal, or the epoch to confirm at admission. */
export type GateCheck = { refusal: GateRefusal } | { refusal: undefined; epoch: number };

export class DocumentGate {
  /** Bumped by every trash and rotation of a document on this server (absent: 0). */
  private readonly epochs = new Map<string, number>();

  constructor(
    private readonly trash: TrashIndex,
    private readonly links: LinkGenerations,
    /** Every open connection of this server. */
    private readonly connections: ReadonlySet<Connection>,
    private readonly logger: Logger,
    private readonly stats: ServerStats,
  ) {}

  /** Whether a connection whose token carries `link` (if any) may open `docName`. */
  async check(docName: string, link: LinkClaim | undefined): Promise<GateCheck> {
    const epoch = this.epochs.get(docName) ?? 0;
    const [trashed, generations] = await Promise.all([this.trash.get(docName), link ? this.links.get(docName) : undefined]);
    const refusal = trashed ? DOCUMENT_DELETED : link && generations && isRevokedLink(link, generations) ? LINK_REVOKED : undefined;
    if (refusal) this.stats.reject(refusal.reason);
    return refusal ? { refusal } : { refusal: undefined, epoch };
  }

  /** True when a token carrying `link` was minted from a link that has been rotated since (HTTP requests ask this). */
  async revoked(docName: string, link: LinkClaim): Promise<boolean> {
    const revoked = isRevokedLink(link, await this.links.get(docName));
    if (revoked) this.stats.reject(LINK_REVOKED.reason);
    return revoked;
  }

  /** False when the document was trashed or a link rotated here since a check that saw `epoch`. */
  stillCurrent(docName: string, epoch: number): boolean {
    return (this.epochs.get(docName) ?? 0) === epoch;
  }

  /** The document went to the trash: close every connection to it. Returns how many were closed. */
  documentDeleted(docName: string): number {
    this.bump(docName);
    return this.closeWhere(docName, () => true, DOCUMENT_DELETED);
  }

  /** `purpose`'s link is at `generation` now: close the connections of tokens minted from an older one. */
  linkRotated(docName: string, purpose: LinkPurpose, generation: number): number {
    this.bump(docName);
    return this.closeWhere(docName, ({ identity: { link } }) => link?.purpose === purpose && link.generation < generation, LINK_REVOKED);
  }

  /**
   * Close the open connections a trash or a rotation elsewhere shut out: read, for every document
   * this server has connections to, whether it is in the trash and its link generations.
   */
  async recheck(): Promise<void> {
    const docs = new Set<string>();
    for (const conn of this.connections) if (!conn.closed) docs.add(conn.docName);
    const names = [...docs];
    for (let start = 0; start < names.length; start += RECHECK_BATCH) {
      await Promise.all(names.slice(start, start + RECHECK_BATCH).map((name) => this.recheckDocument(name)));
    }
  }

  private async recheckDocument(docName: string): Promise<void> {
    if (await this.trash.get(docName)) return void this.documentDeleted(docName);
    const generations = await this.links.get(docName);
    for (const purpose of LINK_PURPOSES) {
      const stale = (conn: Connection): boolean => conn.identity.link?.purpose === purpose && conn.identity.link.generation < generations[purpose];
      if ([...this.connections].some((conn) => conn.docName === docName && !conn.closed && stale(conn))) this.linkRotated(docName, purpose, generations[purpose]);
    }
  }

  private bump(docName: string): void {
    this.epochs.set(docName, (this.epochs.get(docName) ?? 0) + 1);
  }

  private closeWhere(docName: string, matches: (conn: Connection) => boolean, refusal: GateRefusal): number {
    let closed = 0;
    for (const conn of this.connections) {
      if (conn.docName !== docName || conn.closed || !matches(conn)) continue;
      conn.close(refusal.close);
      closed++;
    }
    if (closed > 0) this.logger.info({ doc: docName, closed, reason: refusal.reason }, 'closed connections shut out of the document');
    return closed;
  }
}
