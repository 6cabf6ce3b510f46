import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { decodeFrame, encodeFrame } from './frame.js';
import { MessageType } from './messageTypes.js';

/**
 * The y-protocols awareness message as one WebSocket frame: `[1, varUint8Array update]`, where the
 * update is a list of entries (see {@link encodeAwarenessEntries}).
 */
export function encodeAwarenessMessage(update: Uint8Array): Uint8Array {
  return encodeFrame(MessageType.Awareness, (encoder) => encoding.writeVarUint8Array(encoder, update));
}

/** The update an awareness message carries, or undefined when the frame is not one. */
export function decodeAwarenessMessage(frame: Uint8Array): Uint8Array | undefined {
  return decodeFrame(frame, MessageType.Awareness, decoding.readVarUint8Array);
}

/** One entry of an awareness update: a client's presence state, as JSON text, at its clock. */
export interface AwarenessEntry {
  clientId: number;
  clock: number;
  /** The state's JSON text; `"null"` means the client is leaving. */
  stateJson: string;
}

/**
 * An awareness update (y-protocols format): `varUint count`, then per entry `varUint clientId,
 * varUint clock, varString stateJson`.
 */
export function encodeAwarenessEntries(entries: readonly AwarenessEntry[]): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, entries.length);
  for (const { clientId, clock, stateJson } of entries) {
    encoding.writeVarUint(encoder, clientId);
    encoding.writeVarUint(encoder, clock);
    encoding.writeVarString(encoder, stateJson);
  }
  return encoding.toUint8Array(encoder);
}

/**
 * The entries of an awareness update. Throws on a truncated update, or one declaring more entries
 * than it has bytes for (each takes at least three), before reading any of them. The JSON text is
 * not parsed: what a state may be is the reader's policy.
 */
export function decodeAwarenessEntries(update: Uint8Array): AwarenessEntry[] {
  const decoder = decoding.createDecoder(update);
  const count = decoding.readVarUint(decoder);
  if (count > update.byteLength) throw new Error(`awareness update declares ${count} entries in ${update.byteLength} bytes`);
  const entries: AwarenessEntry[] = [];
  for (let i = 0; i < count; i++) {
    const clientId = decoding.readVarUint(decoder);
    const clock = decoding.readVarUint(decoder);
    entries.push({ clientId, clock, stateJson: decoding.readVarString(decoder) });
  }
  return entries;
}
