/**
 * Finding words a transaction deleted that nobody asked to delete.
 *
 * A Yjs deletion names items by ID. Deleting a container (a paragraph's Y.XmlElement, its
 * Y.XmlText) deletes every child with it, and an item that arrives for a deleted container is
 * deleted as it integrates. So text someone typed into a paragraph while another person deleted
 * that paragraph (offline, or at the same moment) disappears without anyone having deleted it:
 * the deleter's update names only the text the deleter knew. Such text is "collateral": deleted
 * in the server's transaction, but not named by any delete set the transaction applied.
 *
 * This runs on every transaction the server applies, so it returns at once unless the transaction
 * deleted text whose container is deleted too; only then does it decode the incoming delete sets.
 */
import { BODY_FRAGMENT } from '@tandem/protocol';
import * as Y from 'yjs';

type DeleteSet = ReturnType<typeof Y.mergeDeleteSets>;

/** Inline content recovered from a deleted container, in document order. */
export type LostPiece =
  | { kind: 'text'; text: string; attributes: Record<string, unknown> }
  | { kind: 'embed'; embed: object; attributes: Record<string, unknown> }
  | { kind: 'element'; nodeName: string; attributes: Record<string, unknown> };

/** What one textblock (a paragraph, heading, code block…) lost. */
export interface LostBlock {
  /** The textblock's element; deleted, or alive while its Y.XmlText was replaced. */
  textblock: Y.XmlElement;
  pieces: LostPiece[];
}

/** The deletions the incoming updates asked for, decoded only when needed. */
export class NamedDeletions {
  private merged: DeleteSet | undefined;

  /** @param updates V1 updates being applied; @param pendingDs Yjs's pending deletions (V2) from before them. */
  constructor(
    private readonly updates: readonly Uint8Array[],
    private readonly pendingDs: Uint8Array | null,
  ) {}

  /** The parts of `length` clocks from `id` on that no incoming update deleted, as [start, end) offsets. */
  unnamed(id: Y.ID, length: number): Array<[number, number]> {
    this.merged ??= this.decode();
    const ranges = this.merged.clients.get(id.client) ?? [];
    const parts: Array<[number, number]> = [];
    let from = id.clock;
    const end = id.clock + length;
    for (let i = firstEndingAfter(ranges, from); i < ranges.length && from < end; i++) {
      const range = ranges[i]!;
      if (range.clock >= end) break;
      if (range.clock > from) parts.push([from - id.clock, range.clock - id.clock]);
      from = Math.max(from, range.clock + range.len);
    }
    if (from < end) parts.push([from - id.clock, end - id.clock]);
    return parts;
  }

  private decode(): DeleteSet {
    const sets = this.updates.map((update) => Y.decodeUpdate(update).ds);
    // Deletions of structs that were still missing their dependencies wait in pendingDs; they are
    // applied once those structs integrate, possibly while later updates are applied.
    if (this.pendingDs) sets.push(Y.decodeUpdateV2(this.pendingDs).ds);
    return Y.mergeDeleteSets(sets);
  }
}

/** Index of the first range (sorted, merged) that ends after `clock`. */
function firstEndingAfter(ranges: ReadonlyArray<{ clock: number; len: number }>, clock: number): number {
  let low = 0;
  let high = ranges.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (ranges[mid]!.clock + ranges[mid]!.len <= clock) low = mid + 1;
    else high = mid;
  }
  return low;
}

/**
 * The text `transaction` deleted collaterally in the body fragment, grouped by textblock. Must run
 * before the transaction's garbage collection empties deleted items (in `afterTransaction`).
 */
