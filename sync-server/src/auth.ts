/**
 * JWT authentication (HS256, verified with jose). A token grants one document, or every document
 * whose name starts with a prefix (`doc: "team-*"`), for reading or writing, until it expires.
 *
 * Beyond the signature and `exp`, a token must have a non-empty string `sub`, may not live longer
 * than the server's --max-token-lifetime from now (an `exp` of 1e20 is a key that never expires),
 * and may not be issued in the future (`iat` more than {@link CLOCK_SKEW_SECONDS} ahead).
 * Refusals carry a generic public message; the detail (jose's error text included) is for the log.
 */
import { type Access, type LinkClaim, docClaimCovers, isAccess, readLinkClaim } from '@tandem/protocol';
import { createHash } from 'node:crypto';
import { errors as joseErrors, jwtVerify } from 'jose';

export type { Access };

/** What a verified token allows. */
export interface Grant {
  userId: string;
  name: string | undefined;
  /** An exact document name, or a prefix ending in `*`. */
  doc: string;
  access: Access;
  /** Milliseconds since the epoch. */
  expiresAt: number;
  /** Identifies the token for per-token limits: its `sub` and `jti`, or its `sub` and a hash of it. */
  tokenKey: string;
  /** The share link the token was minted from, if any (see @tandem/protocol's linkClaim.ts). */
  link: LinkClaim | undefined;
}

/** How the server checks tokens. */
export interface TokenPolicy {
  secret: Uint8Array;
  /** Longest a token may still have to live when presented (seconds). */
  maxLifetimeSeconds: number;
}

/** How far in the future a token's `iat` may be: clocks of the minting backend and this server differ a little. */
export const CLOCK_SKEW_SECONDS = 60;

const PUBLIC_MESSAGES = {
  401: 'missing, invalid or expired token',
  403: 'token does not cover this document',
} as const;

/** A refusal: 401 for a missing, invalid or expired token, 403 for a document it does not cover. */
export class AuthError extends Error {
  override name = 'AuthError';
  /** What may be told to the client: the same for every refusal of one status. */
  readonly publicMessage: string;

  /**
   * @param detail Why, for the server's log only.
   * @param publicMessage What the client is told, when not the status's generic words.
   */
  constructor(
    readonly status: 401 | 403,
    readonly detail: string,
    publicMessage?: string,
  ) {
    super(detail);
    this.publicMessage = publicMessage ?? PUBLIC_MESSAGES[status];
  }
}

export const TOKEN_COOKIE = 'tandem_token';

/** Where a request's token came from. */
export type TokenSource = 'query' | 'bearer' | 'cookie';

export interface RequestToken {
  token: string;
  source: TokenSource;
}

/**
 * The token from `?token=`, an `Authorization: Bearer` header, or (only when `cookieAllowed`) the
 * `tandem_token` cookie. A browser sends a cookie with any site's request, so a cookie alone
 * proves nothing about who asked (cross-site WebSocket hijacking): see {@link cookieTokenAllowed}.
 */
export function tokenFromRequest(url: URL, headers: { authorization?: string; cookie?: string }, cookieAllowed: boolean): RequestToken | undefined {
  const fromQuery = url.searchParams.get('token');
  if (fromQuery) return { token: fromQuery, source: 'query' };
  const bearer = headers.authorization?.match(/^Bearer\s+(\S+)$/i)?.[1];
  if (bearer) return { token: bearer, source: 'bearer' };
  if (!cookieAllowed) return undefined;
  const cookie = tokenCookie(headers.cookie);
  return cookie === undefined ? undefined : { token: cookie, source: 'cookie' };
}

/** The `tandem_token` cookie's value, if the request carries one. */
export function tokenCookie(header: string | undefined): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === TOKEN_COOKIE && rest.length > 0) {
      // A garbled escape must be a 401 like any other bad token, not a URIError (HTTP 500).
      try {
        return decodeURIComponent(rest.join('='));
      } catch {
        return rest.join('=');
      }
    }
  }
  return undefined;
}

/**
 * Whether a cookie token may be used for a request with this `Origin` header: only when the
 * operator has named the sites allowed to connect (--allowed-origins), and the request does not
 * come from another one. Without that list there is no way to tell the operator's own pages from
 * any other site, so the cookie is not accepted at all.
 */
export function cookieTokenAllowed(allowedOrigins: readonly string[], origin: string | undefined): boolean {
  return allowedOrigins.length > 0 && (origin === undefined || allowedOrigins.includes(origin));
}

/** True when the grant's `doc` claim opens `docName` (see @tandem/protocol's docClaim.ts). */
export function grantCovers(grant: Pick<Grant, 'doc'>, docName: string): boolean {
  return docClaimCovers(grant.doc, docName);
}

/** Verify a token's signature, expiry and claims. Throws {@link AuthError} with status 401. */
export async function verifyToken(token: string | undefined, policy: TokenPolicy, now = Date.now()): Promise<Grant> {
  if (!token) throw new AuthError(401, 'missing token');
  let payload;
  try {
    ({ payload } = await jwtVerify(token, policy.secret, { algorithms: ['HS256'], requiredClaims: ['sub', 'exp'], currentDate: new Date(now) }));
  } catch (error) {
    if (error instanceof joseErrors.JWTExpired) throw new AuthError(401, 'token expired');
    throw new AuthError(401, `invalid token: ${(error as Error).message}`);
  }
  const { sub, name, doc, access, exp, iat, jti } = payload as Record<string, unknown>;
  const nowSeconds = now / 1000;
  if (typeof sub !== 'string' || sub.length === 0) throw new AuthError(401, 'token sub must be a non-empty string');
  if (typeof doc !== 'string' || doc.length === 0) throw new AuthError(401, 'token has no doc claim');
  if (!isAccess(access)) throw new AuthError(401, 'token access must be "read" or "write"');
  // jose has checked that exp (and iat, when present) are numbers, and that exp has not passed.
  if ((exp as number) - nowSeconds > policy.maxLifetimeSeconds) {
    throw new AuthError(401, `token expires more than the allowed ${policy.maxLifetimeSeconds} s from now`);
  }
  if (typeof iat === 'number' && iat - nowSeconds > CLOCK_SKEW_SECONDS) throw new AuthError(401, 'token issued in the future (iat)');
  const link = readLinkClaim(payload as Record<string, unknown>);
  if (link === 'invalid') throw new AuthError(401, 'token link claim must be { purpose: "read" | "write", generation: a whole number }');
  return {
    link,
    userId: sub,
    name: typeof name === 'string' ? name : undefined,
    doc,
    access,
    expiresAt: (exp as number) * 1000,
    tokenKey: typeof jti === 'string' && jti.length > 0 ? `${sub}\n${jti}` : `${sub}\n#${createHash('sha256').update(token).digest('base64url')}`,
  };
}

/** Verify a token for one document: 401 when it is not valid, 403 when it does not cover `docName`. */
export async function authorize(token: string | undefined, policy: TokenPolicy, docName: string): Promise<Grant> {
  const grant = await verifyToken(token, policy);
  if (!grantCovers(grant, docName)) throw new AuthError(403, `token does not cover document ${docName}`);
  return grant;
}
