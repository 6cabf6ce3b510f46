/**
 * Where a Tandem document keeps its title, for the editor (which edits it) and the sync server
 * (which lists it).
 *
 * The title is the top-level Y.Text {@link TITLE_TEXT}, so that edits made at the same time merge
 * character by character, like the body. Documents written before that kept it as a plain string
 * under {@link LEGACY_TITLE_KEY} in the Y.Map {@link LEGACY_TITLE_MAP}: that string stays the title
 * until the Y.Text is first written, and the editor's first edit of such a title moves it into the
 * Y.Text (see the editor's `meta.ts`).
 */

/** The top-level Y.Text holding the title. */
export const TITLE_TEXT = 'title';
/** The Y.Map that held the title as a string before it was a Y.Text. */
export const LEGACY_TITLE_MAP = 'meta';
/** The key of that string in {@link LEGACY_TITLE_MAP}. */
export const LEGACY_TITLE_KEY = 'title';
/** Longest title, in UTF-16 code units: the editor's field takes no more and listings show no more. */
export const MAX_TITLE_LENGTH = 200;

/**
 * The parts of a Y.Doc that {@link readTitle} uses (a Y.Doc is one), so that this package needs no
 * Yjs at run time.
 */
export interface TitleSource {
  getText(name: string): { toString(): string; readonly _start: unknown };
  getMap(name: string): { get(key: string): unknown };
}

/** True once the title's Y.Text has ever been written (even if everything in it was deleted since). */
export function hasTitleText(doc: TitleSource): boolean {
  // A Y.Text keeps deleted characters as tombstones: `_start` stays set once anything was inserted.
  return doc.getText(TITLE_TEXT)._start !== null;
}

/** The document's title: the Y.Text once it was written, else the legacy string, else ''. */
export function readTitle(doc: TitleSource): string {
  if (hasTitleText(doc)) return doc.getText(TITLE_TEXT).toString();
  const legacy = doc.getMap(LEGACY_TITLE_MAP).get(LEGACY_TITLE_KEY);
  return typeof legacy === 'string' ? legacy : '';
}
