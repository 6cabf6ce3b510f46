// @vitest-environment jsdom
import { DOMSerializer } from 'prosemirror-model';
import { describe, expect, it } from 'vitest';
import { clampHeadingLevel, isSafeHref, schema } from './schema.js';
import { parseHtml as parse, roundTripHtml as serialize } from './test-support/domRoundTrip.js';


describe('schema', () => {
  it('has every block and mark the product promises', () => {
    expect(Object.keys(schema.nodes)).toEqual(
      expect.arrayContaining([
        'doc', 'paragraph', 'heading', 'bullet_list', 'ordered_list', 'list_item', 'task_list', 'task_item',
        'table', 'table_row', 'table_cell', 'table_header', 'blockquote', 'code_block', 'horizontal_rule', 'hard_break', 'text',
      ]),
    );
    expect(Object.keys(schema.marks)).toEqual(
      expect.arrayContaining(['bold', 'italic', 'strike', 'code', 'link', 'underline', 'highlight', 'superscript', 'subscript']),
    );
  });

  it('round-trips task lists, ticked or not, nested', () => {
    const html =
      '<ul data-task-list="" class="tandem-task-list">' +
      '<li data-task="" data-checked="true" class="tandem-task"><span class="tandem-task-check" contenteditable="false"><input type="checkbox" checked="" disabled=""></span><div class="tandem-task-body"><p>done</p></div></li>' +
      '<li data-task="" data-checked="false" class="tandem-task"><span class="tandem-task-check" contenteditable="false"><input type="checkbox" disabled=""></span><div class="tandem-task-body"><p>open</p>' +
      '<ul data-task-list="" class="tandem-task-list"><li data-task="" data-checked="false" class="tandem-task"><span class="tandem-task-check" contenteditable="false"><input type="checkbox" disabled=""></span><div class="tandem-task-body"><p>sub</p></div></li></ul>' +
      '</div></li></ul>';
    expect(serialize(html)).toBe(html);
    const doc = parse(html);
    expect(doc.firstChild!.content.content.map((item) => item.attrs.checked)).toEqual([true, false]);
  });

  it('reads an ordinary list holding a GitHub task item as an ordinary list', () => {
    const doc = parse('<ul><li class="task-list-item"><input type="checkbox" checked> a</li><li>b</li></ul>');
    expect(doc.firstChild!.type.name).toBe('bullet_list');
    expect(doc.firstChild!.childCount).toBe(2);
  });

  it('round-trips tables with header cells, spans and blocks in cells', () => {
    const html =
      '<table><tbody><tr><th><p>Name</p></th><th colspan="2"><p>Qty</p></th></tr>' +
      '<tr><td rowspan="2"><p>Apples</p><ul><li><p>red</p></li></ul></td><td><p>3</p></td><td><p>kg</p></td></tr>' +
      '<tr><td><p>5</p></td><td><p>kg</p></td></tr></tbody></table>';
    expect(serialize(html)).toBe(html);
    const table = parse(html).firstChild!;
    expect(table.child(0).child(1).attrs.colspan).toBe(2);
    expect(table.child(1).child(0).attrs.rowspan).toBe(2);
  });

  it('round-trips underline, highlight, superscript and subscript, and reads them from styles', () => {
    const html = '<p><u>u</u><mark>m</mark><sup>2</sup><sub>3</sub></p>';
    expect(serialize(html)).toBe(html);
    const doc = parse('<p><span style="text-decoration: underline line-through">both</span><span style="vertical-align: super">up</span><span style="vertical-align: sub">down</span><ins>ins</ins></p>');
    const marks = [] as string[][];
    doc.descendants((node) => {
      if (node.isText) marks.push(node.marks.map((mark) => mark.type.name));
    });
    expect(marks).toEqual([['strike', 'underline'], ['superscript'], ['subscript'], ['underline']]);
  });

  it('never holds superscript and subscript at once', () => {
    expect(schema.marks.superscript!.excludes(schema.marks.subscript!)).toBe(true);
    expect(schema.marks.subscript!.excludes(schema.marks.superscript!)).toBe(true);
  });

  it('round-trips headings 1–3, lists nested in lists, quotes, code, rules and breaks', () => {
    const html =
      '<h1>One</h1><h2>Two</h2><h3>Three</h3>' +
      '<ul><li><p>a</p><ol><li><p>b</p><ul><li><p>c</p></li></ul></li></ol></li></ul>' +
      '<blockquote><p>quoted</p></blockquote><pre><code>let x = 1;\n  y()</code></pre><hr><p>line<br>break</p>';
    expect(serialize(html)).toBe(html);
  });

  it('turns pasted h4–h6 into the smallest heading and clamps levels', () => {
    expect(parse('<h5>deep</h5>').firstChild!.attrs.level).toBe(3);
    expect(clampHeadingLevel(0)).toBe(1);
    expect(clampHeadingLevel(9)).toBe(3);
    expect(clampHeadingLevel(Number.NaN)).toBe(1);
  });

  it('keeps the start number of an ordered list', () => {
    expect(serialize('<ol start="4"><li><p>x</p></li></ol>')).toBe('<ol start="4"><li><p>x</p></li></ol>');
  });

  it('parses bold, italic, strike, code and links from HTML', () => {
    const doc = parse('<p><strong>b</strong><em>i</em><del>s</del><code>c</code><a href="https://x.dev">l</a></p>');
    const marks = [] as string[];
    doc.descendants((node) => {
      node.marks.forEach((m) => marks.push(m.type.name));
    });
    expect(marks).toEqual(['bold', 'italic', 'strike', 'code', 'link']);
  });

  it('refuses javascript: links, in any disguise', () => {
    expect(parse('<p><a href="javascript:alert(1)">x</a></p>').firstChild!.firstChild!.marks).toEqual([]);
    for (const bad of ['javascript:alert(1)', ' JavaScript:alert(1)', 'java\tscript:alert(1)', 'data:text/html,x', 'vbscript:x']) {
      expect(isSafeHref(bad), bad).toBe(false);
    }
    for (const good of ['https://a.b', 'http://a.b', 'mailto:a@b.c', '/docs', '#top', 'tel:123']) {
      expect(isSafeHref(good), good).toBe(true);
    }
  });

  it('does not let a stored javascript: link render as one', () => {
    const node = schema.text('x', [schema.marks.link!.create({ href: 'javascript:alert(1)' })]);
    const dom = DOMSerializer.fromSchema(schema).serializeFragment(schema.nodes.paragraph!.create(null, node).content);
    const div = document.createElement('div');
    div.append(dom);
    expect(div.querySelector('a')!.getAttribute('href')).toBe('#');
  });

  it('keeps marks out of code blocks and other marks out of inline code', () => {
    expect(schema.nodes.code_block!.allowsMarkType(schema.marks.bold!)).toBe(false);
    expect(schema.marks.code!.excludes(schema.marks.bold!)).toBe(true);
  });
});
