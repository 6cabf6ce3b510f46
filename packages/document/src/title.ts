/**
 * The document's title in its Y.Doc, for the server side (restoring a version, renaming). Where the
 * title lives — the Y.Text `title`, or in older documents a string in the Y.Map `meta` — is
 * @tandem/protocol's `title.ts`; reading goes through its `readTitle`, writing through here.
 */
import { LEGACY_TITLE_KEY, LEGACY_TITLE_MAP, TITLE_TEXT, readTitle as readTitleOf } from '@tandem/protocol';
import type * as Y from 'yjs';

/** The title, or an empty string when none was ever set. */
export function readTitle(ydoc: Y.Doc): string {
  return readTitleOf(ydoc);
}

/**
 * Set the title; nothing is written when it already is `title`. The Y.Text is edited by the
 * smallest replacement (common prefix and suffix kept), so a title someone is typing in at the same
 * moment keeps their characters; a legacy string title is removed, so it can no longer show through.
 */
export function writeTitle(ydoc: Y.Doc, title: string): void {
  const legacy = ydoc.getMap(LEGACY_TITLE_MAP);
  if (readTitle(ydoc) === title && !legacy.has(LEGACY_TITLE_KEY)) return;
  ydoc.transact(() => {
    const text = ydoc.getText(TITLE_TEXT);
    const current = text.toString();
    let start = 0;
    while (start < current.length && start < title.length && current[start] === title[start]) start++;
    let end = 0;
    while (end < current.length - start && end < title.length - start && current[current.length - 1 - end] === title[title.length - 1 - end]) end++;
    if (current.length - start - end > 0) text.delete(start, current.length - start - end);
    if (title.length - start - end > 0) text.insert(start, title.slice(start, title.length - end));
    if (legacy.has(LEGACY_TITLE_KEY)) legacy.delete(LEGACY_TITLE_KEY);
  });
}
