/**
 * Access control on the app's side (server only: this file reads the secret).
 *
 * With `TANDEM_AUTH_SECRET` set (the same variable the sync server reads), the sync server wants a
 * JWT for every connection, and the app is what mints them. Without accounts, access is carried by
 * links: each holds a key the app can check but nobody can forge without the secret.
 *
 * - Edit link `/d/<doc>?key=K` with K = HMAC(secret, "write", doc, generation): `write` tokens for that doc.
 * - View link `/v/<doc>?key=K` with K = HMAC(secret, "read", doc, generation): `read` tokens only. Changing
 *   the path or the key gives nothing: a key is only good for its own purpose and document.
 * - The generation is the document's, per purpose, kept by the sync server beside the document
 *   (`GET /api/docs/<doc>`; 0 until the link is first reset from the Share menu). Resetting a link
 *   makes the next generation: the old key no longer matches, and the sync server refuses the
 *   tokens minted from it (they carry the generation in their `link` claim) and closes their
 *   connections. Other documents' links, and the document's other link, are untouched.
 * - Operator link `/operator?key=K` with K = HMAC(secret, "operator"): sets a cookie that opens
 *   the document list and "New document".
 *
 * Without the secret the app runs open, as before: no keys, no tokens.
 */
import { type Access, LINK_CLAIM, type LinkGenerations, type TokenClaims, secretProblem } from '@tandem/protocol';
import { randomUUID, timingSafeEqual } from 'node:crypto';
import { jwtVerify, SignJWT } from 'jose';
import { linkKey, mac, type KeyPurpose } from './linkKeys.mjs';
import { AUTH_SECRET_VARIABLE } from './serverOptions.mjs';

export { linkKey, AUTH_SECRET_VARIABLE, type KeyPurpose, type Access };

export const TOKEN_TTL_VARIABLE = 'TANDEM_TOKEN_TTL_SECONDS';
/** Tokens live this long unless `TANDEM_TOKEN_TTL_SECONDS` says otherwise. */
export const DEFAULT_TOKEN_TTL_SECONDS = 15 * 60;
/** A previous token may vouch for its `sub` this long after it expired. */
const SUBJECT_CONTINUITY_SECONDS = 24 * 3600;
/** Separates the user cookie's signature from the link keys. */
const USER_COOKIE_DOMAIN = 'tandem-uid-v1';

/** Cookies the app sets (httpOnly). */
export const USER_COOKIE = 'tandem_uid';
export const OPERATOR_COOKIE = 'tandem_operator';

export interface AuthConfig {
  secret: Uint8Array;
  ttlSeconds: number;
}

/**
 * The auth configuration from the environment, or undefined in open mode. A secret that is set
 * but too short is an error, not open mode: a typo must not publish every document.
 */
export function readAuthConfig(env: Record<string, string | undefined> = process.env): AuthConfig | undefined {
  const raw = env[AUTH_SECRET_VARIABLE];
  if (raw === undefined || raw === '') return undefined;
  // server.mjs refuses to start with such a secret (serverOptions.mjs); this guards other callers.
  const problem = secretProblem(raw);
  if (problem) throw new Error(`${AUTH_SECRET_VARIABLE} ${problem}`);
  const ttlRaw = env[TOKEN_TTL_VARIABLE]?.trim();
  let ttlSeconds = DEFAULT_TOKEN_TTL_SECONDS;
  if (ttlRaw) {
    ttlSeconds = Number(ttlRaw);
    if (!Number.isInteger(ttlSeconds) || ttlSeconds < 2 || ttlSeconds > 24 * 3600) {
      throw new Error(`${TOKEN_TTL_VARIABLE} must be a whole number of seconds from 2 to 86400`);
    }
  }
  return { secret: new TextEncoder().encode(raw), ttlSeconds };
}

