/**
 * The document's title in its Y.Doc. Every reader and writer of the title on the server side goes
 * through these two functions, so that a change of where the title lives (see `docLayout.ts` in
 * @tandem/protocol) is a change here only.
 */
import { META_MAP, TITLE_KEY } from '@tandem/protocol';
import type * as Y from 'yjs';

/** The title, or an empty string when none was ever set. */
export function readTitle(ydoc: Y.Doc): string {
  const title = ydoc.getMap(META_MAP).get(TITLE_KEY);
  return typeof title === 'string' ? title : '';
}

/** Set the title; nothing is written when it already is `title`. */
export function writeTitle(ydoc: Y.Doc, title: string): void {
  if (readTitle(ydoc) === title) return;
  ydoc.getMap(META_MAP).set(TITLE_KEY, title);
}
