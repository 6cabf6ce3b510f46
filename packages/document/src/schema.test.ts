// @vitest-environment jsdom
import { DOMParser as PMDOMParser, DOMSerializer } from 'prosemirror-model';
import { describe, expect, it } from 'vitest';
import { clampHeadingLevel, isSafeHref, schema } from './schema.js';

const parse = (html: string) => {
  const element = document.createElement('div');
  element.innerHTML = html;
  return PMDOMParser.fromSchema(schema).parse(element);
};
const serialize = (html: string) => {
  const element = document.createElement('div');
  element.append(DOMSerializer.fromSchema(schema).serializeFragment(parse(html).content));
  return element.innerHTML;
};

describe('schema', () => {
  it('has every block and mark the product promises', () => {
    expect(Object.keys(schema.nodes)).toEqual(
      expect.arrayContaining(['doc', 'paragraph', 'heading', 'bullet_list', 'ordered_list', 'list_item', 'blockquote', 'code_block', 'horizontal_rule', 'hard_break', 'text']),
    );
    expect(Object.keys(schema.marks)).toEqual(expect.arrayContaining(['bold', 'italic', 'strike', 'code', 'link']));
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
