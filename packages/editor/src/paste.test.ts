// @vitest-environment jsdom
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Node } from 'prosemirror-model';
import type { EditorView } from 'prosemirror-view';
import { afterEach, describe, expect, it } from 'vitest';
import { pastePlugin } from './paste.js';
import { tablePlugins } from './tables.js';
import { localView, type } from './testing/view.js';

/** The clipboard samples the document package tests its normaliser with. */
const fixture = (name: string) => readFileSync(resolve(import.meta.dirname, '../../document/fixtures/clipboard', name), 'utf8');

let view: EditorView | undefined;
afterEach(() => view?.destroy());

function open() {
  view = localView([pastePlugin(), ...tablePlugins()]).view;
  return view;
}
/** Paste as the browser does: a paste event on the editor carrying `data` (its clipboard types). */
function paste(v: EditorView, data: { 'text/html'?: string; 'text/plain'?: string }) {
  const event = new Event('paste', { bubbles: true, cancelable: true });
  Object.defineProperty(event, 'clipboardData', { value: { getData: (kind: string) => data[kind as keyof typeof data] ?? '' } });
  v.dom.dispatchEvent(event);
  return event;
}
const names = (doc: Node) => doc.content.content.map((node) => node.type.name);
const marksOf = (doc: Node) => {
  const found = new Set<string>();
  doc.descendants((node) => void node.marks.forEach((mark) => found.add(mark.type.name)));
  return [...found].sort();
};

describe('paste', () => {
  it('a Google Docs clipboard keeps its heading, nested list, table, checklist and marks', () => {
    const v = open();
    paste(v, { 'text/html': fixture('google-docs.html'), 'text/plain': 'Quarterly plan' });
    expect(names(v.state.doc)).toEqual(expect.arrayContaining(['heading', 'bullet_list', 'table', 'task_list']));
    expect(marksOf(v.state.doc)).toEqual(['bold', 'highlight', 'italic', 'link', 'strike', 'superscript', 'underline']);
    expect(v.state.doc.textContent).toContain('NameQtyApples3');
    let cells = 0;
    v.state.doc.descendants((node) => void (node.type.name === 'table_cell' && cells++));
    expect(cells).toBe(4);
  });

  it('a Word clipboard keeps its lists, without Word markers or CSS', () => {
    const v = open();
    paste(v, { 'text/html': fixture('word.html') });
    expect(names(v.state.doc)).toEqual(expect.arrayContaining(['heading', 'bullet_list', 'ordered_list', 'table']));
    expect(v.state.doc.textContent).not.toMatch(/mso|·|@list/);
  });

  it('a web page table stays a table, and a script stays out', () => {
    const v = open();
    paste(v, { 'text/html': fixture('web-page.html') });
    expect(names(v.state.doc)).toEqual(expect.arrayContaining(['heading', 'table', 'ordered_list', 'task_list']));
    expect(v.state.doc.textContent).not.toContain('alert');
  });

  it('Markdown pasted as text becomes formatted content', () => {
    const v = open();
    expect(paste(v, { 'text/plain': '# Plan\n\n- [x] **done**\n- [ ] next\n\n| a | b |\n|---|---|\n| 1 | 2 |\n' }).defaultPrevented).toBe(true);
    expect(names(v.state.doc)).toEqual(['heading', 'task_list', 'table']);
    expect(marksOf(v.state.doc)).toEqual(['bold']);
  });

  it('prose pasted as text, and Markdown pasted as plain text (Shift), stay text', () => {
    const v = open();
    type(v, 'Say: ');
    paste(v, { 'text/plain': '5 * 3 * 2 is #30' });
    expect(v.state.doc.textContent).toBe('Say: 5 * 3 * 2 is #30');
    expect(names(v.state.doc)).toEqual(['paragraph']);
    v.dom.dispatchEvent(new KeyboardEvent('keydown', { key: 'Shift', keyCode: 16, shiftKey: true, bubbles: true }));
    paste(v, { 'text/plain': ' **not bold**' });
    expect(marksOf(v.state.doc)).toEqual([]);
    expect(v.state.doc.textContent).toBe('Say: 5 * 3 * 2 is #30 **not bold**');
  });
});
