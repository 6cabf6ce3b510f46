/**
 * WebSocket close codes the sync server uses, with the reason sent beside each.
 * 1000–1015 are the standard codes (RFC 6455); 4000–4999 are for applications.
 */
export const CloseCode = {
  Normal: { code: 1000, reason: 'normal closure' },
  GoingAway: { code: 1001, reason: 'server shutting down' },
  /** Never sent: what a browser reports for a connection that ended without a close frame (or never opened). */
  Abnormal: { code: 1006, reason: 'connection lost' },
  MessageTooBig: { code: 1009, reason: 'message too big' },
  InternalError: { code: 1011, reason: 'internal error' },
  MalformedMessage: { code: 4400, reason: 'malformed message' },
  UnknownMessageType: { code: 4401, reason: 'unknown message type' },
  TokenExpired: { code: 4001, reason: 'token expired' },
  /** The token sent as the first message (or none in time) is missing, invalid or expired: HTTP 401's counterpart. */
  Unauthenticated: { code: 4002, reason: 'missing, invalid or expired token' },
  /** The token sent as the first message does not cover this document: HTTP 403's counterpart. */
  Forbidden: { code: 4403, reason: 'token does not cover this document' },
  /** The token sent as the first message has created as many documents as it may this hour: HTTP 429's counterpart. */
  DocumentCreationLimit: { code: 4430, reason: 'document creation limit reached' },
  RateLimited: { code: 4429, reason: 'too many messages' },
  /** The document was moved to the trash (`DELETE /api/docs/<doc>`): HTTP 410's counterpart. Reconnecting cannot help. */
  DocumentDeleted: { code: 4410, reason: 'this document was deleted' },
  /**
   * The share link the connection's token was minted from was reset (a new generation, see
   * `linkClaim.ts`): the token no longer opens the document.
   */
  LinkRevoked: { code: 4411, reason: 'this link was revoked' },
  DocumentTooLarge: { code: 4413, reason: 'document too large' },
  AwarenessRejected: { code: 4402, reason: 'awareness update rejected' },
  StorageError: { code: 4500, reason: 'storage error' },
  HeartbeatTimeout: { code: 4408, reason: 'missed heartbeat' },
} as const;
export type CloseCodeName = keyof typeof CloseCode;
export type CloseCodeEntry = (typeof CloseCode)[CloseCodeName];

/** The name of a close code, for logs and clients ("MessageTooBig"), or undefined. */
export function closeCodeName(code: number): CloseCodeName | undefined {
  for (const name of Object.keys(CloseCode) as CloseCodeName[]) {
    if (CloseCode[name].code === code) return name;
  }
  return undefined;
}
