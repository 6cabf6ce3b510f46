/**
 * Who an HTTP request is, for the document APIs: the same token sources and checks as a
 * WebSocket upgrade (auth.ts) — `?token=`, a bearer header, or the `tandem_token` cookie (only
 * with --allowed-origins and an allowed or absent Origin) — and the same refusals: 401 for a
 * missing, invalid or expired token, 403 for a document the token does not cover or a token minted
 * from a share link rotated since.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { LinkClaim } from '@tandem/protocol';
import { AuthError, type Grant, type TokenPolicy, authorize, cookieTokenAllowed, tokenFromRequest, verifyToken } from '../auth.js';
import { sendJson } from './respond.js';

export interface RequestAuthContext {
  logger: Logger;
  /** Undefined in open mode. */
  tokenPolicy: TokenPolicy | undefined;
  /** --allowed-origins: without it no cookie token is accepted. */
  allowedOrigins: readonly string[];
  /** Whether a token carrying `link` was minted from a link rotated since (documents/DocumentGate.ts). */
  linkRevoked?: (docName: string, link: LinkClaim) => Promise<boolean>;
}

/**
 * The request's grant, checked for `docName` when given (any document otherwise). In open mode
 * the grant is undefined: everything is allowed. Null when refused: the refusal has been sent.
 */
export async function requestGrant(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  ctx: RequestAuthContext,
  docName?: string,
): Promise<{ grant: Grant | undefined } | null> {
  if (!ctx.tokenPolicy) return { grant: undefined };
  const found = tokenFromRequest(url, req.headers, cookieTokenAllowed(ctx.allowedOrigins, req.headers.origin));
  try {
    const grant = docName === undefined ? await verifyToken(found?.token, ctx.tokenPolicy) : await authorize(found?.token, ctx.tokenPolicy, docName);
    if (docName !== undefined && grant.link && (await ctx.linkRevoked?.(docName, grant.link))) throw new AuthError(403, 'the link this token was minted from was rotated', 'this link was revoked');
    return { grant };
  } catch (error) {
    if (!(error instanceof AuthError)) throw error;
    ctx.logger.info({ path: url.pathname, status: error.status, tokenFrom: found?.source }, `refused request: ${error.detail}`);
    sendJson(res, error.status, { error: error.publicMessage });
    return null;
  }
}
