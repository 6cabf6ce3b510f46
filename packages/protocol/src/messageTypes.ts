/**
 * Top-level message types of the y-websocket protocol, plus Tandem's opt-in extension.
 * The first varUint of every WebSocket frame is one of these.
 */
export const MessageType = {
  /** y-protocols sync: step 1, step 2 or update. */
  Sync: 0,
  /** y-protocols awareness update. */
  Awareness: 1,
  /** y-protocols auth (permission denied); the stock client understands it. */
  Auth: 2,
  /** Ask the peer to send its full awareness state. */
  QueryAwareness: 3,
  /**
   * Tandem extension: "saved up to here". Sent by the server only to clients that opted in
   * with the {@link SAVED_ACK_PARAM} query parameter. See PROTOCOL.md.
   */
  Saved: 100,
  /**
   * Tandem extension: the client's token, sent as its first message by a client that opted in
   * with {@link AUTH_MESSAGE_PARAM}. Not y-protocols' Auth (2), which is the server's
   * "permission denied". See PROTOCOL.md and tokenMessage.ts.
   */
  Token: 101,
} as const;
export type MessageType = (typeof MessageType)[keyof typeof MessageType];

/** Sub-types of a {@link MessageType.Sync} message (the second varUint). */
export const SyncMessageType = {
  Step1: 0,
  Step2: 1,
  Update: 2,
} as const;
export type SyncMessageType = (typeof SyncMessageType)[keyof typeof SyncMessageType];

/** Query parameter by which a client asks for {@link MessageType.Saved} acknowledgements. */
export const SAVED_ACK_PARAM = 'tandem-ack';

/**
 * Query parameter by which a client says it sends its token as its first message
 * (`?tandem-auth=message`) instead of in the URL, where proxies and access logs would keep it.
 */
export const AUTH_MESSAGE_PARAM = 'tandem-auth';
/** The value of {@link AUTH_MESSAGE_PARAM} that opts in. */
export const AUTH_BY_MESSAGE = 'message';
