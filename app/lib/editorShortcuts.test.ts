import { buildKeymap, schema } from '@tandem/editor';
import { describe, expect, it } from 'vitest';
import { editorShortcuts, keyLabel } from './editorShortcuts';

describe('the shortcut list', () => {
  it('lists every key the editor binds, once, and nothing else', () => {
    const listed = editorShortcuts().flatMap((shortcut) => shortcut.keys);
    expect(listed.sort()).toEqual(Object.keys(buildKeymap(schema)).sort());
  });

  it('puts keys that do the same thing in one row', () => {
    const redo = editorShortcuts().find((shortcut) => shortcut.action === 'Redo');
    expect(redo?.keys).toEqual(['Shift-Mod-z', 'Mod-y']);
  });

  it('writes keys the platform’s way', () => {
    expect(keyLabel('Mod-b', false)).toBe('Ctrl+B');
    expect(keyLabel('Mod-b', true)).toBe('⌘B');
    expect(keyLabel('Mod-BracketLeft', false)).toBe('Ctrl+[');
    expect(keyLabel('Alt-ArrowUp', false)).toBe('Alt+↑');
    expect(keyLabel('Escape', false)).toBe('Esc');
  });
});
