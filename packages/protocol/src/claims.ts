/**
 * The claims of a sync-server token (a JWT signed with HS256), as an app mints them and the sync
 * server checks them, and the shortest secret either accepts. See PROTOCOL.md, Authentication.
 */
import type { LinkClaim } from './linkClaim.js';

/** What a token allows on its documents: changing them (`write`) or only reading them (`read`). */
export type Access = 'read' | 'write';

export function isAccess(value: unknown): value is Access {
  return value === 'read' || value === 'write';
}

/** The payload of a sync-server token. */
export interface TokenClaims {
  /** Who: a stable ID chosen by the app that minted the token. */
  sub: string;
  /** Display name. */
  name?: string;
  /** A document name, or a prefix ending in `*` (see `docClaimCovers`). */
  doc: string;
  access: Access;
  /** Expiry, seconds since the epoch. */
  exp: number;
  /** Issued at, seconds since the epoch. */
  iat?: number;
  /** Token ID; tokens without one are told apart by their hash. */
  jti?: string;
  /** The share link the token was minted from (see linkClaim.ts). */
  link?: LinkClaim;
}

/** The shortest HS256 secret the sync server and the app accept, in characters. */
export const MIN_SECRET_LENGTH = 16;

/** Why `secret` cannot sign tokens, or undefined when it can. */
export function secretProblem(secret: string): string | undefined {
  return secret.length < MIN_SECRET_LENGTH ? `must be at least ${MIN_SECRET_LENGTH} characters (32 random bytes is better)` : undefined;
}
