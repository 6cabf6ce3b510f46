/**
 * Putting lost words back (see lostText.ts for how they are found). Each textblock that lost text
 * gets one new paragraph, written by the server as an ordinary Yjs edit, marked with the
 * `restored` attribute and placed where the deleted block stood: right after it in the nearest
 * surviving container that may hold a paragraph (the body, a blockquote, a list item). Blocks
 * restored at the same place keep their document order, and a later restoration there goes after
 * the earlier ones.
 */
import { BLOCK_CONTAINER_NODES, BODY_FRAGMENT, PARAGRAPH_NODE, RESTORED_ATTRIBUTE } from '@tandem/protocol';
import * as Y from 'yjs';
import type { LostBlock, LostPiece } from './lostText.js';

/** A restoration the server made: the Yjs update to store and relay, and what it holds. */
export interface Restoration {
  update: Uint8Array;
  paragraphs: number;
  characters: number;
}

/** What an element attribute may hold (any JSON value). */
type AttributeValues = Record<string, NonNullable<unknown> | null>;

/** Origin of the server's restoring transaction. */
const RESTORER = 'tandem:restore-lost-words';

/** Write `blocks` back into `doc` in one transaction; null when there is nothing to write. */
export function restoreLostBlocks(doc: Y.Doc, lost: readonly LostBlock[]): Restoration | null {
  const blocks = lost.map(({ textblock, pieces }) => ({ textblock, pieces: withoutLeadingSpace(pieces) })).filter((block) => block.pieces.length > 0);
  if (blocks.length === 0) return null;
  // Roots made by applying updates are plain types until asked for by kind; the body is a fragment.
  doc.getXmlFragment(BODY_FRAGMENT);
  const ordered = blocks.map((block) => ({ block, path: pathOf(block.textblock) })).sort((a, b) => comparePaths(a.path, b.path));
  let update: Uint8Array | null = null;
  const capture = (written: Uint8Array): void => void (update = written);
  doc.on('update', capture);
  try {
    Y.transact(doc, () => {
      for (const { block } of ordered) restoreBlock(block);
    }, RESTORER);
  } finally {
    doc.off('update', capture);
  }
  if (update === null) return null;
  const characters = blocks.reduce((sum, block) => sum + block.pieces.reduce((n, piece) => n + (piece.kind === 'text' ? piece.text.length : 1), 0), 0);
  return { update, paragraphs: blocks.length, characters };
}

function restoreBlock({ textblock, pieces }: LostBlock): void {
  const { container, after } = placeFor(textblock);
  const paragraph = new Y.XmlElement<AttributeValues>(PARAGRAPH_NODE);
  container.insertAfter(after, [paragraph as Y.XmlElement]);
  paragraph.setAttribute(RESTORED_ATTRIBUTE, true);
  fill(paragraph as Y.XmlElement, pieces);
}

/**
 * Where a paragraph holding `textblock`'s lost text goes: the nearest surviving ancestor that may
 * hold paragraphs, right after the ancestor-or-self of `textblock` that is its child (deleted or
 * not), past any paragraphs restored there before.
 */
function placeFor(textblock: Y.XmlElement): { container: Y.XmlFragment; after: Y.Item } {
  let after = textblock._item!;
  let container = textblock.parent as Y.XmlFragment;
  while (container instanceof Y.XmlElement && container._item!.deleted) {
    after = container._item!;
    container = container.parent as Y.XmlFragment;
  }
  while (container instanceof Y.XmlElement && !BLOCK_CONTAINER_NODES.includes(container.nodeName)) {
    after = container._item!;
    container = container.parent as Y.XmlFragment;
  }
  while (after.right !== null && isRestoredParagraph(after.right)) after = after.right;
  return { container, after };
}

function isRestoredParagraph(item: Y.Item): boolean {
  if (item.deleted || !(item.content instanceof Y.ContentType)) return false;
  const type = item.content.type;
  return type instanceof Y.XmlElement && type.nodeName === PARAGRAPH_NODE && Boolean(type.getAttribute(RESTORED_ATTRIBUTE));
}

/** Write the pieces into `paragraph` as y-prosemirror does: runs of text in Y.XmlText, inline nodes as elements between them. */
function fill(paragraph: Y.XmlElement, pieces: readonly LostPiece[]): void {
  let text: Y.XmlText | undefined;
  for (const piece of pieces) {
    if (piece.kind === 'element') {
      const element = new Y.XmlElement<AttributeValues>(piece.nodeName);
      paragraph.push([element as Y.XmlElement]);
      for (const [key, value] of Object.entries(piece.attributes)) element.setAttribute(key, value ?? null);
      text = undefined;
      continue;
    }
    if (!text) {
      text = new Y.XmlText();
      paragraph.push([text]);
    }
    // Attributes always given (an empty object too), or Yjs would carry on the formatting before the insertion point.
    if (piece.kind === 'text') text.insert(text.length, piece.text, piece.attributes);
    else text.insertEmbed(text.length, piece.embed, piece.attributes);
  }
}

/**
 * The pieces without the white space they start with: it separated them from the deleted words
 * before them, and would indent the new paragraph. Nothing but white space is nothing to restore.
 */
function withoutLeadingSpace(pieces: readonly LostPiece[]): LostPiece[] {
  const rest = [...pieces];
  while (rest[0]?.kind === 'text') {
    const text = rest[0].text.trimStart();
    if (text) {
      rest[0] = { ...rest[0], text };
      break;
    }
    rest.shift();
  }
  return rest;
}

/** The positions of `type` and its ancestors among all their siblings (deleted ones too), root first. */
/* eslint-disable @typescript-eslint/no-explicit-any -- any Yjs shared type: AbstractType is invariant in its event type, so no narrower type admits them all */
function pathOf(type: Y.AbstractType<any>): number[] {
  const path: number[] = [];
  for (let item = type._item; item !== null; item = (item.parent as Y.AbstractType<any>)._item) {
    let index = 0;
    for (let left = item.left; left !== null; left = left.left) index++;
    path.unshift(index);
  }
  return path;
}
/* eslint-enable @typescript-eslint/no-explicit-any */

function comparePaths(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}
