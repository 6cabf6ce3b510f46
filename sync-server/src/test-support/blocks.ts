/**
 * Test helpers for documents shaped as y-prosemirror writes them (paragraph elements holding a
 * Y.XmlText), and for deleting as it deletes (select all + delete).
 */
import { BODY_FRAGMENT, RESTORED_ATTRIBUTE } from '@tandem/protocol';
import * as Y from 'yjs';
import type { ProviderClient } from './clients.js';

export const body = (client: ProviderClient): Y.XmlFragment => client.doc.getXmlFragment(BODY_FRAGMENT);

/** A block as y-prosemirror writes it: a textblock holds a Y.XmlText; containers hold blocks. */
export type Block = string | { name: string; children: Block[] };
export function element(block: Block): Y.XmlElement {
  if (typeof block === 'string') {
    const paragraph = new Y.XmlElement('paragraph');
    paragraph.insert(0, [new Y.XmlText(block)]);
    return paragraph;
  }
  const container = new Y.XmlElement(block.name);
  container.insert(0, block.children.map(element));
  return container;
}

/** The text of a block's Y.XmlText (formatting left out). */
export function textOf(type: Y.XmlElement | Y.XmlText): string {
  if (type instanceof Y.XmlText) return type.toDelta().map((op: { insert: unknown }) => (typeof op.insert === 'string' ? op.insert : '')).join('');
  return type.toArray().map((child) => textOf(child as Y.XmlElement | Y.XmlText)).join('');
}

/** Top-level blocks as `[text, restored]` pairs. */
export function blocks(client: ProviderClient): Array<[string, boolean]> {
  return body(client)
    .toArray()
    .map((block) => [textOf(block as Y.XmlElement), Boolean((block as Y.XmlElement).getAttribute(RESTORED_ATTRIBUTE))]);
}

/** The Y.XmlText of the textblock at `path` (indexes through containers). */
export function textAt(client: ProviderClient, ...path: number[]): Y.XmlText {
  let type: Y.XmlElement | Y.XmlFragment = body(client);
  for (const index of path) type = type.get(index) as Y.XmlElement;
  return type.get(0) as Y.XmlText;
}

export const typeAtEnd = (text: Y.XmlText, words: string, attributes: Record<string, unknown> = {}): void => text.insert(text.length, words, attributes);

/** Select all + delete as y-prosemirror writes it: the first block's text emptied, every other block deleted. */
export function deleteEverything(client: ProviderClient): void {
  client.doc.transact(() => {
    const first = textAt(client, 0);
    first.delete(0, first.length);
    body(client).delete(1, body(client).length - 1);
  });
}

