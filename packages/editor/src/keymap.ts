import { chainCommands, joinDown, joinUp, lift, selectParentNode, setBlockType, toggleMark } from 'prosemirror-commands';
import { undoInputRule } from 'prosemirror-inputrules';
import { keymap } from 'prosemirror-keymap';
import type { Schema } from 'prosemirror-model';
import { splitListItem } from 'prosemirror-schema-list';
import type { Command, Plugin } from 'prosemirror-state';
import { isInTable } from 'prosemirror-tables';
import {
  clearFormatting,
  indentListItem,
  insertHardBreak,
  insertNode,
  isInListItem,
  outdentListItem,
  redo,
  toggleBlockquote,
  toggleLink,
  toggleList,
  undo,
} from './commands.js';
import { nextCellOrNewRow, previousCell } from './tables.js';
import { toggleTaskChecked } from './tasks.js';

/** Options for {@link buildKeymap}. */
export interface KeymapOptions {
  /** How the link shortcut (Mod-K) asks for a URL. Defaults to `window.prompt`. */
  promptForLink?: (message: string, initial: string) => string | null;
}

/** A keyboard shortcut as a person reads it: ProseMirror key names ("Mod-b", "Shift-Ctrl-1") and what they do. */
export interface Shortcut {
  /** Every key that does it; the first is the one to show. */
  keys: string[];
  /** What it does, in a few words ("Bold", "Next cell"). */
  action: string;
  /** The toolbar button that does the same, when there is one (its `data-command`). */
  id?: string;
}

/** A shortcut and its command. Several bindings of one key are tried in order. */
export interface KeyBinding extends Shortcut {
  command: Command;
}

/**
 * Tandem's key bindings for `schema`, in the order they are tried: marks (Google Docs' keys where
 * it has them), blocks, lists and tasks, tables, history. The keymap ({@link buildKeymap}) and the
 * list of shortcuts a help dialog shows ({@link keyboardShortcuts} in shortcuts.ts) both come from it.
 */
export function keyBindings(schema: Schema, options: KeymapOptions = {}): KeyBinding[] {
  const { marks, nodes } = schema;
  const bindings: KeyBinding[] = [];
  const bind = (keys: string | string[], action: string, command: Command, id?: string) => {
    bindings.push({ keys: typeof keys === 'string' ? [keys] : keys, action, command, ...(id ? { id } : {}) });
  };

  bind('Mod-z', 'Undo (your own changes)', undo, 'undo');
  bind(['Shift-Mod-z', 'Mod-y'], 'Redo', redo, 'redo');

  if (marks.bold) bind('Mod-b', 'Bold', toggleMark(marks.bold), 'bold');
  if (marks.italic) bind('Mod-i', 'Italic', toggleMark(marks.italic), 'italic');
  if (marks.underline) bind('Mod-u', 'Underline', toggleMark(marks.underline), 'underline');
  if (marks.strike) bind(['Shift-Mod-x', 'Alt-Shift-5', 'Shift-Mod-s'], 'Strikethrough', toggleMark(marks.strike), 'strike');
  if (marks.highlight) bind('Shift-Mod-h', 'Highlight', toggleMark(marks.highlight), 'highlight');
  if (marks.superscript) bind('Mod-.', 'Superscript', toggleMark(marks.superscript), 'superscript');
  if (marks.subscript) bind('Mod-,', 'Subscript', toggleMark(marks.subscript), 'subscript');
  if (marks.code) bind('Mod-e', 'Inline code', toggleMark(marks.code), 'code');
  if (marks.link) bind('Mod-k', 'Add or remove a link', toggleLink(marks.link, options.promptForLink), 'link');
  bind('Mod-\\', 'Clear formatting', clearFormatting, 'clear-formatting');

  if (nodes.paragraph) bind('Shift-Ctrl-0', 'Normal text', setBlockType(nodes.paragraph), 'paragraph');
  if (nodes.heading) {
    for (const level of [1, 2, 3]) bind(`Shift-Ctrl-${level}`, `Heading ${level}`, setBlockType(nodes.heading, { level }), `heading-${level}`);
  }
  if (nodes.task_list && nodes.task_item) bind('Shift-Ctrl-7', 'Checklist', toggleList(nodes.task_list, nodes.task_item), 'task-list');
  if (nodes.bullet_list && nodes.list_item) bind('Shift-Ctrl-8', 'Bulleted list', toggleList(nodes.bullet_list, nodes.list_item), 'bullet-list');
  if (nodes.ordered_list && nodes.list_item) bind('Shift-Ctrl-9', 'Numbered list', toggleList(nodes.ordered_list, nodes.list_item), 'ordered-list');
  if (nodes.blockquote) bind('Ctrl->', 'Quote', toggleBlockquote(nodes.blockquote), 'blockquote');
  if (nodes.code_block) bind('Shift-Ctrl-\\', 'Code block', setBlockType(nodes.code_block), 'code-block');
  if (nodes.horizontal_rule) bind('Mod-_', 'Divider', insertNode(nodes.horizontal_rule), 'horizontal-rule');

  if (nodes.task_item) bind('Mod-Enter', 'Tick or untick the task', toggleTaskChecked);
  if (nodes.hard_break) bind(['Shift-Enter', 'Mod-Enter'], 'Line break (Mod-Enter leaves a code block)', insertHardBreak(nodes.hard_break));
  if (nodes.list_item) bind('Enter', 'New list item (twice leaves the list)', splitListItem(nodes.list_item));
  if (nodes.task_item) bind('Enter', 'New task', splitListItem(nodes.task_item, { checked: false }));
  // In a list Tab never moves focus out of the editor, even when the item cannot move; in a table it moves between cells.
  bind('Tab', 'Indent a list item', chainCommands(indentListItem(schema), (state) => isInListItem(state) && !isInTable(state)));
  bind('Shift-Tab', 'Outdent a list item', chainCommands(outdentListItem(schema), (state) => isInListItem(state) && !isInTable(state)));
  if (nodes.table) {
    bind('Tab', 'Next table cell (a new row from the last one)', nextCellOrNewRow);
    bind('Shift-Tab', 'Previous table cell', previousCell);
  }

  bind('Backspace', 'Undo the Markdown shortcut just applied', undoInputRule);
  bind('Alt-ArrowUp', 'Join with the block above', joinUp);
  bind('Alt-ArrowDown', 'Join with the block below', joinDown);
  bind('Mod-BracketLeft', 'Lift out of the enclosing block', lift);
  bind('Escape', 'Select the enclosing block', selectParentNode);
  return bindings;
}

/** Tandem's key bindings as a ProseMirror keymap (see {@link keyBindings}). */
export function buildKeymap(schema: Schema, options: KeymapOptions = {}): Record<string, Command> {
  const keys: Record<string, Command> = {};
  for (const { keys: names, command } of keyBindings(schema, options)) {
    for (const name of names) keys[name] = keys[name] ? chainCommands(keys[name], command) : command;
  }
  return keys;
}

/** The keymap plugin for `schema`. Put it before `keymap(baseKeymap)`. */
export function keymapPlugin(schema: Schema, options?: KeymapOptions): Plugin {
  return keymap(buildKeymap(schema, options));
}
