/**
 * Checks an awareness update before it is applied: which client IDs it touches and how big each
 * state is. Lets the server enforce that a connection only speaks for its own client IDs.
 */
import * as decoding from 'lib0/decoding';

export interface AwarenessEntry {
  clientId: number;
  clock: number;
  /** The state's JSON text; "null" means the client is leaving. */
  stateJson: string;
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
    JSON.parse(stateJson);
    entries.push({ clientId, clock, stateJson });
  }
  return entries;
}
