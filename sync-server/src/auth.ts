/**
 * JWT authentication (HS256, verified with jose). A token grants one document, or every document
 * whose name starts with a prefix (`doc: "team-*"`), for reading or writing, until it expires.
 */
import { errors as joseErrors, jwtVerify } from 'jose';

export type Access = 'read' | 'write';

/** What a verified token allows. */
export interface Grant {
  userId: string;
  name: string | undefined;
  /** An exact document name, or a prefix ending in `*`. */
  doc: string;
  access: Access;
  /** Milliseconds since the epoch. */
  expiresAt: number;
}

/** A refusal: 401 for a missing, invalid or expired token, 403 for a document it does not cover. */
export class AuthError extends Error {
  override name = 'AuthError';
  constructor(
    readonly status: 401 | 403,
    message: string,
  ) {
    super(message);
  }
}

export const TOKEN_COOKIE = 'tandem_token';

/** The token from `?token=`, an `Authorization: Bearer` header, or the `tandem_token` cookie. */
export function tokenFromRequest(url: URL, headers: { authorization?: string; cookie?: string }): string | undefined {
  const fromQuery = url.searchParams.get('token');
  if (fromQuery) return fromQuery;
  const bearer = headers.authorization?.match(/^Bearer\s+(\S+)$/i)?.[1];
  if (bearer) return bearer;
  for (const part of (headers.cookie ?? '').split(';')) {
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

export function grantCovers(grant: Pick<Grant, 'doc'>, docName: string): boolean {
  return grant.doc.endsWith('*') ? docName.startsWith(grant.doc.slice(0, -1)) : grant.doc === docName;
}

/** Verify a token's signature, expiry and claims. Throws {@link AuthError} with status 401. */
export async function verifyToken(token: string | undefined, secret: Uint8Array): Promise<Grant> {
  if (!token) throw new AuthError(401, 'missing token');
  let payload;
  try {
    ({ payload } = await jwtVerify(token, secret, { algorithms: ['HS256'], requiredClaims: ['sub', 'exp'] }));
  } catch (error) {
    if (error instanceof joseErrors.JWTExpired) throw new AuthError(401, 'token expired');
    throw new AuthError(401, `invalid token: ${(error as Error).message}`);
  }
  const { sub, name, doc, access, exp } = payload as Record<string, unknown>;
  if (typeof doc !== 'string' || doc.length === 0) throw new AuthError(401, 'token has no doc claim');
  if (access !== 'read' && access !== 'write') throw new AuthError(401, 'token access must be "read" or "write"');
  return {
    userId: String(sub),
    name: typeof name === 'string' ? name : undefined,
    doc,
    access,
    expiresAt: (exp as number) * 1000,
  };
}

/** Verify a token for one document: 401 when it is not valid, 403 when it does not cover `docName`. */
export async function authorize(token: string | undefined, secret: Uint8Array, docName: string): Promise<Grant> {
  const grant = await verifyToken(token, secret);
  if (!grantCovers(grant, docName)) throw new AuthError(403, `token does not cover document ${docName}`);
  return grant;
}
