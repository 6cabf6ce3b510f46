// @vitest-environment jsdom
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { DOMParser as PMDOMParser, type Node } from 'prosemirror-model';
import { describe, expect, it } from 'vitest';
import { normalizeForeignHtml } from './foreignHtml.js';
import { schema } from './schema.js';

/** Our own crafted copies of what Google Docs, Word and a browser put on the clipboard. */
const fixture = (name: string) => readFileSync(resolve(import.meta.dirname, '../fixtures/clipboard', name), 'utf8');

/**
 * What a paste makes of `html`: normalised, then read by the schema's parse rules. `ignoreStyles`
 * reads it as a page under a strict Content-Security-Policy does (Tandem's): style attributes
 * count for nothing there, so they are removed before parsing.
 */
function parseClipboard(html: string, { normalize = true, ignoreStyles = false } = {}): Node {
  const template = document.createElement('template');
  template.innerHTML = html;
  if (normalize) normalizeForeignHtml(template.content);
  if (ignoreStyles) for (const element of template.content.querySelectorAll('[style]')) element.removeAttribute('style');
  return PMDOMParser.fromSchema(schema).parse(template.content);
}

/** The document as a compact outline: node names with their text, marks in brackets. */
function outline(node: Node): unknown {
  if (node.isText) return node.marks.length ? `${node.text}[${node.marks.map((m) => m.type.name).join(',')}]` : node.text;
  const children: unknown[] = [];
  node.forEach((child) => children.push(outline(child)));
  const attrs = node.type.name === 'task_item' ? `:${node.attrs.checked ? 'x' : ' '}` : node.type.name === 'heading' ? `:${node.attrs.level}` : '';
  return { [node.type.name + attrs]: children };
}

const item = (...content: unknown[]) => ({ list_item: content });
const p = (...content: unknown[]) => ({ paragraph: content });
const cell = (kind: 'table_cell' | 'table_header', text: string, mark?: string) => ({ [kind]: [p(mark ? `${text}[${mark}]` : text)] });
const row = (...cells: unknown[]) => ({ table_row: cells });

describe('pasting from Google Docs', () => {
  const doc = parseClipboard(fixture('google-docs.html'));

  it('keeps the heading, bold, italic, underline, highlight, superscript and the link, without the wrapper making everything bold', () => {
    expect(outline(doc.child(0))).toEqual({ 'heading:1': ['Quarterly plan'] });
    expect(outline(doc.child(1))).toEqual(p(
      'We ship ', 'on time[bold]', ', ', 'carefully[italic]', ' and ', 'together[underline]', ' (really)[highlight]',
      '1[superscript]', '. See ', 'the roadmap[link]', '.',
    ));
    expect(doc.child(1).child(9).marks[0]!.attrs.href).toBe('https://example.com/roadmap');
  });

  it('keeps that formatting where the page ignores style attributes (a strict Content-Security-Policy)', () => {
    const strict = parseClipboard(fixture('google-docs.html'), { ignoreStyles: true });
    expect(outline(strict.child(1))).toEqual(outline(doc.child(1)));
    expect(outline(strict)).toEqual(outline(doc));
  });

  it('nests a list written as a <ul> inside a <ul>, without an empty bullet', () => {
    const list = doc.content.content.find((node) => node.type.name === 'bullet_list')!;
    expect(outline(list)).toEqual({ bullet_list: [item(p('Design'), { bullet_list: [item(p('Sketches')), item(p('Review'))] }), item(p('Build'))] });
  });

  it('keeps the table as rows and cells', () => {
    const table = doc.content.content.find((node) => node.type.name === 'table')!;
    expect(outline(table)).toEqual({ table: [row(cell('table_cell', 'Name', 'bold'), cell('table_cell', 'Qty', 'bold')), row(cell('table_cell', 'Apples'), cell('table_cell', '3'))] });
  });

  it('reads a checklist as a task list, ticks included', () => {
    const tasks = doc.content.content.find((node) => node.type.name === 'task_list')!;
    expect(outline(tasks)).toEqual({ task_list: [{ 'task_item:x': [p('Book the room[strike]')] }, { 'task_item: ': [p('Send the invite')] }] });
  });

  it('writes an empty line between blocks as an empty paragraph, not a line break', () => {
    expect(doc.child(2).type.name).toBe('paragraph');
    expect(doc.child(2).childCount).toBe(0);
    let breaks = 0;
    doc.descendants((node) => void (node.type.name === 'hard_break' && breaks++));
    expect(breaks).toBe(0);
  });

  it('needs the normaliser for that: the schema alone underlines the link, misses the highlight and breaks lines', () => {
    const raw = parseClipboard(fixture('google-docs.html'), { normalize: false });
    const marks = JSON.stringify(outline(raw.child(1)));
    expect(marks).toContain('the roadmap[link,underline]');
    expect(marks).not.toContain('highlight');
    expect(raw.child(2).firstChild?.type.name).toBe('hard_break');
  });
});

