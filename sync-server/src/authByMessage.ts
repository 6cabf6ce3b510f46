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
 */
import { CloseCode, decodeTokenMessage } from '@tandem/protocol';
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
    if (!gate.authorize) return gate.admit(conn, undefined);
    gate.authorize(token, conn.docName).then(
      (grant) => {
        if (conn.closed) return;
        conn.authorize(grant);
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
