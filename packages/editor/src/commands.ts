import { chainCommands, exitCode, setBlockType, toggleMark, wrapIn, lift } from 'prosemirror-commands';
import type { Attrs, MarkType, Node, NodeType, Schema } from 'prosemirror-model';
import { liftListItem, sinkListItem, wrapInList } from 'prosemirror-schema-list';
import { TextSelection, type Command, type EditorState, type Transaction } from 'prosemirror-state';
import { redoCommand, undoCommand } from 'y-prosemirror';
import { isSafeHref } from '@tandem/document';

/**
 * Editing commands shared by the keymap and the toolbar, and the queries the toolbar uses to
 * show which marks and blocks are active.
 */

/** True when the selection has `markType` (everywhere in a range, or in the stored marks). */
export function isMarkActive(state: EditorState, markType: MarkType): boolean {
  const { from, $from, to, empty } = state.selection;
  if (empty) return !!markType.isInSet(state.storedMarks ?? $from.marks());
  return state.doc.rangeHasMark(from, to, markType);
}

/** True when the selection's textblock is `nodeType` with at least the given attributes. */
export function isBlockActive(state: EditorState, nodeType: NodeType, attrs?: Record<string, unknown>): boolean {
  const { $from, to } = state.selection;
  if (to > $from.end()) return false;
  const parent = $from.parent;
  if (parent.type !== nodeType) return false;
  return !attrs || Object.entries(attrs).every(([key, value]) => parent.attrs[key] === value);
}

/** True when the selection is inside a node of `nodeType` (a list, a blockquote). */
export function isInside(state: EditorState, nodeType: NodeType): boolean {
  return closestAncestor(state, (type) => type === nodeType) !== undefined;
}

/** The depth of the innermost ancestor of the selection whose type passes `test`. */
function closestAncestor(state: EditorState, test: (type: NodeType) => boolean): number | undefined {
  const { $from } = state.selection;
  for (let depth = $from.depth; depth > 0; depth--) {
    if (test($from.node(depth).type)) return depth;
  }
  return undefined;
}

/** Turn the selected textblocks into `nodeType`, or back into paragraphs when they already are. */
export function toggleBlockType(nodeType: NodeType, paragraph: NodeType, attrs?: Record<string, unknown>): Command {
  return (state, dispatch) => {
    if (isBlockActive(state, nodeType, attrs)) return setBlockType(paragraph)(state, dispatch);
    return setBlockType(nodeType, attrs)(state, dispatch);
  };
}

/** The list node types: bulleted, numbered and task lists. */
export const LIST_TYPES = ['bullet_list', 'ordered_list', 'task_list'];

/**
 * Wrap the selection in a list of `listType`; if it already sits in a list of that type, lift it
 * out; if it sits in another kind of list (bulleted, numbered, tasks), switch that list's kind.
 */
export function toggleList(listType: NodeType, itemType: NodeType): Command {
  return (state, dispatch) => {
    const depth = closestAncestor(state, (type) => LIST_TYPES.includes(type.name));
    if (depth === undefined) return wrapInList(listType)(state, dispatch);
    const { $from } = state.selection;
    const list = $from.node(depth);
    if (list.type === listType) return liftListItem(itemType)(state, dispatch);
    if (dispatch) dispatch(replaceList(state.tr, $from.before(depth), list, listType, itemType));
    return true;
  };
}

/**
 * Turn the list at `pos` into a list of `listType` whose items are `itemType` (with `itemAttrs`),
 * keeping the items' content and the selection.
 */
export function replaceList(tr: Transaction, pos: number, list: Node, listType: NodeType, itemType: NodeType, itemAttrs?: Attrs): Transaction {
  const { from, to } = tr.selection;
  const attrs = listType.name === 'ordered_list' && list.type === listType ? list.attrs : null;
  const items: Node[] = [];
  list.forEach((item) => items.push(item.type === itemType && !itemAttrs ? item : itemType.create(itemAttrs ?? null, item.content)));
  tr.replaceWith(pos, pos + list.nodeSize, listType.create(attrs, items));
  // Items of every kind wrap the same content, so every position inside stays where it was.
  return tr.setSelection(TextSelection.between(tr.doc.resolve(from), tr.doc.resolve(to)));
}

