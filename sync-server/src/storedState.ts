/**
 * What a stored document looks like to a client, without loading it into a Y.Doc: its state
 * vector (stored beside it), and the frames that give a fresh client all of it. Loading a large
 * document costs tens of milliseconds or more; most visits only read it.
 */
import { encodeSyncStep2, encodeSyncUpdate } from '@tandem/protocol';
import * as Y from 'yjs';
import type { StoredDoc } from './storage/DocStore.js';

/**
 * The state vector of a stored document, or undefined when it cannot be known without loading it
 * (no state vector was stored beside its updates).
 */
export function storedStateVector(stored: StoredDoc): Uint8Array | undefined {
  if (stored.updates.length === 0) return Y.encodeStateVector(new Y.Doc());
  return stored.stateVector;
}

/** True for the state vector of an empty document: the client has nothing yet. */
export function isEmptyStateVector(stateVector: Uint8Array): boolean {
  return stateVector.byteLength === 1 && stateVector[0] === 0;
}

/**
 * Everything stored, as frames for a client that has nothing: each stored update in order (the
 * snapshot first), the last one as sync step 2, so the stock client counts itself synced only once
 * it has all of them.
 */
export function framesForFreshClient(updates: readonly Uint8Array[]): Uint8Array[] {
  if (updates.length === 0) return [encodeSyncStep2(Y.encodeStateAsUpdate(new Y.Doc()))];
  return updates.map((update, i) => (i === updates.length - 1 ? encodeSyncStep2(update) : encodeSyncUpdate(update)));
}

/**
 * Run the Yjs code paths a first visit needs once, at start-up: a fresh process compiles each
 * function on first use, which otherwise lands on the first client's load (about 10 ms).
 */
export function warmUpYjs(): void {
  const doc = new Y.Doc();
  doc.getText('warm-up').insert(0, 'warm-up');
  const update = Y.encodeStateAsUpdate(doc);
  const stateVector = Y.encodeStateVector(doc);
  framesForFreshClient([update]);
  Y.applyUpdate(new Y.Doc(), update);
  Y.encodeStateAsUpdate(doc, stateVector);
}
