/**
 * Client→server WebSocket frames (RFC 6455 §5.2), written by hand: for the tests' raw clients,
 * which send frames no library would (unmasked, split anywhere, bad opcodes), and for the
 * benchmarks, which write thousands of ready-made frames in one socket write. Plain JavaScript so
 * the benchmarks (node, no compiler) and the tests import the same file; types in clientFrame.d.mts.
 */
import { randomBytes } from 'node:crypto';

/**
 * The header of a client frame whose payload is `length` bytes, with its 4-byte mask key last.
 *
 * @param {number} opcode
 * @param {number} length
 * @param {{ fin?: boolean, masked?: boolean, rsv?: number, maskKey?: Buffer }} [options]
 */
export function clientFrameHeader(opcode, length, { fin = true, masked = true, rsv = 0, maskKey = randomBytes(4) } = {}) {
  const lengthBytes = length < 126 ? 0 : length <= 0xffff ? 2 : 8;
  const header = Buffer.alloc(2 + lengthBytes + (masked ? 4 : 0));
  header[0] = (fin ? 0x80 : 0) | (rsv << 4) | opcode;
  header[1] = (masked ? 0x80 : 0) | (lengthBytes === 0 ? length : lengthBytes === 2 ? 126 : 127);
  if (lengthBytes === 2) header.writeUInt16BE(length, 2);
  if (lengthBytes === 8) header.writeBigUInt64BE(BigInt(length), 2);
  if (masked) maskKey.copy(header, 2 + lengthBytes);
  return header;
}

/**
 * A client frame with `opcode` and `payload`, masked with a random key unless told otherwise.
 *
 * @param {number} opcode
 * @param {Uint8Array} payload
 * @param {{ fin?: boolean, masked?: boolean, rsv?: number }} [options]
 */
export function clientFrame(opcode, payload, { fin = true, masked = true, rsv = 0 } = {}) {
  const maskKey = randomBytes(4);
  const header = clientFrameHeader(opcode, payload.byteLength, { fin, masked, rsv, maskKey });
  const body = Buffer.from(payload);
  if (masked) for (let i = 0; i < body.length; i++) body[i] ^= maskKey[i & 3];
  return Buffer.concat([header, body]);
}
