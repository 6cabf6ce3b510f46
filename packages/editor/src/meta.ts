import type * as Y from 'yjs';

/**
 * The document's metadata map. `title` is a plain string that the sync server reads for its
 * document list; the page's title field edits it live for everyone.
 */
export const META_MAP = 'meta';
export const TITLE_KEY = 'title';
/** Longest title stored. */
export const MAX_TITLE_LENGTH = 200;

/** The document's title, or an empty string. */
export function getTitle(doc: Y.Doc): string {
  const title = doc.getMap(META_MAP).get(TITLE_KEY);
  return typeof title === 'string' ? title : '';
}

/** Set the document's title (for everyone). A no-op when it is unchanged. */
export function setTitle(doc: Y.Doc, title: string): void {
  const next = title.slice(0, MAX_TITLE_LENGTH);
  if (getTitle(doc) === next) return;
  doc.getMap(META_MAP).set(TITLE_KEY, next);
}

/** Call `listener` with the title whenever anyone changes it. Returns a function that stops listening. */
export function observeTitle(doc: Y.Doc, listener: (title: string) => void): () => void {
  const map = doc.getMap(META_MAP);
  const onChange = (event: Y.YMapEvent<unknown>) => {
    if (event.keysChanged.has(TITLE_KEY)) listener(getTitle(doc));
  };
  map.observe(onChange);
  return () => map.unobserve(onChange);
}
