import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { decodeFrame, encodeFrame } from './frame.js';
import { MessageType } from './messageTypes.js';

/**
 * Encode a Token message: `[101, varString token]`. A client that connected with
 * `?tandem-auth=message` sends it as its very first message; the server serves and relays nothing
 * to it before the token is checked.
 */
export function encodeTokenMessage(token: string): Uint8Array {
  return encodeFrame(MessageType.Token, (encoder) => encoding.writeVarString(encoder, token));
}

/** Decode a Token message, or undefined when the frame is not exactly one. */
export function decodeTokenMessage(frame: Uint8Array): string | undefined {
  return decodeFrame(frame, MessageType.Token, (decoder) => {
    const token = decoding.readVarString(decoder);
    return decoding.hasContent(decoder) ? undefined : token;
  });
}
