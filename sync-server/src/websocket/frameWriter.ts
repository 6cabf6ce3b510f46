/**
 * Server frames for the wire: unmasked, header and payload in one buffer, so a frame can be built
 * once and written as it is to any number of sockets (a broadcast frames each message once).
 */
import { Opcode } from './rfc6455.js';

/** One final (unfragmented) frame with `opcode` carrying `payload`. */
export function encodeFrame(opcode: number, payload: Uint8Array): Buffer {
  const length = payload.byteLength;
  const headerLength = length < 126 ? 2 : length <= 0xffff ? 4 : 10;
  const frame = Buffer.allocUnsafe(headerLength + length);
  frame[0] = 0x80 | opcode;
  if (length < 126) {
    frame[1] = length;
  } else if (length <= 0xffff) {
    frame[1] = 126;
    frame.writeUInt16BE(length, 2);
  } else {
    frame[1] = 127;
    frame.writeUInt32BE(Math.floor(length / 2 ** 32), 2);
    frame.writeUInt32BE(length >>> 0, 6);
  }
  frame.set(payload, headerLength);
  return frame;
}

/** One binary message, framed for the wire. */
export const toWireFrame = (message: Uint8Array): Buffer => encodeFrame(Opcode.Binary, message);

/** A close frame's payload: the code, then the reason in UTF-8. */
export function closePayload(code: number, reason: string | Buffer): Buffer {
  const reasonBytes = typeof reason === 'string' ? Buffer.from(reason) : reason;
  const payload = Buffer.allocUnsafe(2 + reasonBytes.length);
  payload.writeUInt16BE(code, 0);
  reasonBytes.copy(payload, 2);
  return payload;
}
