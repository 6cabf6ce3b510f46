/**
 * What an auth-mode embed can know before it connects: whether the sync server will refuse it.
 * Server only (it reads the secret).
 */
import { docClaimCovers } from '@tandem/protocol';
import { errors as joseErrors, jwtVerify } from 'jose';
import type { AuthConfig } from './auth';

/** Why the sync server will refuse an embed. */
export type EmbedRefusal =
  | 'no-credentials'
  | 'token-invalid'
  | 'token-expired'
  | 'token-other-document'
  | 'link-refused'
  | 'document-deleted'
  | 'unavailable';

/**
 * Why the sync server will refuse an embed that brings `token` and no link key, or undefined when
 * it may let it in (open mode, a link key — the page checks keys itself —, or a token this app's
 * secret signed, unexpired, for this document). The server checks more; this catches what the
 * person can be told about before anything is typed.
 */
export async function embedRefusal(config: AuthConfig | undefined, docName: string, token: string | undefined, linkKey: string | undefined): Promise<EmbedRefusal | undefined> {
  if (!config || linkKey) return undefined;
  if (!token) return 'no-credentials';
  try {
    const { payload } = await jwtVerify(token, config.secret, { algorithms: ['HS256'], requiredClaims: ['exp'] });
    return typeof payload.doc === 'string' && docClaimCovers(payload.doc, docName) ? undefined : 'token-other-document';
  } catch (error) {
    return error instanceof joseErrors.JWTExpired ? 'token-expired' : 'token-invalid';
  }
}
