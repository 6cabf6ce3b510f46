/**
 * One cut of a room's pending work: the updates received since the last cut, applied together,
 * and what then goes to storage and to the room's connections. The Room decides when to cut; this
 * file is what a cut does to the Y.Doc and how its result is delivered.
 */
import { encodeSavedAck, encodeSyncUpdate } from '@tandem/protocol';
import * as Y from 'yjs';
import type { Connection } from '../Connection.js';
import { type Restoration, applyKeepingLostWords } from '../rescue/lostWords.js';
import { toWireFrame } from '../websocket/frameWriter.js';

/** An update a connection sent (or the server made: origin undefined), with the frame that relays it. */
export interface IncomingUpdate {
  origin: Connection | undefined;
  update: Uint8Array;
  frame: Uint8Array;
}

/** What one cut writes and then delivers. */
export interface Batch {
  updates: IncomingUpdate[];
  /** Updates the server already applied to the Y.Doc (a repair): stored and relayed to everyone as they are. */
  applied: Uint8Array[];
  /**
   * The state vector of each connection's latest sync step 1: one answer per connection per cut,
   * however many it sent (each answer can be the whole document).
   */
  step1Requests: Map<Connection, Uint8Array>;
  /** The change count to acknowledge to each connection once the batch is stored. */
  acks: Map<Connection, number>;
}

export const emptyBatch = (): Batch => ({ updates: [], applied: [], step1Requests: new Map(), acks: new Map() });

export const batchHasWork = (batch: Batch | undefined): boolean =>
  batch !== undefined && (batch.updates.length > 0 || batch.applied.length > 0 || batch.step1Requests.size > 0 || batch.acks.size > 0);

/** A batch after it was applied: what to store and what to relay (origin undefined: to everyone). */
export interface AppliedBatch {
  stored: Uint8Array[];
  relay: Array<{ origin: Connection | undefined; frame: Uint8Array }>;
  /** Words the batch swept away with a deleted paragraph, written back (see rescue/lostWords.ts). */
  restorations: Restoration[];
}

/** Updates applied per Yjs transaction at a cut. */
const TRANSACTION_CHUNK = 1000;

/**
 * Apply a batch's updates, up to TRANSACTION_CHUNK per transaction. Yjs emits one update per
 * transaction: the chunk merged, far cheaper than Y.mergeUpdates. (Chunks, because inside one
 * huge transaction every deletion splits items Yjs merges back only at its end.) The raw updates
 * are kept instead for a chunk of one, and when structs wait for missing dependencies: Yjs
 * leaves those out of the transaction's update until they integrate, and storage must not miss them.
 */
export function applyBatch(doc: Y.Doc, updates: readonly IncomingUpdate[], alreadyApplied: readonly Uint8Array[]): AppliedBatch {
  const applied: AppliedBatch = { stored: [], relay: [], restorations: [] };
  for (let start = 0; start < updates.length; start += TRANSACTION_CHUNK) {
    const chunk = updates.slice(start, start + TRANSACTION_CHUNK);
    const [merged, restored] = applyKeepingLostWords(doc, chunk.map((u) => u.update), () =>
      chunk.length === 1 ? applyOne(doc, chunk[0]!) : applyInOneTransaction(doc, chunk),
    );
    if (merged === undefined || doc.store.pendingStructs !== null || doc.store.pendingDs !== null) {
      for (const { update, origin, frame } of chunk) {
        applied.stored.push(update);
        applied.relay.push({ origin, frame });
      }
    } else if (merged !== null) {
      applied.stored.push(merged);
      const soleOrigin = chunk.every((u) => u.origin === chunk[0]!.origin) ? chunk[0]!.origin : undefined;
      applied.relay.push({ origin: soleOrigin, frame: encodeSyncUpdate(merged) });
    }
    if (restored) {
      // Stored with the chunk that lost the words, relayed to all.
      applied.stored.push(restored.update);
      applied.relay.push({ origin: undefined, frame: encodeSyncUpdate(restored.update) });
      applied.restorations.push(restored);
    }
  }
  for (const update of alreadyApplied) {
    applied.stored.push(update);
    applied.relay.push({ origin: undefined, frame: encodeSyncUpdate(update) });
  }
  return applied;
}

/** Apply one update as it came; undefined: keep it raw. */
function applyOne(doc: Y.Doc, { update, origin }: IncomingUpdate): undefined {
  Y.applyUpdate(doc, update, origin);
  return undefined;
}

/** Apply updates in one transaction; the update Yjs emits for it, or null when nothing changed. */
function applyInOneTransaction(doc: Y.Doc, updates: readonly IncomingUpdate[]): Uint8Array | null {
  let merged: Uint8Array | null = null;
  const capture = (update: Uint8Array): void => void (merged = update);
  doc.on('update', capture);
  try {
    Y.transact(doc, () => {
      for (const { update, origin } of updates) Y.applyUpdate(doc, update, origin);
    });
  } finally {
    doc.off('update', capture);
  }
  return merged;
}

/**
 * Relay to every connection but the update's origin, each frame framed for the wire once, then the
 * sync answers and the Saved acknowledgements. A merged batch from several writers goes to all of
 * them: applying one's own update again is a no-op.
 */
export function deliverBatch(
  connections: Iterable<Connection>,
  applied: AppliedBatch,
  answers: ReadonlyArray<{ conn: Connection; frames: Uint8Array[] }>,
  acks: ReadonlyMap<Connection, number>,
): void {
  if (applied.relay.length > 0) {
    const wires = applied.relay.map(({ origin, frame }) => ({ origin, wire: toWireFrame(frame) }));
    const toEveryone = wires.map((w) => w.wire); // one array for all receivers but the writers
    for (const conn of connections) {
      conn.sendWire(wires.some((w) => w.origin === conn) ? wires.filter((w) => w.origin !== conn).map((w) => w.wire) : toEveryone);
    }
  }
  for (const { conn, frames } of answers) conn.sendAnswer(frames.map(toWireFrame));
  for (const [conn, count] of acks) conn.send(encodeSavedAck(count));
}
