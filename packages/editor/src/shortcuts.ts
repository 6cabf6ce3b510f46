import { schema as tandemSchema } from '@tandem/document';
import type { Schema } from 'prosemirror-model';
import { FIND_SHORTCUTS } from './find.js';
import { keyBindings, type Shortcut } from './keymap.js';
import { LINK_SHORTCUTS } from './linkPopover.js';

/**
 * Every keyboard shortcut of the editor, for a help dialog: the key bindings (keymap.ts), the find
 * bar's keys and the link gestures, each as `{ keys, action }` with ProseMirror key names ("Mod-b";
 * `formatShortcut` writes them the platform's way: "Ctrl+B", "⌘B"). Derived from the same lists the
 * handlers use, so it cannot drift from what the keys do.
 */
export function keyboardShortcuts(schema: Schema = tandemSchema): Shortcut[] {
  const bound = keyBindings(schema).map(({ keys, action, id }) => (id ? { keys, action, id } : { keys, action }));
  return [...bound, ...FIND_SHORTCUTS, ...LINK_SHORTCUTS];
}

export type { Shortcut };
