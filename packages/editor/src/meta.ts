import {
  hasTitleText,
  LEGACY_TITLE_KEY,
  LEGACY_TITLE_MAP,
  MAX_TITLE_LENGTH,
  readTitle,
  TITLE_TEXT,
} from '@tandem/protocol';
import { simpleDiffString } from 'lib0/diff';
import * as Y from 'yjs';

/**
 * The document's title: a shared Y.Text, edited as small insertions and deletions so that people
 * renaming a document at the same time keep each other's words (see `@tandem/protocol`'s title.ts
 * for the layout, and titleBinding.ts for the field that edits it).
 *
 * A document written before the title was a Y.Text still has it as a plain string; that string is
 * shown until the first edit, which moves it into the Y.Text ({@link adoptLegacyTitle}).
 */

/** One edit of the title, in the title's own coordinates (as `lib0/diff` describes it). */
export interface TitleEdit {
  index: number;
  remove: number;
  insert: string;
}

/** The document's title, or an empty string. */
export function getTitle(doc: Y.Doc): string {
  return readTitle(doc);
}

/** The Y.Text that holds the title. */
export function titleText(doc: Y.Doc): Y.Text {
  return doc.getText(TITLE_TEXT);
}

/**
 * Apply `edit` (made against what {@link getTitle} returned) to the title, for everyone, in one
 * transaction. The result is cut at {@link MAX_TITLE_LENGTH}. Returns the edit as applied.
 */
export function editTitle(doc: Y.Doc, edit: TitleEdit, origin?: unknown): TitleEdit {
  const current = getTitle(doc);
  const index = Math.max(0, Math.min(edit.index, current.length));
  const remove = Math.max(0, Math.min(edit.remove, current.length - index));
  const room = MAX_TITLE_LENGTH - (current.length - remove);
  const insert = edit.insert.slice(0, Math.max(0, room));
  if (remove === 0 && insert === '') return { index, remove, insert };
  adoptLegacyTitle(doc);
  doc.transact(() => {
    const text = titleText(doc);
    if (remove > 0) text.delete(index, remove);
    if (insert) text.insert(index, insert);
  }, origin);
  return { index, remove, insert };
}

/**
 * Set the title (for everyone) to `title`, changing only the characters that differ, so that an
 * edit someone else makes at the same time elsewhere in the title survives. A no-op when unchanged.
 */
export function setTitle(doc: Y.Doc, title: string, origin?: unknown): void {
  editTitle(doc, simpleDiffString(getTitle(doc), title.slice(0, MAX_TITLE_LENGTH)), origin);
}

/** Call `listener` with the title whenever anyone changes it. Returns a function that stops listening. */
export function observeTitle(doc: Y.Doc, listener: (title: string) => void): () => void {
  const text = titleText(doc);
  const legacy = doc.getMap(LEGACY_TITLE_MAP);
  let last = getTitle(doc);
  const onChange = () => {
    const next = getTitle(doc);
    if (next === last) return;
    last = next;
    listener(next);
  };
  const onLegacy = (event: Y.YMapEvent<unknown>) => {
    if (event.keysChanged.has(LEGACY_TITLE_KEY)) onChange();
  };
  text.observe(onChange);
  legacy.observe(onLegacy);
  return () => {
    text.unobserve(onChange);
    legacy.unobserve(onLegacy);
  };
}

/**
 * Move a legacy string title into the title's Y.Text (and delete the string), if the Y.Text was
 * never written. {@link editTitle} calls it before the first edit, so that the edit applies to it.
 *
 * Race-free without a coordinator: the insertion is made by a client ID derived from the string
 * itself, at clock 0, into an empty Y.Text, so two editors converting the same title at the same
 * time write the very same Yjs item, and Yjs keeps one. (A device whose stale copy holds an older
 * string writes a different item: both strings then show, nothing is lost.) It arrives as an
 * update from that other client ID, in its own transaction with origin {@link LEGACY_TITLE_ORIGIN}.
 */
export function adoptLegacyTitle(doc: Y.Doc): void {
  if (hasTitleText(doc)) return;
  const map = doc.getMap(LEGACY_TITLE_MAP);
  const legacy = map.get(LEGACY_TITLE_KEY);
  if (typeof legacy !== 'string') return;
  const title = legacy.slice(0, MAX_TITLE_LENGTH);
  doc.transact(() => {
    if (title) {
      const writer = new Y.Doc();
      writer.clientID = legacyTitleClientId(title);
      writer.getText(TITLE_TEXT).insert(0, title);
      Y.applyUpdate(doc, Y.encodeStateAsUpdate(writer), LEGACY_TITLE_ORIGIN);
      writer.destroy();
    }
    map.delete(LEGACY_TITLE_KEY);
  }, LEGACY_TITLE_ORIGIN);
  // The derived ID had already written here (it collided with a real client): insert as ourselves.
  if (title && !hasTitleText(doc)) titleText(doc).insert(0, title);
}

/** The transaction origin of {@link adoptLegacyTitle}'s conversion. */
export const LEGACY_TITLE_ORIGIN = Symbol('tandem-legacy-title');

/** A 32-bit FNV-1a hash of `title`: the client ID that converts it (see {@link adoptLegacyTitle}). */
export function legacyTitleClientId(title: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < title.length; i++) {
    hash ^= title.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
