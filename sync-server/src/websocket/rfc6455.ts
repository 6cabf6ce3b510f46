/** The numbers of RFC 6455 this layer speaks: opcodes and the close statuses it sends or checks. */

export const Opcode = {
  Continuation: 0x0,
  Text: 0x1,
  Binary: 0x2,
  Close: 0x8,
  Ping: 0x9,
  Pong: 0xa,
} as const;

export const CloseStatus = {
  ProtocolError: 1002,
  /** Never on the wire: a close frame that carried no code. */
  NoStatus: 1005,
  InvalidPayload: 1007,
  MessageTooBig: 1009,
} as const;

/** Codes a peer may put in a close frame (RFC 6455 §7.4). */
export function isValidCloseCode(code: number): boolean {
  return (code >= 1000 && code <= 1014 && code !== 1004 && code !== 1005 && code !== 1006) || (code >= 3000 && code <= 4999);
}

/** Control frames carry at most this much payload and are never fragmented (§5.5). */
export const MAX_CONTROL_PAYLOAD = 125;
