/**
 * What a stored document looks like to a client, worked out from its bytes without loading it into
 * a Y.Doc: its state vector, and the frames that give a fresh client all of it. Loading a large
 * document costs tens of milliseconds or more; most visits only read it.
 */
import * as Y from 'yjs';
import { encodeSyncStep2, encodeSyncUpdate } from './messages.js';
import type { StoredDoc } from './storage/DocStore.js';

/**
 * The state vector of a stored document, or undefined when it cannot be known without loading the
 * document (a snapshot stored without its state vector, or a log with gaps, whose structs Yjs would
 * hold back as pending).
 */
export function storedStateVector(stored: StoredDoc): Uint8Array | undefined {
  const hasSnapshot = stored.updates.length > stored.logCount;
  if (hasSnapshot && !stored.snapshotStateVector) return undefined;
  const clocks = hasSnapshot ? Y.decodeStateVector(stored.snapshotStateVector!) : new Map<number, number>();
  for (const update of stored.updates.slice(hasSnapshot ? 1 : 0)) {
    for (const struct of Y.decodeUpdate(update).structs) {
      const known = clocks.get(struct.id.client) ?? 0;
      if (struct.id.clock > known || struct.constructor === Y.Skip) return undefined; // a gap
      clocks.set(struct.id.client, Math.max(known, struct.id.clock + struct.length));
    }
  }
  return Y.encodeStateVector(clocks);
}

/** True for the state vector of an empty document: the client has nothing yet. */
export function isEmptyStateVector(stateVector: Uint8Array): boolean {
  return stateVector.byteLength === 1 && stateVector[0] === 0;
}

/**
 * Everything stored, as frames for a client that has nothing: each stored update in order, the
 * last one as sync step 2, so the stock client counts itself synced only once it has all of them.
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
  const stateVector = storedStateVector({ updates: [update], snapshotStateVector: undefined, logCount: 1, logBytes: 0, totalBytes: 0 });
  framesForFreshClient([update]);
  Y.applyUpdate(new Y.Doc(), update);
  Y.encodeStateAsUpdate(doc, stateVector);
}