/** Wrap the selection in a blockquote, or lift it out of the one it is in. */
export function toggleBlockquote(blockquote: NodeType): Command {
  return (state, dispatch) => {
    if (isInside(state, blockquote)) return lift(state, dispatch);
    return wrapIn(blockquote)(state, dispatch);
  };
}

/** Insert a node (horizontal rule) in place of the selection. */
export function insertNode(nodeType: NodeType): Command {
  return (state, dispatch) => {
    const { $from } = state.selection;
    const index = $from.index();
    if (!$from.parent.canReplaceWith(index, index, nodeType) && $from.depth === 0) return false;
    if (dispatch) dispatch(state.tr.replaceSelectionWith(nodeType.create()).scrollIntoView());
    return true;
  };
}

/** Insert a hard line break (Shift-Enter), or leave a code block (Mod-Enter). */
export function insertHardBreak(hardBreak: NodeType): Command {
  return chainCommands(exitCode, (state, dispatch) => {
    if (dispatch) dispatch(state.tr.replaceSelectionWith(hardBreak.create()).scrollIntoView());
    return true;
  });
}

const LINK_PROMPT = 'Link to';

/**
 * Ask for a URL and link the selection to it; on an existing link, remove it. `prompt` is how
 * the URL is asked for (the browser's `window.prompt` by default). An unsafe URL is refused with
 * the reason, and the question asked again with the URL to correct (until the person cancels,
 * or gives the same refused answer again).
 */
export function toggleLink(
  link: MarkType,
  prompt: (message: string, initial: string) => string | null = (message, initial) => window.prompt(message, initial),
): Command {
  return (state, dispatch) => {
    if (isMarkActive(state, link)) {
      const { from, to, $from, empty } = state.selection;
      if (!dispatch) return true;
      if (empty) {
        // Remove the whole link around the cursor.
        const range = markRange(state, $from.pos, link);
        if (range) dispatch(state.tr.removeMark(range.from, range.to, link));
        return true;
      }
      dispatch(state.tr.removeMark(from, to, link));
      return true;
    }
    if (state.selection.empty) return false;
    if (!dispatch) return true;
    const href = askForLink(prompt);
    if (href) return toggleMark(link, { href })(state, dispatch);
    return true;
  };
}

/**
 * Ask for a link address with `prompt`, starting from `initial`, until the answer is a safe one
 * (returned normalised: `example.com` → `https://example.com`) or the person cancels (undefined).
 * An unsafe answer is refused with the reason and the question asked again with it to correct;
 * the same refused answer twice counts as cancelling.
 */
export function askForLink(prompt: (message: string, initial: string) => string | null, initial = 'https://'): string | undefined {
  let message = LINK_PROMPT;
  let previous = initial;
  for (;;) {
    const input = prompt(message, previous);
    if (!input?.trim() || input.trim() === 'https://') return undefined;
    const href = normalizeHref(input);
    if (href) return href;
    if (input === previous) return undefined;
    message = `${linkRefusal(input)}\n\n${LINK_PROMPT}`;
    previous = input;
  }
}

/** Why `input` cannot be a link (it is not safe to follow), in words for the person who typed it. */
export function linkRefusal(input: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are what this strips
  const scheme = /^\s*([a-z][a-z0-9+.-]*):/i.exec(input.replace(/[\u0000-\u001f]/g, ''))?.[1]?.toLowerCase();
  const refused = scheme ? `"${scheme}:" links are not allowed: they can run code in this page.` : 'This link is not allowed: it could run code in this page.';
  return `${refused} Use a web address (https://…), mailto: or tel:.`;
}

/** `example.com` → `https://example.com`; unsafe or empty input → undefined. */
export function normalizeHref(input: string): string | undefined {
  const trimmed = input.trim();
  if (!trimmed || trimmed === 'https://') return undefined;
  const withScheme = /^[a-z][a-z0-9+.-]*:/i.test(trimmed) || trimmed.startsWith('/') || trimmed.startsWith('#')
    ? trimmed
    : `https://${trimmed}`;
  return isSafeHref(withScheme) ? withScheme : undefined;
}

