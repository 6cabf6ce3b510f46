/**
 * The editor's keyboard shortcuts, for the help dialog: read from the editor's own keymap
 * (`buildKeymap`), so the dialog lists exactly the keys the editor binds — keys that do the same
 * are one row — with a few words for each. A key the keymap gains without words here
 * fails lib/editorShortcuts.test.ts, so the list cannot silently fall behind.
 */
import { buildKeymap, formatShortcut, schema } from '@tandem/editor';

/** A row of the help dialog: the keys (ProseMirror names, e.g. "Mod-b") and what they do. */
export interface Shortcut {
  keys: string[];
  action: string;
}

/** What each bound key does. */
export const SHORTCUT_ACTIONS: Readonly<Record<string, string>> = {
  'Mod-z': 'Undo (your own changes)',
  'Shift-Mod-z': 'Redo',
  'Mod-y': 'Redo',
  Backspace: 'Undo the automatic formatting just applied',
  'Alt-ArrowUp': 'Join with the block above',
  'Alt-ArrowDown': 'Join with the block below',
  'Mod-BracketLeft': 'Lift out of the enclosing block',
  Escape: 'Select the enclosing block',
  'Mod-b': 'Bold',
  'Mod-i': 'Italic',
  'Shift-Mod-s': 'Strikethrough',
  'Shift-Mod-x': 'Strikethrough',
  'Mod-e': 'Inline code',
  'Mod-k': 'Add or remove a link',
  'Mod-Enter': 'Line break',
  'Shift-Enter': 'Line break',
  Enter: 'New list item',
  Tab: 'Indent list item',
  'Shift-Tab': 'Outdent list item',
  'Shift-Ctrl-0': 'Normal text',
  'Shift-Ctrl-\\': 'Code block',
  'Shift-Ctrl-1': 'Heading 1',
  'Shift-Ctrl-2': 'Heading 2',
  'Shift-Ctrl-3': 'Heading 3',
  'Shift-Ctrl-8': 'Bulleted list',
  'Shift-Ctrl-9': 'Numbered list',
  'Ctrl->': 'Quote',
  'Mod-_': 'Divider',
};

/** Every key the editor binds, those that do the same in one row, in the keymap's order. Throws on a key without words. */
export function editorShortcuts(): Shortcut[] {
  const byAction = new Map<string, string[]>();
  for (const key of Object.keys(buildKeymap(schema))) {
    const action = SHORTCUT_ACTIONS[key];
    if (!action) throw new Error(`the editor binds ${key}, which the shortcut list does not describe`);
    byAction.set(action, [...(byAction.get(action) ?? []), key]);
  }
  return [...byAction].map(([action, keys]) => ({ keys, action }));
}

const KEY_NAMES: Readonly<Record<string, string>> = { BracketLeft: '[', ArrowUp: '↑', ArrowDown: '↓', Escape: 'Esc' };

/** One key as people read it on this platform ("Ctrl+B", "⌘B", "Ctrl+["). */
export function keyLabel(key: string, mac?: boolean): string {
  const named = key.replace(/(^|-)(BracketLeft|ArrowUp|ArrowDown|Escape)$/, (_m, dash: string, name: string) => `${dash}${KEY_NAMES[name]}`);
  return formatShortcut(named, mac);
}

/** The key that opens the help dialog (not an editor command: the page listens for it). */
export const HELP_SHORTCUT = 'Mod-/';
