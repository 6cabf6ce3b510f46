/**
 * A document's content read from, and written into, its Y.Doc: the title and the body as a
 * ProseMirror node of {@link schema}. Readers serve the sync server's history views (ProseMirror
 * JSON, plain text); the writer serves restore (and import): it changes the body by the smallest
 * difference y-prosemirror finds, so blocks that did not change keep their identity and text typed
 * into them at the same moment survives.
 */
import { BODY_FRAGMENT } from '@tandem/protocol';
import type { Node } from 'prosemirror-model';
import { updateYFragment, yXmlFragmentToProseMirrorRootNode } from 'y-prosemirror';
import * as Y from 'yjs';
import { schema } from './schema.js';
import { readTitle, writeTitle } from './title.js';

/** What a document holds, apart from its Yjs history. */
export interface DocumentContent {
  title: string;
  /** The body, a `doc` node of {@link schema}. */
  body: Node;
}

/**
 * The content of a document stored as a Yjs update (a whole state, as `Y.encodeStateAsUpdate`
 * makes). Throws when the bytes are not a Yjs update.
 */
export function readDocumentUpdate(update: Uint8Array): DocumentContent {
  // y-prosemirror deletes, from the Y.Doc it reads, elements the schema refuses: read a private copy.
  const copy = new Y.Doc();
  try {
    Y.applyUpdate(copy, update);
    return { title: readTitle(copy), body: yXmlFragmentToProseMirrorRootNode(copy.getXmlFragment(BODY_FRAGMENT), schema) };
  } finally {
    copy.destroy();
  }
}

/** The content of `ydoc`, read from a copy: `ydoc` itself is never changed. */
export function readDocument(ydoc: Y.Doc): DocumentContent {
  return readDocumentUpdate(Y.encodeStateAsUpdate(ydoc));
}

/** The body as ProseMirror JSON (`{ "type": "doc", "content": [...] }`), as `Node.fromJSON(schema, …)` reads it. */
export function toProseMirrorJSON(body: Node): Record<string, unknown> {
  return body.toJSON() as Record<string, unknown>;
}

/** The body as plain text: one line per paragraph, heading, list item or code line; hard breaks become line breaks. */
export function toPlainText(body: Node): string {
  return body.textBetween(0, body.content.size, '\n', (leaf) => (leaf.type.name === 'hard_break' ? '\n' : ''));
}

/**
 * Make `ydoc` hold `content`, as changes made in the caller's transaction (or one of its own):
 * the title is set, and the body is changed block by block where it differs, leaving equal blocks
 * (and the text typed into them meanwhile) alone.
 */
export function writeDocument(ydoc: Y.Doc, content: DocumentContent): void {
  ydoc.transact(() => {
    writeTitle(ydoc, content.title);
    // The binding metadata y-prosemirror's editor keeps; empty, it compares by content.
    updateYFragment(ydoc, ydoc.getXmlFragment(BODY_FRAGMENT), content.body, { mapping: new Map(), isOMark: new Map() });
  });
}