/** The extent of the `markType` run that touches `pos` within its textblock. */
export function markRange(state: EditorState, pos: number, markType: MarkType): { from: number; to: number } | undefined {
  const $pos = state.doc.resolve(pos);
  const base = $pos.start();
  let run: { from: number; to: number } | undefined;
  let found: { from: number; to: number } | undefined;
  $pos.parent.forEach((child, offset) => {
    if (found) return;
    const from = base + offset;
    const to = from + child.nodeSize;
    if (markType.isInSet(child.marks)) run = run ? { from: run.from, to } : { from, to };
    else run = undefined;
    if (run && run.from <= pos && pos <= run.to) {
      // Extend over the following children that carry the same mark.
      found = run;
    }
  });
  if (!found) return undefined;
  const result: { from: number; to: number } = found;
  $pos.parent.forEach((child, offset) => {
    const from = base + offset;
    if (from === result.to && markType.isInSet(child.marks)) result.to = from + child.nodeSize;
  });
  return result;
}

/** Per-user undo and redo: they revert only this editor's own changes (y-prosemirror's UndoManager). */
export const undo: Command = undoCommand;
export const redo: Command = redoCommand;

/** The list item types of `schema`: ordinary items and task items. */
function itemTypes(schema: Schema): NodeType[] {
  return [schema.nodes.list_item, schema.nodes.task_item].filter((type): type is NodeType => !!type);
}

/** Indent the list or task item at the selection (Tab). */
export function indentListItem(schema: Schema): Command {
  return chainCommands(...itemTypes(schema).map((type) => sinkListItem(type)));
}

/** Outdent the list or task item at the selection (Shift-Tab). */
export function outdentListItem(schema: Schema): Command {
  return chainCommands(...itemTypes(schema).map((type) => liftListItem(type)));
}

/** True when the selection is in a list or task item. */
export function isInListItem(state: EditorState): boolean {
  return closestAncestor(state, (type) => type.name === 'list_item' || type.name === 'task_item') !== undefined;
}

/**
 * Remove the formatting from the selection (Mod-\\): every mark but links, as in Google Docs. At a
 * cursor, the next typed text comes out plain.
 */
export const clearFormatting: Command = (state, dispatch) => {
  const { empty, $from, ranges } = state.selection;
  const cleared = Object.values(state.schema.marks).filter((type) => type.name !== 'link');
  if (empty) {
    const marks = state.storedMarks ?? $from.marks();
    if (!marks.some((mark) => cleared.includes(mark.type))) return false;
    if (dispatch) dispatch(state.tr.setStoredMarks(marks.filter((mark) => !cleared.includes(mark.type))));
    return true;
  }
  const has = ranges.some(({ $from: start, $to: end }) => cleared.some((type) => state.doc.rangeHasMark(start.pos, end.pos, type)));
  if (!has) return false;
  if (dispatch) {
    const tr = state.tr;
    for (const { $from: start, $to: end } of ranges) for (const type of cleared) tr.removeMark(start.pos, end.pos, type);
    dispatch(tr.scrollIntoView());
  }
  return true;
};

/** The link around `pos`: its extent and address, or undefined. */
export function linkAt(state: EditorState, pos: number): { from: number; to: number; href: string } | undefined {
  const link = state.schema.marks.link;
  if (!link) return undefined;
  const range = markRange(state, pos, link);
  if (!range) return undefined;
  const mark = state.doc.resolve(Math.min(range.from + 1, range.to)).marks().find((m) => m.type === link)
    ?? state.doc.nodeAt(range.from)?.marks.find((m) => m.type === link);
  return mark ? { ...range, href: mark.attrs.href as string } : undefined;
}

/** Point the link around `pos` at `href` (refused, returning false, when it is not a safe address). */
export function setLinkHref(pos: number, input: string): Command {
  return (state, dispatch) => {
    const link = state.schema.marks.link;
    const found = linkAt(state, pos);
    const href = normalizeHref(input);
    if (!link || !found || !href) return false;
    if (dispatch) dispatch(state.tr.removeMark(found.from, found.to, link).addMark(found.from, found.to, link.create({ href })));
    return true;
  };
}

/** Remove the link around `pos`, keeping its text. */
export function removeLinkAt(pos: number): Command {
  return (state, dispatch) => {
    const link = state.schema.marks.link;
    const found = linkAt(state, pos);
    if (!link || !found) return false;
    if (dispatch) dispatch(state.tr.removeMark(found.from, found.to, link));
    return true;
  };
}
