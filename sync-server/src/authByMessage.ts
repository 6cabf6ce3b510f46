/**
 * Authentication by first message: the third way to present a token, beside `?token=` and the
 * cookie, for clients that would rather not put it in a URL (proxies and access logs keep URLs).
 *
 * A client opts in with `?tandem-auth=message`; a stock client never does, so it never meets
 * anything unknown. The upgrade then completes without a token, and the connection is held: it is
 * in no room, so nothing is served to it and nothing it sends is relayed or applied. Its first
 * message must be a Token message (`[101, varString jwt]`, see @tandem/protocol) within
 * --auth-message-timeout. Frames that follow it wait, in order, until the token is checked.
 * Refusals close the connection with the WebSocket counterparts of the HTTP statuses:
 * 4002 Unauthenticated (no token in time, not a Token message first, or a missing, invalid or
 * expired token), 4403 Forbidden (another document), 4430 DocumentCreationLimit.
 * In open mode the message is still required (so a client behaves the same against both) but the
 * token is not checked.
 *
 * Renewal: once admitted, such a connection may send another Token message at any time to stay
 * open past its token's expiry without reconnecting (the editor does so a little before `exp`, so
 * that nobody sees it disconnect or leave). A renewal for the same document, subject and access
 * (and share link, when it came from one) moves the connection's expiry to the new token's `exp`; any other (malformed, invalid, expired,
 * for another document, person or access) closes the connection with 4002. Nothing else waits
 * while a renewal is checked.
 */
import { CloseCode, type LinkClaim, decodeTokenMessage } from '@tandem/protocol';
import { AuthError, type Grant } from './auth.js';
import type { Connection } from './Connection.js';

export interface TokenMessageGate {
  /** How long the client has to send its token. */
  timeoutMs: number;
  /** Check a token for a document (throws AuthError); undefined in open mode. */
  authorize: ((token: string, docName: string) => Promise<Grant>) | undefined;
  /** Count a refusal in the metrics. */
  reject(reason: 'unauthenticated' | 'forbidden'): void;
  /** The token is good (or not needed): let the connection in. */
  admit(conn: Connection, grant: Grant | undefined): void;
}

/** Hold `conn` until its first message brings a token that `gate` accepts. */
export function awaitTokenMessage(conn: Connection, gate: TokenMessageGate): void {
  const timer = setTimeout(() => {
    if (!conn.awaitingToken) return;
    gate.reject('unauthenticated');
    conn.close(CloseCode.Unauthenticated, `no token message within ${gate.timeoutMs} ms`);
  }, gate.timeoutMs);
  conn.awaitingToken = (frame) => {
    clearTimeout(timer);
    const token = decodeTokenMessage(frame);
    if (token === undefined) {
      gate.reject('unauthenticated');
      return conn.close(CloseCode.Unauthenticated, 'the first message was not a token message');
    }
    if (!gate.authorize) {
      acceptRenewals(conn, gate);
      return gate.admit(conn, undefined);
    }
    gate.authorize(token, conn.docName).then(
      (grant) => {
        if (conn.closed) return;
        conn.authorize(grant);
        acceptRenewals(conn, gate);
        gate.admit(conn, grant);
      },
      (error: Error) => {
        if (!(error instanceof AuthError)) return conn.close(CloseCode.InternalError, error.message);
        gate.reject(error.status === 401 ? 'unauthenticated' : 'forbidden');
        conn.close(error.status === 401 ? CloseCode.Unauthenticated : CloseCode.Forbidden, error.detail);
      },
    );
  };
}

/** From now on, a Token message on `conn` renews its token (see the module comment). */
function acceptRenewals(conn: Connection, gate: TokenMessageGate): void {
  const refuse = (detail: string) => {
    gate.reject('unauthenticated');
    conn.close(CloseCode.Unauthenticated, detail);
  };
  conn.tokenRenewal = (frame) => {
    const token = decodeTokenMessage(frame);
    if (token === undefined) return refuse('malformed token renewal');
    if (!gate.authorize) return; // open mode: nothing is checked, nothing expires
    const { userId, readOnly } = conn.identity;
    gate.authorize(token, conn.docName).then(
      (grant) => {
        if (conn.closed) return;
        if (grant.userId !== userId || (grant.access === 'read') !== readOnly) return refuse('the renewed token is for another subject or access');
        if (!sameLink(grant.link, conn.identity.link)) return refuse('the renewed token comes from another share link');
        conn.renewExpiry(grant.expiresAt);
      },
      (error: Error) => {
        if (conn.closed) return;
        if (!(error instanceof AuthError)) return conn.close(CloseCode.InternalError, error.message);
        refuse(`token renewal refused: ${error.detail}`);
      },
    );
  };
}

/** Both tokens came from the same share link (its purpose and generation), or neither from one. */
function sameLink(a: LinkClaim | undefined, b: LinkClaim | undefined): boolean {
  return a?.purpose === b?.purpose && a?.generation === b?.generation;
}
