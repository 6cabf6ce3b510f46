/**
 * Reads an awareness update before it is applied: which client IDs it touches and their states,
 * parsed. Lets the server enforce that a connection only speaks for its own client IDs.
 */
import { type AwarenessEntry as EncodedEntry, decodeAwarenessEntries } from '@tandem/protocol';

export interface AwarenessEntry extends EncodedEntry {
  /** The state, parsed. */
  state: unknown;
}

/** Decode the entries of an awareness update (y-protocols format), or throw on malformed input or JSON. */
export function readAwarenessEntries(update: Uint8Array): AwarenessEntry[] {
  return decodeAwarenessEntries(update).map((entry) => ({ ...entry, state: JSON.parse(entry.stateJson) as unknown }));
}
