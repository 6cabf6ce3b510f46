/** The frame every message shares: a varUint message type, then the message's own fields (lib0 encoding). */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import type { MessageType } from './messageTypes.js';

/** A frame of `type` whose fields `write` puts after the type. */
export function encodeFrame(type: MessageType, write: (encoder: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, type);
  write(encoder);
  return encoding.toUint8Array(encoder);
}

/** What `read` makes of a frame of `type`; undefined for a frame of another type, or one too short to read. */
export function decodeFrame<T>(frame: Uint8Array, type: MessageType, read: (decoder: decoding.Decoder) => T | undefined): T | undefined {
  try {
    const decoder = decoding.createDecoder(frame);
    return decoding.readVarUint(decoder) === type ? read(decoder) : undefined;
  } catch {
    return undefined;
  }
}
