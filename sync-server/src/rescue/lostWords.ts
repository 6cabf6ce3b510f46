/**
 * Words typed into a paragraph that someone else deleted at the same time are kept.
 *
 * y-prosemirror turns "select all, delete" into "empty the first paragraph, delete the others",
 * and joining or retyping blocks deletes elements too. A Yjs deletion of an element sweeps along
 * every child, including text typed into it by someone who had not seen the deletion (typically
 * offline): that text vanished for everyone while every screen said "All changes saved". The sync
 * server is the one place that sees every update in order, so it repairs this as it applies them:
 * text a transaction deleted that no incoming delete set named is written back as a new paragraph,
 * marked, stored with the updates that lost it (before anything is relayed) and relayed to
 * everyone. See PROTOCOL.md, "Concurrent deletions".
 *
 * The server's Y.Doc must keep deleted elements (not their text) from garbage collection
 * ({@link serverDocOptions}): text that arrives after its paragraph was deleted is then
 * integrated into the deleted paragraph, where it can be found and placed, instead of being
 * dropped on arrival.
 */
import * as Y from 'yjs';
import { type LostBlock, NamedDeletions, findLostText } from './lostText.js';
import { type Restoration, restoreLostBlocks } from './restore.js';

export type { Restoration } from './restore.js';

/**
 * Options for the server's Y.Doc: deleted types (elements and texts) are not garbage collected, so
 * the structure of a deleted paragraph stays (its deleted text is still emptied). This costs a few
 * bytes per deleted block in memory and in storage.
 */
export const serverDocOptions = {
  gcFilter: (item: Y.Item): boolean => !(item.content instanceof Y.ContentType),
};

/**
 * Apply `updates` to `doc` by calling `apply`, and write back any text the transaction(s) deleted
 * collaterally. Returns what `apply` returned and the restoration (null when nothing was lost).
 * Re-applying updates the document already holds deletes nothing, so it restores nothing twice.
 */
export function applyKeepingLostWords<T>(doc: Y.Doc, updates: readonly Uint8Array[], apply: () => T): [T, Restoration | null] {
  let watch = watches.get(doc);
  if (!watch) {
    watch = new LostWordsWatch();
    watches.set(doc, watch);
    doc.on('afterTransaction', watch.collect);
  }
  watch.begin(updates, doc.store.pendingDs);
  let result: T;
  try {
    result = apply();
  } finally {
    watch.end();
  }
  return [result, restoreLostBlocks(doc, watch.take())];
}

/**
 * One per server document, listening to its transactions for good (this runs for every update
 * applied: registering a listener each time would cost more than the check itself).
 */
class LostWordsWatch {
  private named: NamedDeletions | undefined;
  private readonly lost = new Map<Y.XmlElement, LostBlock>();

  begin(updates: readonly Uint8Array[], pendingDs: Uint8Array | null): void {
    this.named = new NamedDeletions(updates, pendingDs);
    this.lost.clear(); // what an apply that threw left behind
  }

  end(): void {
    this.named = undefined;
  }

  /** The blocks collected since {@link begin}, forgotten here. */
  take(): LostBlock[] {
    if (this.lost.size === 0) return [];
    const blocks = [...this.lost.values()];
    this.lost.clear();
    return blocks;
  }

  readonly collect = (transaction: Y.Transaction): void => {
    // Outside an apply (loading from storage, the server's own restoring edit) nothing is collected.
    if (!this.named) return;
    for (const block of findLostText(transaction, this.named)) {
      const known = this.lost.get(block.textblock);
      if (known) known.pieces.push(...block.pieces);
      else this.lost.set(block.textblock, block);
    }
  };
}

const watches = new WeakMap<Y.Doc, LostWordsWatch>();
