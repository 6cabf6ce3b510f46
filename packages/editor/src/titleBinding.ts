import { LEGACY_TITLE_KEY, LEGACY_TITLE_MAP, hasTitleText } from '@tandem/protocol';
import { simpleDiffString, simpleDiffStringWithCursor, type SimpleDiff } from 'lib0/diff';
import type * as Y from 'yjs';
import { editTitle, getTitle, titleText } from './meta.js';

/** A field that can show and edit the title. */
export type TitleField = HTMLInputElement | HTMLTextAreaElement;

/** One change of a text, in Yjs delta form. */
type Delta = Array<{ insert?: unknown; retain?: number; delete?: number }>;

/**
 * Bind `field` (an `<input>` or `<textarea>`) to the document's shared title.
 *
 * - What the person types is sent as the smallest edit (the characters inserted or deleted where
 *   they typed), never as a new whole title, so that two people editing the title at once both
 *   keep their words.
 * - A change from anyone else updates the field without moving this person's caret or selection:
 *   it is mapped through the change (text inserted or deleted before it shifts it).
 * - A title stored the old way (a string) is shown until the first edit, which converts it (see
 *   {@link editTitle}).
 *
 * The binding owns the field's `value`: do not set it from elsewhere (in React, leave the field
 * uncontrolled). Editing is off while the field is `readOnly`. Returns a function that unbinds
 * (safe to call twice).
 */
export function bindTitle(doc: Y.Doc, field: TitleField): () => void {
  const origin = { titleBinding: field };
  const text = titleText(doc);
  const legacy = doc.getMap(LEGACY_TITLE_MAP);
  /** What the field shows, and whether it came from the Y.Text (so that the text's deltas apply to it). */
  let shown = getTitle(doc);
  let shownFromText = hasTitleText(doc);
  field.value = shown;

  const onInput = () => {
    const value = field.value;
    if (value === shown) return;
    const cursor = field.selectionStart ?? value.length;
    const applied = editTitle(doc, simpleDiffStringWithCursor(shown, value, cursor), origin);
    shown = getTitle(doc);
    shownFromText = hasTitleText(doc);
    if (shown !== value) {
      // Cut at the length limit: show what was kept, with the caret after it.
      const caret = applied.index + applied.insert.length;
      field.value = shown;
      field.setSelectionRange(caret, caret);
    }
  };

  /** Show the title as it is now; `delta` is the change from what is shown, when known exactly. */
  const render = (delta?: Delta) => {
    const next = getTitle(doc);
    if (next === shown) {
      shownFromText = hasTitleText(doc);
      return;
    }
    const change = delta && shownFromText ? delta : deltaOfDiff(simpleDiffString(shown, next));
    const { selectionStart: start, selectionEnd: end, selectionDirection: direction } = field;
    const focused = field.ownerDocument.activeElement === field;
    field.value = next;
    shown = next;
    shownFromText = hasTitleText(doc);
    if (!focused || start === null || end === null) return;
    const collapsed = start === end;
    // Text inserted right at a caret goes after it (the other person's words do not push it); at
    // the edges of a selection, outside it.
    const mappedStart = mapPosition(change, start, !collapsed);
    const mappedEnd = collapsed ? mappedStart : Math.max(mappedStart, mapPosition(change, end, false));
    field.setSelectionRange(mappedStart, mappedEnd, direction ?? undefined);
  };

  const onText = (event: Y.YTextEvent, transaction: Y.Transaction) => {
    if (transaction.origin !== origin) render(event.delta as Delta);
  };
  const onLegacy = (event: Y.YMapEvent<unknown>, transaction: Y.Transaction) => {
    if (transaction.origin !== origin && event.keysChanged.has(LEGACY_TITLE_KEY)) render();
  };

  field.addEventListener('input', onInput);
  text.observe(onText);
  legacy.observe(onLegacy);
  let bound = true;
  return () => {
    if (!bound) return;
    bound = false;
    field.removeEventListener('input', onInput);
    text.unobserve(onText);
    legacy.unobserve(onLegacy);
  };
}

/**
 * Where `position` (in the text before `delta`) is after it. Text inserted exactly at `position`
 * shifts it only when `stickToEnd`; a deletion around it moves it to where the deletion was.
 */
export function mapPosition(delta: Delta, position: number, stickToEnd: boolean): number {
  let oldIndex = 0;
  let shift = 0;
  for (const op of delta) {
    if (oldIndex > position) break;
    if (op.retain !== undefined) {
      oldIndex += op.retain;
    } else if (op.insert !== undefined) {
      const length = typeof op.insert === 'string' ? op.insert.length : 1;
      if (oldIndex < position || stickToEnd) shift += length;
    } else if (op.delete !== undefined) {
      if (position > oldIndex) shift -= Math.min(op.delete, position - oldIndex);
      oldIndex += op.delete;
    }
  }
  return position + shift;
}

function deltaOfDiff({ index, remove, insert }: SimpleDiff<string>): Delta {
  return [{ retain: index }, { delete: remove }, { insert }];
}
