/**
 * How the shortcut list writes keys, and the key that opens it. The list itself is the editor's
 * (`keyboardShortcuts()` from @tandem/editor: every key it binds, the find bar's and the link
 * gestures, derived from the same lists its handlers use).
 */
import { formatShortcut } from '@tandem/editor';

const KEY_NAMES: Readonly<Record<string, string>> = { BracketLeft: '[', ArrowUp: '↑', ArrowDown: '↓', Escape: 'Esc' };

/** One key as people read it on this platform ("Ctrl+B", "⌘B", "Ctrl+["). */
export function keyLabel(key: string, mac?: boolean): string {
  const named = key.replace(/(^|-)(BracketLeft|ArrowUp|ArrowDown|Escape)$/, (_m, dash: string, name: string) => `${dash}${KEY_NAMES[name]}`);
  return formatShortcut(named, mac);
}

/** The key that opens the shortcut list (not an editor command: the page listens for it). */
export const HELP_SHORTCUT = 'Mod-/';
