/**
 * Checks an awareness update before it is applied: which client IDs it touches and how big each
 * state is. Lets the server enforce that a connection only speaks for its own client IDs.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';

export interface AwarenessEntry {
  clientId: number;
  clock: number;
  /** The state's JSON text; "null" means the client is leaving. */
  stateJson: string;
  /** The state, parsed. */
  state: unknown;
}

/** Decode the entries of an awareness update (y-protocols format), or throw on malformed input. */
export function readAwarenessEntries(update: Uint8Array): AwarenessEntry[] {
  const decoder = decoding.createDecoder(update);
  const count = decoding.readVarUint(decoder);
  // Each entry takes at least 3 bytes; a larger count is a lie about the frame's length.
  if (count > update.byteLength) throw new Error(`awareness update declares ${count} entries in ${update.byteLength} bytes`);
  const entries: AwarenessEntry[] = [];
  for (let i = 0; i < count; i++) {
    const clientId = decoding.readVarUint(decoder);
    const clock = decoding.readVarUint(decoder);
    const stateJson = decoding.readVarString(decoder);
    entries.push({ clientId, clock, stateJson, state: JSON.parse(stateJson) as unknown });
  }
  return entries;
}

/** Encode entries back into an awareness update (y-protocols format). */
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
