// @vitest-environment jsdom
import { schema } from '@tandem/document';
import { TextSelection } from 'prosemirror-state';
import type { EditorView } from 'prosemirror-view';
import { afterEach, describe, expect, it } from 'vitest';
import { buildKeymap, keyBindings } from './keymap.js';
import { keyboardShortcuts } from './shortcuts.js';
import { localView, type } from './testing/view.js';

let view: EditorView | undefined;
afterEach(() => view?.destroy());

/** A view holding "word" with it selected. */
function selectedWord() {
  view = localView().view;
  type(view, 'word');
  view.dispatch(view.state.tr.setSelection(TextSelection.create(view.state.doc, 1, 5)));
  return view;
}
const marks = (v: EditorView) => v.state.doc.firstChild!.firstChild!.marks.map((mark) => mark.type.name).sort();
const press = (v: EditorView, key: string) => buildKeymap(schema)[key]!(v.state, v.dispatch, v);
/** Press `key` as the browser would deliver it to the editor. */
const keydown = (v: EditorView, init: KeyboardEventInit) => v.dom.dispatchEvent(new KeyboardEvent('keydown', { bubbles: true, cancelable: true, ...init }));

describe('keymap', () => {
  it('has the marks Google Docs users reach for by shortcut', () => {
    const v = selectedWord();
    for (const key of ['Mod-u', 'Shift-Mod-h', 'Mod-.', 'Shift-Mod-x']) press(v, key);
    expect(marks(v)).toEqual(['highlight', 'strike', 'superscript', 'underline']);
    press(v, 'Mod-,');
    expect(marks(v)).toEqual(['highlight', 'strike', 'subscript', 'underline']);
    press(v, 'Alt-Shift-5');
    expect(marks(v)).toEqual(['highlight', 'subscript', 'underline']);
  });

  it('reads those keys from real key events (Ctrl on this platform)', () => {
    const v = selectedWord();
    keydown(v, { key: 'u', keyCode: 85, ctrlKey: true });
    keydown(v, { key: 'H', keyCode: 72, ctrlKey: true, shiftKey: true });
    keydown(v, { key: '%', code: 'Digit5', keyCode: 53, altKey: true, shiftKey: true });
    expect(marks(v)).toEqual(['highlight', 'strike', 'underline']);
    keydown(v, { key: '\\', keyCode: 220, ctrlKey: true });
    expect(marks(v)).toEqual([]);
  });

  it('clear formatting (Mod-\\) keeps links, and at a cursor makes the next words plain', () => {
    const v = selectedWord();
    v.dispatch(v.state.tr.addMark(1, 5, schema.marks.link!.create({ href: 'https://x.dev' })).addMark(1, 5, schema.marks.bold!.create()));
    press(v, 'Mod-\\');
    expect(marks(v)).toEqual(['link']);
    expect(press(v, 'Mod-\\')).toBe(false);
    v.dispatch(v.state.tr.setSelection(TextSelection.create(v.state.doc, 5)).setStoredMarks([schema.marks.italic!.create()]));
    press(v, 'Mod-\\');
    type(v, '!');
    expect(v.state.doc.firstChild!.lastChild!.marks).toEqual([]);
  });

  it('lists every binding once per action, with keys the keymap really binds', () => {
    const keymap = buildKeymap(schema);
    const shortcuts = keyboardShortcuts();
    for (const binding of keyBindings(schema)) for (const key of binding.keys) expect(keymap[key], key).toBeTypeOf('function');
    const actions = shortcuts.map((shortcut) => shortcut.action);
    expect(new Set(actions).size).toBe(actions.length);
    expect(shortcuts.find((shortcut) => shortcut.id === 'underline')).toEqual({ keys: ['Mod-u'], action: 'Underline', id: 'underline' });
  });
});
