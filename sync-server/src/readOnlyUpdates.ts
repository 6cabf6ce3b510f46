/**
 * Document changes from read-only connections. Every stock client answers the server's sync
 * step 1 with a step 2 holding what it has that the server might lack: for a viewer that is
 * nothing new, but never empty, since Yjs always puts the client's whole delete set in it. So a
 * step 2 is refused (counted as `read-only` and logged once per connection) only when it would
 * really change the document.
 *
 * How that is decided, without applying anything: an update changes a document when
 *  - one of its structs reaches past the document's state for that client (content, or a GC
 *    range, the document does not hold yet), or
 *  - one of its deletions covers a struct the document holds undeleted, or a clock range the
 *    document does not hold at all (a deletion Yjs would keep pending).
 * Structs already held are the same structs (Yjs IDs are unique), so they change nothing. The
 * deletions are looked up in the document's struct store by binary search (Y.findIndexSS), one
 * step per struct they cover: a viewer's delete set costs about what encoding it did.
 */
import * as Y from 'yjs';
import type { Connection } from './Connection.js';
import type { ServerStats } from './metrics.js';
import type { DecodedUpdate } from './updateGuard.js';

/** Whether applying `update` to `doc` would change it. */
export function changesDocument(doc: Y.Doc, { structs, ds }: DecodedUpdate): boolean {
  for (const struct of structs) {
    if (struct instanceof Y.Skip) continue; // a gap in a merged update, not content
    if (struct.id.clock + struct.length > Y.getState(doc.store, struct.id.client)) return true;
  }
  for (const [client, deletions] of ds.clients) {
    const held = doc.store.clients.get(client);
    const state = Y.getState(doc.store, client);
    for (const { clock, len } of deletions) {
      if (clock + len > state || !held) return true;
      for (let index = Y.findIndexSS(held, clock), at = clock; at < clock + len; index++) {
        const struct = held[index]!;
        if (!struct.deleted) return true; // GC structs count as deleted
        at = struct.id.clock + struct.length;
      }
    }
  }
  return false;
}

/**
 * A read-only connection tried to change the document: drop it, count it, and say so once per
 * connection (`refusedBefore`: how many of its changes were refused before this one).
 */
export function refuseReadOnlyChange(conn: Connection, refusedBefore: number, stats: ServerStats): void {
  stats.reject('read-only');
  if (refusedBefore === 0) conn.log.warn('dropped document update from a read-only connection');
}