/** True when `given` is `expected` (constant time; anything not a short string is false). */
function sameMac(given: string | undefined | null, expected: string): boolean {
  if (typeof given !== 'string' || given.length === 0 || given.length > 64) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** True when `key` is the key for this purpose and document at `generation` (constant time). */
export function checkLinkKey(secret: Uint8Array, purpose: KeyPurpose, docName: string, key: string | undefined | null, generation = 0): boolean {
  return sameMac(key, linkKey(secret, purpose, docName, generation));
}

/** What a key opens for a document with these link generations: `write` (edit link), `read` (view link), or nothing. */
export function accessForKey(secret: Uint8Array, docName: string, key: string | undefined | null, generations: LinkGenerations): Access | undefined {
  if (checkLinkKey(secret, 'write', docName, key, generations.write)) return 'write';
  if (checkLinkKey(secret, 'read', docName, key, generations.read)) return 'read';
  return undefined;
}

/** `/d/<doc>?key=…` in auth mode (the key of the edit link's current generation), `/d/<doc>` in open mode. */
export function editPath(docName: string, config: AuthConfig | undefined, generations: LinkGenerations): string {
  const path = `/d/${encodeURIComponent(docName)}`;
  return config ? `${path}?key=${linkKey(config.secret, 'write', docName, generations.write)}` : path;
}

/** `/v/<doc>?key=…` in auth mode (the key of the view link's current generation), `/v/<doc>` in open mode. */
export function viewPath(docName: string, config: AuthConfig | undefined, generations: LinkGenerations): string {
  const path = `/v/${encodeURIComponent(docName)}`;
  return config ? `${path}?key=${linkKey(config.secret, 'read', docName, generations.read)}` : path;
}

/**
 * What a token is minted for: its claims but the times. `sub` is a stable, app-chosen ID (see
 * {@link subjectFor}); of `name`, at most 40 characters are kept.
 */
export type TokenRequest = Pick<TokenClaims, 'sub' | 'name' | 'doc' | 'access' | 'link'>;

/** A signed token (HS256) for the sync server, and when it expires (ms since the epoch). */
export async function mintToken(config: AuthConfig, request: TokenRequest, now = Date.now()): Promise<{ token: string; expiresAt: number }> {
  const exp = Math.floor(now / 1000) + config.ttlSeconds;
  const claims: Record<string, unknown> = { doc: request.doc, access: request.access };
  if (request.link) claims[LINK_CLAIM] = request.link;
  const name = request.name?.trim().slice(0, 40);
  if (name) claims.name = name;
  const token = await new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(request.sub)
    .setIssuedAt(Math.floor(now / 1000))
    .setExpirationTime(exp)
    .sign(config.secret);
  return { token, expiresAt: exp * 1000 };
}

/**
 * The `sub` of a token this app signed, if it expired at most a day ago; otherwise undefined.
 * A refreshing editor sends its previous token so that its `sub` stays the same even when the
 * browser keeps no cookie (an iframe, cookies off): the sync server hands a presence client ID
 * back only to the same `sub` after a reconnect, and would otherwise close with 4402.
 */
export async function subjectOfPreviousToken(config: AuthConfig, token: unknown, now = Date.now()): Promise<string | undefined> {
  if (typeof token !== 'string' || token.length === 0 || token.length > 4096) return undefined;
  try {
    const { payload } = await jwtVerify(token, config.secret, {
      algorithms: ['HS256'],
      requiredClaims: ['sub', 'exp'],
      currentDate: new Date(now - SUBJECT_CONTINUITY_SECONDS * 1000),
    });
    return typeof payload.sub === 'string' && isSubject(payload.sub) ? payload.sub : undefined;
  } catch {
    return undefined;
  }
}

/** A new per-browser ID. */
export function newSubject(): string {
  return `u-${randomUUID()}`;
}

/** An ID this app could have made (guards against odd cookie values). */
export function isSubject(value: unknown): value is string {
  return typeof value === 'string' && /^u-[0-9a-f-]{36}$/.test(value);
}

/**
 * The `tandem_uid` cookie's value for a subject: `<sub>.<HMAC(secret, sub)>`. Signed, because the
 * sub decides whose presence entry a connection may take back: a browser must not choose it.
 */
export function userCookieValue(secret: Uint8Array, sub: string): string {
  return `${sub}.${mac(secret, `${USER_COOKIE_DOMAIN}\n${sub}`)}`;
}

/** The subject a `tandem_uid` cookie vouches for; undefined when it is unsigned, altered or signed with another secret. */
export function subjectOfUserCookie(secret: Uint8Array, cookieValue: string | undefined): string | undefined {
  if (typeof cookieValue !== 'string') return undefined;
  const dot = cookieValue.lastIndexOf('.');
  const sub = cookieValue.slice(0, dot);
  if (dot < 0 || !isSubject(sub)) return undefined;
  return sameMac(cookieValue.slice(dot + 1), mac(secret, `${USER_COOKIE_DOMAIN}\n${sub}`)) ? sub : undefined;
}

/**
 * Who is asking for a token: the previous token's `sub` when it vouches for one, else the one
 * the browser's signed `tandem_uid` cookie holds, else a new ID. `isNew`: the cookie does not
 * hold a valid signature, so the caller stores {@link userCookieValue} for `sub` in it.
 */
export async function subjectFor(
  config: AuthConfig,
  previousToken: unknown,
  cookieValue: string | undefined,
  now = Date.now(),
): Promise<{ sub: string; isNew: boolean }> {
  const fromCookie = subjectOfUserCookie(config.secret, cookieValue);
  const previous = await subjectOfPreviousToken(config, previousToken, now);
  if (previous) return { sub: previous, isNew: fromCookie === undefined };
  if (fromCookie) return { sub: fromCookie, isNew: false };
  return { sub: newSubject(), isNew: true };
}

/** True when the operator cookie holds the operator key. */
export function isOperatorCookie(config: AuthConfig, cookieValue: string | undefined): boolean {
  return checkLinkKey(config.secret, 'operator', '', cookieValue);
}
