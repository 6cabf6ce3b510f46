import { describe, expect, it } from 'vitest';
import { keyLabel } from './editorShortcuts';

describe('the shortcut list', () => {
  it('writes keys the platform’s way', () => {
    expect(keyLabel('Mod-b', false)).toBe('Ctrl+B');
    expect(keyLabel('Mod-b', true)).toBe('⌘B');
    expect(keyLabel('Mod-BracketLeft', false)).toBe('Ctrl+[');
    expect(keyLabel('Alt-ArrowUp', false)).toBe('Alt+↑');
    expect(keyLabel('Escape', false)).toBe('Esc');
    expect(keyLabel('Mod-Click', false)).toBe('Ctrl+Click');
  });
});
