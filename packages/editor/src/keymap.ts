import { chainCommands, joinDown, joinUp, lift, selectParentNode, setBlockType, toggleMark } from 'prosemirror-commands';
import { undoInputRule } from 'prosemirror-inputrules';
import { keymap } from 'prosemirror-keymap';
import type { Schema } from 'prosemirror-model';
import { splitListItem } from 'prosemirror-schema-list';
import type { Command, Plugin } from 'prosemirror-state';
import {
  indentListItem,
  insertHardBreak,
  insertNode,
  isInside,
  outdentListItem,
  redo,
  toggleBlockquote,
  toggleLink,
  toggleList,
  undo,
} from './commands.js';

/** Options for {@link buildKeymap}. */
export interface KeymapOptions {
  /** How the link shortcut (Mod-K) asks for a URL. Defaults to `window.prompt`. */
  promptForLink?: (message: string, initial: string) => string | null;
}

/**
 * Tandem's key bindings, as a map from ProseMirror key names to commands:
 *
 * - Mod-Z undo, Shift-Mod-Z and Mod-Y redo (per user: only this person's changes)
 * - Mod-B bold, Mod-I italic, Shift-Mod-S / Shift-Mod-X strike, Mod-E inline code, Mod-K link
 * - Shift-Enter / Mod-Enter hard break (Mod-Enter leaves a code block)
 * - Enter splits a list item; Tab / Shift-Tab indent and outdent it
 * - Shift-Ctrl-0 paragraph, Shift-Ctrl-1…3 headings, Shift-Ctrl-\\ code block
 * - Shift-Ctrl-8 bullet list, Shift-Ctrl-9 ordered list, Ctrl-> blockquote, Mod-_ horizontal rule
 * - Backspace right after an input rule fired undoes the rule
 */
export function buildKeymap(schema: Schema, options: KeymapOptions = {}): Record<string, Command> {
  const { marks, nodes } = schema;
  const keys: Record<string, Command> = {};
  const bind = (key: string, command: Command) => {
    keys[key] = command;
  };

  bind('Mod-z', undo);
  bind('Shift-Mod-z', redo);
  bind('Mod-y', redo);
  bind('Backspace', undoInputRule);
  bind('Alt-ArrowUp', joinUp);
  bind('Alt-ArrowDown', joinDown);
  bind('Mod-BracketLeft', lift);
  bind('Escape', selectParentNode);

  if (marks.bold) bind('Mod-b', toggleMark(marks.bold));
  if (marks.italic) bind('Mod-i', toggleMark(marks.italic));
  if (marks.strike) {
    bind('Shift-Mod-s', toggleMark(marks.strike));
    bind('Shift-Mod-x', toggleMark(marks.strike));
  }
  if (marks.code) bind('Mod-e', toggleMark(marks.code));
  if (marks.link) bind('Mod-k', toggleLink(marks.link, options.promptForLink));

  if (nodes.hard_break) {
    const br = insertHardBreak(nodes.hard_break);
    bind('Mod-Enter', br);
    bind('Shift-Enter', br);
  }
  if (nodes.list_item) {
    const item = nodes.list_item;
    bind('Enter', splitListItem(item));
    const inList: Command = (state) => isInside(state, item);
    // In a list, Tab never moves focus out of the editor, even when the item cannot move.
    bind('Tab', chainCommands(indentListItem(schema), inList));
    bind('Shift-Tab', chainCommands(outdentListItem(schema), inList));
  }
  if (nodes.paragraph) bind('Shift-Ctrl-0', setBlockType(nodes.paragraph));
  if (nodes.code_block) bind('Shift-Ctrl-\\', setBlockType(nodes.code_block));
  if (nodes.heading) {
    for (const level of [1, 2, 3]) bind(`Shift-Ctrl-${level}`, setBlockType(nodes.heading, { level }));
  }
  if (nodes.bullet_list && nodes.list_item) bind('Shift-Ctrl-8', toggleList(nodes.bullet_list, nodes.list_item));
  if (nodes.ordered_list && nodes.list_item) bind('Shift-Ctrl-9', toggleList(nodes.ordered_list, nodes.list_item));
  if (nodes.blockquote) bind('Ctrl->', toggleBlockquote(nodes.blockquote));
  if (nodes.horizontal_rule) bind('Mod-_', insertNode(nodes.horizontal_rule));
  return keys;
}

/** The keymap plugin for `schema`. Put it before `keymap(baseKeymap)`. */
export function keymapPlugin(schema: Schema, options?: KeymapOptions): Plugin {
  return keymap(buildKeymap(schema, options));
}