export function findLostText(transaction: Y.Transaction, named: NamedDeletions): LostBlock[] {
  const ds = transaction.deleteSet;
  if (ds.clients.size === 0) return [];
  const lostRanges = new Map<Y.Item, Array<[number, number]>>();
  const texts = new Set<Y.XmlText>();
  Y.iterateDeletedStructs(transaction, ds, (struct) => {
    if (!(struct instanceof Y.Item) || struct.parentSub !== null) return;
    if (!(struct.content instanceof Y.ContentString || struct.content instanceof Y.ContentEmbed)) return;
    const text = struct.parent;
    // Text deleted from a living Y.XmlText was deleted by someone; only a deleted container sweeps text along.
    if (!(text instanceof Y.XmlText) || !text._item?.deleted) return;
    const ranges = named.unnamed(struct.id, struct.length);
    if (ranges.length === 0) return;
    lostRanges.set(struct, ranges);
    texts.add(text);
  });
  if (lostRanges.size === 0) return [];
  const body = transaction.doc.share.get(BODY_FRAGMENT);
  const textblocks = new Set<Y.XmlElement>();
  for (const text of texts) {
    if (text.parent instanceof Y.XmlElement && body !== undefined && isInList(text, body)) textblocks.add(text.parent as Y.XmlElement);
  }
  const blocks: LostBlock[] = [];
  for (const textblock of textblocks) {
    const pieces = lostPieces(textblock, texts, lostRanges, (item) => Y.isDeleted(ds, item.id) && named.unnamed(item.id, 1).length > 0);
    if (pieces.length > 0) blocks.push({ textblock, pieces });
  }
  return blocks;
}

/** The lost inline content of one textblock, in order: text and embeds with their formatting, and inline elements. */
function lostPieces(
  textblock: Y.XmlElement,
  texts: ReadonlySet<Y.XmlText>,
  lostRanges: ReadonlyMap<Y.Item, Array<[number, number]>>,
  isLostElement: (item: Y.Item) => boolean,
): LostPiece[] {
  const pieces: LostPiece[] = [];
  for (let child = textblock._start; child !== null; child = child.right) {
    if (!(child.content instanceof Y.ContentType)) continue;
    const type = child.content.type;
    if (type instanceof Y.XmlText) {
      if (texts.has(type)) pieces.push(...lostInText(type, lostRanges));
    } else if (type instanceof Y.XmlElement && isLostElement(child)) {
      pieces.push({ kind: 'element', nodeName: type.nodeName, attributes: attributesOf(type as Y.XmlElement) });
    }
  }
  return pieces;
}

/**
 * Walk a Y.XmlText's items in order, keeping the formatting in force (Yjs stores it as format
 * items before and after a run), and take the lost parts. Formats of text deleted in an earlier
 * transaction are already emptied by garbage collection: text restored from there keeps only the
 * formatting its own writer added.
 */
function lostInText(text: Y.XmlText, lostRanges: ReadonlyMap<Y.Item, Array<[number, number]>>): LostPiece[] {
  const pieces: LostPiece[] = [];
  const formats = new Map<string, unknown>();
  for (let item = text._start; item !== null; item = item.right) {
    const content = item.content;
    if (content instanceof Y.ContentFormat) {
      if (content.value === null) formats.delete(content.key);
      else formats.set(content.key, content.value);
      continue;
    }
    const ranges = lostRanges.get(item);
    if (!ranges) continue;
    const attributes = Object.fromEntries(formats);
    for (const [start, end] of ranges) {
      if (content instanceof Y.ContentString) pieces.push({ kind: 'text', text: content.str.slice(start, end), attributes });
      else if (content instanceof Y.ContentEmbed) pieces.push({ kind: 'embed', embed: content.embed, attributes });
    }
  }
  return pieces;
}

/** An element's attributes, read from its items even when they were deleted with it in this transaction. */
function attributesOf(element: Y.XmlElement): Record<string, unknown> {
  const attributes: Record<string, unknown> = {};
  for (const [key, item] of element._map) {
    if (item.content instanceof Y.ContentDeleted) continue;
    const values = item.content.getContent();
    if (values.length > 0) attributes[key] = values[values.length - 1];
  }
  return attributes;
}

/** True when `type` sits in `root` as a list child at every level (never as a map entry), as y-prosemirror nests its elements. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any Yjs shared type: AbstractType is invariant in its event type, so no narrower type admits them all
function isInList(type: Y.AbstractType<any>, root: Y.AbstractType<any>): boolean {
  let current = type;
  while (current._item !== null) {
    if (current._item.parentSub !== null || !(current._item.parent instanceof Y.AbstractType)) return false;
    current = current._item.parent;
  }
  return current === root;
}
