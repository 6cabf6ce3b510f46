/**
 * Share links that can be revoked one document at a time.
 *
 * An app that hands out links (Tandem's app does: an edit link and a view-only link per document)
 * keys each link with a per-document, per-purpose **generation**, kept by the sync server beside
 * the document (`GET /api/docs/<doc>`, rotated by `POST /api/docs/<doc>/links/<purpose>/rotate`).
 * Rotating a purpose's generation makes a new key, so the old links stop opening the document.
 * Every token minted from a link says which one, in the {@link LINK_CLAIM} claim:
 * `"link": { "purpose": "read", "generation": 2 }`. The sync server refuses a token whose
 * generation is older than the document's (HTTP 403 at the upgrade) and closes the connections
 * of such tokens when the generation is rotated (close code 4411, LinkRevoked). Tokens without
 * the claim are not link tokens and are not affected.
 */

/** Which of a document's links: the edit link (`write`) or the view-only link (`read`). */
export type LinkPurpose = 'read' | 'write';

export const LINK_PURPOSES: readonly LinkPurpose[] = ['read', 'write'];

/** The JWT claim naming the link a token was minted from. */
export const LINK_CLAIM = 'link';

/** The value of the {@link LINK_CLAIM} claim. */
export interface LinkClaim {
  purpose: LinkPurpose;
  /** The document's generation for `purpose` when the token was minted: 0 until first rotated. */
  generation: number;
}

/** A document's current link generations, one per purpose. */
export interface LinkGenerations {
  read: number;
  write: number;
}

export const INITIAL_LINK_GENERATIONS: Readonly<LinkGenerations> = { read: 0, write: 0 };

export function isLinkPurpose(value: unknown): value is LinkPurpose {
  return value === 'read' || value === 'write';
}

/** True for a whole number from 0 up to 2^31: what a generation may be. */
export function isLinkGeneration(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 2 ** 31;
}

/**
 * The link claim of a token's payload: undefined when there is none, `'invalid'` when there is
 * one but it is not a {@link LinkClaim} (a token to refuse, not to treat as a link-less one).
 */
export function readLinkClaim(payload: Record<string, unknown>): LinkClaim | undefined | 'invalid' {
  const value = payload[LINK_CLAIM];
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null) return 'invalid';
  const { purpose, generation } = value as Record<string, unknown>;
  return isLinkPurpose(purpose) && isLinkGeneration(generation) ? { purpose, generation } : 'invalid';
}

/** True when a token with `claim` was minted from a link that has since been rotated. */
export function isRevokedLink(claim: LinkClaim, current: LinkGenerations): boolean {
  return claim.generation < current[claim.purpose];
}
