// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import type { EditorView } from 'prosemirror-view';
import { localView, type } from './testing/view.js';

let view: EditorView;
afterEach(() => view?.destroy());

const blocks = (v: EditorView) => v.state.doc.toJSON().content.map((n: { type: string }) => n.type);

describe('markdown input rules', () => {
  it('"# ", "## ", "### " start headings of that level', () => {
    for (const level of [1, 2, 3]) {
      view = localView().view;
      type(view, `${'#'.repeat(level)} Title`);
      const first = view.state.doc.firstChild!;
      expect(first.type.name).toBe('heading');
      expect(first.attrs.level).toBe(level);
      expect(first.textContent).toBe('Title');
      view.destroy();
    }
  });

  it('"- " and "* " start a bullet list, "1. " an ordered list', () => {
    view = localView().view;
    type(view, '- item');
    expect(blocks(view)).toEqual(['bullet_list']);
    expect(view.state.doc.textContent).toBe('item');
    view.destroy();
    view = localView().view;
    type(view, '3. third');
    expect(blocks(view)).toEqual(['ordered_list']);
    expect(view.state.doc.firstChild!.attrs.order).toBe(3);
  });

  it('"> " starts a blockquote and "```" a code block', () => {
    view = localView().view;
    type(view, '> wise');
    expect(blocks(view)).toEqual(['blockquote']);
    view.destroy();
    view = localView().view;
    type(view, '```');
    expect(blocks(view)).toEqual(['code_block']);
  });

  it('"---" in an empty paragraph becomes a horizontal rule', () => {
    view = localView().view;
    type(view, '---');
    expect(blocks(view)).toEqual(['horizontal_rule', 'paragraph']);
    type(view, 'after');
    expect(view.state.doc.lastChild!.textContent).toBe('after');
  });

  it('**bold**, *italic*, ~~strike~~ and `code` become marks and drop their delimiters', () => {
    view = localView().view;
    type(view, 'a **b** *i* ~~s~~ `c` z');
    const para = view.state.doc.firstChild!;
    expect(para.textContent).toBe('a b i s c z');
    const marked: Record<string, string> = {};
    para.forEach((node) => {
      for (const mark of node.marks) marked[mark.type.name] = node.text!;
    });
    expect(marked).toEqual({ bold: 'b', italic: 'i', strike: 's', code: 'c' });
  });

  it('text typed after a mark rule is plain', () => {
    view = localView().view;
    type(view, '**b** plain');
    const last = view.state.doc.firstChild!.lastChild!;
    expect(last.text).toBe(' plain');
    expect(last.marks).toEqual([]);
  });

  it('leaves lone delimiters alone', () => {
    view = localView().view;
    type(view, '2 * 3 * 4 and snake_case_name');
    expect(view.state.doc.textContent).toBe('2 * 3 * 4 and snake_case_name');
    let marks = 0;
    view.state.doc.descendants((n) => {
      marks += n.marks.length;
    });
    expect(marks).toBe(0);
  });

  it('does not apply block rules in the middle of a paragraph', () => {
    view = localView().view;
    type(view, 'x # not a heading');
    expect(blocks(view)).toEqual(['paragraph']);
  });
});
