// @vitest-environment jsdom
import { schema } from '@tandem/document';
import { TextSelection } from 'prosemirror-state';
import type { EditorView } from 'prosemirror-view';
import { afterEach, describe, expect, it } from 'vitest';
import { findMatches, findPlugin, findState } from './find.js';
import { localView, setDoc, type } from './testing/view.js';

let view: EditorView | undefined;
afterEach(() => {
  view?.dom.parentElement?.remove();
  view?.destroy();
});

const { nodes } = schema;
const para = (text: string) => nodes.paragraph!.create(null, text ? schema.text(text) : null);

function open(...texts: string[]) {
  view = localView([findPlugin()]).view;
  setDoc(view, nodes.doc!.create(null, texts.map(para)));
  const bar = view.dom.parentElement!.querySelector<HTMLElement>('.tandem-find')!;
  const input = bar.querySelector('input')!;
  const count = () => bar.querySelector('.tandem-find-count')!.textContent;
  const key = (target: HTMLElement, init: KeyboardEventInit) => target.dispatchEvent(new KeyboardEvent('keydown', { bubbles: true, cancelable: true, ...init }));
  const search = (query: string) => {
    input.value = query;
    input.dispatchEvent(new Event('input'));
  };
  const selected = () => view!.state.doc.textBetween(view!.state.selection.from, view!.state.selection.to);
  return { view, bar, input, count, key, search, selected };
}

describe('find in document', () => {
  it('finds every match, ignoring case, never across blocks', () => {
    const doc = nodes.doc!.create(null, [para('Apple pie, apple tart'), para('APPLE'), para('app'), para('le')]);
    expect(findMatches(doc, 'apple').map((m) => doc.textBetween(m.from, m.to))).toEqual(['Apple', 'apple', 'APPLE']);
    expect(findMatches(doc, '')).toEqual([]);
    expect(findMatches(doc, 'a.c')).toEqual([]);
  });

  it('Mod-F in the editor opens the bar and keeps it from the browser; Enter and Shift-Enter walk the matches', () => {
    const t = open('one two one', 'three one');
    expect(t.bar.hidden).toBe(true);
    const event = new KeyboardEvent('keydown', { key: 'f', ctrlKey: true, bubbles: true, cancelable: true });
    t.view.dom.dispatchEvent(event);
    expect(event.defaultPrevented).toBe(true);
    expect(t.bar.hidden).toBe(false);
    expect(document.activeElement).toBe(t.input);
    t.search('one');
    expect(t.count()).toBe('1 of 3');
    expect(t.view.dom.querySelectorAll('.tandem-find-match')).toHaveLength(3);
    expect(t.view.dom.querySelector('.tandem-find-current')!.textContent).toBe('one');
    t.key(t.input, { key: 'Enter' });
    expect(t.count()).toBe('2 of 3');
    t.key(t.input, { key: 'Enter' });
    t.key(t.input, { key: 'Enter' });
    expect(t.count()).toBe('1 of 3');
    t.key(t.input, { key: 'Enter', shiftKey: true });
    expect(t.count()).toBe('3 of 3');
    expect(t.selected()).toBe('one');
    expect(t.view.state.selection.from).toBe(t.view.state.doc.content.size - 4);
    t.search('nothing');
    expect(t.count()).toBe('No results');
  });

  it('Esc closes the bar, removes the highlights and gives the editor back its focus', () => {
    const t = open('find me');
    t.view.dom.dispatchEvent(new KeyboardEvent('keydown', { key: 'f', ctrlKey: true, bubbles: true, cancelable: true }));
    t.search('me');
    t.key(t.input, { key: 'Escape' });
    expect(t.bar.hidden).toBe(true);
    expect(findState(t.view.state)!.open).toBe(false);
    expect(t.view.dom.querySelectorAll('.tandem-find-match')).toHaveLength(0);
    expect(t.selected()).toBe('me');
  });

  it('starts from the selected words, and counts again when the text changes', () => {
    const t = open('red green red');
    t.view.dispatch(t.view.state.tr.setSelection(TextSelection.create(t.view.state.doc, 1, 4)));
    t.view.dom.dispatchEvent(new KeyboardEvent('keydown', { key: 'f', ctrlKey: true, bubbles: true, cancelable: true }));
    expect(t.input.value).toBe('red');
    expect(t.count()).toBe('1 of 2');
    t.view.dispatch(t.view.state.tr.setSelection(TextSelection.atEnd(t.view.state.doc)));
    type(t.view, ' red');
    expect(t.count()).toMatch(/ of 3$/);
  });

  it('leaves other keys, and Mod-F outside the editor, to the browser', () => {
    const t = open('text');
    const outside = new KeyboardEvent('keydown', { key: 'f', ctrlKey: true, bubbles: true, cancelable: true });
    document.body.dispatchEvent(outside);
    expect(outside.defaultPrevented).toBe(false);
    const plainF = new KeyboardEvent('keydown', { key: 'f', bubbles: true, cancelable: true });
    t.view.dom.dispatchEvent(plainF);
    expect(t.bar.hidden).toBe(true);
  });
});