describe('pasting from Word', () => {
  const doc = parseClipboard(fixture('word.html'));
  const blocks = doc.content.content.map((node) => node.type.name);

  it('keeps the heading, the marks and the link, and no Word markup or CSS leaks into the text', () => {
    expect(outline(doc.child(0))).toEqual({ 'heading:2': ['Minutes'] });
    const text = doc.child(1);
    expect(outline(text)).toEqual(p('Present: ', 'Ada[bold]', ', ', 'Grace[italic]', ' and ', 'Linus[underline]', '; ', 'decisions[highlight]', ' below. Water is H', '2[subscript]', 'O, see ', 'the notes[link]', '.'));
    expect(doc.textContent).not.toMatch(/mso-|Style Definitions|@list|·/);
  });

  it('turns list paragraphs into a nested bullet list and a numbered list, markers removed', () => {
    const lists = doc.content.content.filter((node) => node.type.name.endsWith('_list'));
    expect(lists.map(outline)).toEqual([
      { bullet_list: [item(p('Budget'), { bullet_list: [item(p('Travel'))] }), item(p('Hiring'))] },
      { ordered_list: [item(p('Agree the budget')), item(p('Post the job'))] },
    ]);
  });

  it('keeps the table and an empty paragraph', () => {
    expect(blocks).toContain('table');
    const table = doc.content.content.find((node) => node.type.name === 'table')!;
    expect(outline(table)).toEqual({ table: [row(cell('table_cell', 'Name', 'bold'), cell('table_cell', 'Qty', 'bold')), row(cell('table_cell', 'Pears'), cell('table_cell', '5'))] });
    expect(doc.child(2).type.name).toBe('paragraph');
    expect(doc.child(2).textContent.trim()).toBe('');
  });
});

describe('pasting from a web page', () => {
  const doc = parseClipboard(fixture('web-page.html'));

  it('keeps the heading, marks and safe links, and drops scripts and unsafe links', () => {
    expect(outline(doc.child(0))).toEqual({ 'heading:2': ['Shopping'] });
    expect(outline(doc.child(1))).toEqual(p('Prices from ', 'the market[link]', ', ', 'checked[bold]', ' ', 'weekly[italic]', ', ', 'no refunds[underline]', '. not a link'));
  });

  it('keeps an image only as its address and alt text, for the editor to copy in or leave out (never hot-linked)', () => {
    const images: Array<Record<string, unknown>> = [];
    doc.descendants((node) => void (node.type.name === 'image' && images.push(node.attrs)));
    expect(images).toEqual([{ src: 'https://tracker.example/pixel.png', alt: null, title: null, width: null }]);
  });

  it('keeps the table (header cells too) and puts its caption before it — no NameQtyApples3Pears5', () => {
    const index = doc.content.content.findIndex((node) => node.type.name === 'table');
    expect(outline(doc.child(index - 1))).toEqual(p('Fruit we need'));
    expect(outline(doc.child(index))).toEqual({ table: [
      row(cell('table_header', 'Name'), cell('table_header', 'Qty')),
      row(cell('table_cell', 'Apples'), cell('table_cell', '3')),
      row(cell('table_cell', 'Pears'), cell('table_cell', '5')),
    ] });
  });

  it('keeps a nested list and a GitHub task list', () => {
    const ordered = doc.content.content.find((node) => node.type.name === 'ordered_list')!;
    expect(outline(ordered)).toEqual({ ordered_list: [item(p('Wash'), { bullet_list: [item(p('in ', 'cold[code]', ' water'))] }), item(p('Dry'))] });
    const tasks = doc.content.content.find((node) => node.type.name === 'task_list')!;
    expect(outline(tasks)).toEqual({ task_list: [{ 'task_item:x': [p('Buy bags')] }, { 'task_item: ': [p('Pay')] }] });
  });
});

describe('flat lists with levels', () => {
  it('nests items by aria-level and by indentation', () => {
    const byAria = parseClipboard('<ul><li aria-level="1">a</li><li aria-level="2">b</li><li aria-level="3">c</li><li aria-level="1">d</li></ul>');
    expect(outline(byAria)).toEqual({ doc: [{ bullet_list: [item(p('a'), { bullet_list: [item(p('b'), { bullet_list: [item(p('c'))] })] }), item(p('d'))] }] });
    const byMargin = parseClipboard('<ol><li style="margin-left:0pt">a</li><li style="margin-left:36pt;list-style-type:lower-alpha">b</li></ol>');
    expect(outline(byMargin)).toEqual({ doc: [{ ordered_list: [item(p('a'), { ordered_list: [item(p('b'))] })] }] });
  });
});
