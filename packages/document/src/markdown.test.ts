import type { Node } from 'prosemirror-model';
import { describe, expect, it } from 'vitest';
import { looksLikeMarkdown, markdownParser, markdownSerializer } from './markdown.js';
import { schema } from './schema.js';

const { nodes: n, marks: m } = schema;
const t = (text: string, ...marks: string[]) => schema.text(text, marks.map((name) => m[name]!.create()));
const p = (...content: Node[]) => n.paragraph!.create(null, content);
const li = (...content: Node[]) => n.list_item!.create(null, content);
const task = (checked: boolean, ...content: Node[]) => n.task_item!.create({ checked }, content);
const cell = (type: 'table_cell' | 'table_header', ...content: Node[]) => n[type]!.create(null, content);
const row = (...cells: Node[]) => n.table_row!.create(null, cells);

/** A document with every node and every mark the schema has, arranged as Markdown can hold them. */
const everything = n.doc!.create(null, [
  n.heading!.create({ level: 1 }, [t('Plan')]),
  n.heading!.create({ level: 2 }, [t('Goals '), t('now', 'italic')]),
  n.heading!.create({ level: 3 }, [t('Notes')]),
  p(
    t('Plain, '), t('bold', 'bold'), t(', '), t('italic', 'italic'), t(', '), t('both', 'bold', 'italic'), t(', '),
    t('struck', 'strike'), t(', '), t('code', 'code'), t(', '), t('underlined', 'underline'), t(', '), t('highlighted', 'highlight'),
    t(', x'), t('2', 'superscript'), t(', H'), t('2', 'subscript'), t('O, '),
    schema.text('a link', [m.link!.create({ href: 'https://example.com/a?b=c', title: null })]), t(' and '),
    schema.text('titled', [m.link!.create({ href: 'https://example.com', title: 'Example' })]), t('. '),
    n.image!.create({ src: `tandem-file:${'ab'.repeat(32)}`, alt: 'A chart', title: 'Q3' }),
  ),
  p(t('Line one'), n.hard_break!.create(), t('line two with * stars, _under_ scores, <u>tags</u>, &amp; a | pipe')),
  n.blockquote!.create(null, [p(t('Quoted')), n.bullet_list!.create(null, [li(p(t('in a quote')))])]),
  n.bullet_list!.create(null, [li(p(t('one')), n.ordered_list!.create({ order: 1 }, [li(p(t('nested')))])), li(p(t('two')))]),
  n.bullet_list!.create(null, [li(p(t('three')), n.ordered_list!.create({ order: 3 }, [li(p(t('nested from 3')))]))]),
  n.bullet_list!.create(null, [li(p(t('a second list right after the first')))]),
  n.ordered_list!.create({ order: 3 }, [li(p(t('three'))), li(p(t('four')))]),
  n.task_list!.create(null, [task(true, p(t('done'))), task(false, p(t('to do')), n.task_list!.create(null, [task(false, p(t('sub-task')))]))]),
  n.code_block!.create(null, [schema.text('const x = 1;\n  `nested` **not bold**')]),
  n.horizontal_rule!.create(),
  n.table!.create(null, [
    row(cell('table_header', p(t('Name'))), cell('table_header', p(t('Qty', 'bold'))), cell('table_header', p())),
    row(cell('table_cell', p(t('Apples'))), cell('table_cell', p(t('3'))), cell('table_cell', p(t('a | b')))),
    row(cell('table_cell', p(t('Pears'), n.hard_break!.create(), t('green'))), cell('table_cell', p(t('5', 'italic'))), cell('table_cell', p())),
  ]),
  p(t('The end.')),
]);

describe('Markdown', () => {
  it('uses every node and mark of the schema in the round-trip document', () => {
    const used = new Set<string>();
    everything.descendants((node) => {
      used.add(node.type.name);
      node.marks.forEach((mark) => used.add(mark.type.name));
    });
    used.add('doc');
    const all = [...Object.keys(schema.nodes), ...Object.keys(schema.marks)];
    expect(all.filter((name) => !used.has(name))).toEqual([]);
  });

  it('reads back what it writes: parse(serialize(doc)) equals doc', () => {
    const markdown = markdownSerializer.serialize(everything);
    const back = markdownParser.parse(markdown);
    expect(back.toJSON()).toEqual(everything.toJSON());
    expect(back.eq(everything)).toBe(true);
  });

  it('writes GitHub-flavoured Markdown a person can read', () => {
    const markdown = markdownSerializer.serialize(everything);
    expect(markdown).toContain('# Plan\n');
    expect(markdown).toContain('**bold**');
    expect(markdown).toContain('~~struck~~');
    expect(markdown).toContain('<u>underlined</u>');
    expect(markdown).toContain('<mark>highlighted</mark>');
    expect(markdown).toContain('x<sup>2</sup>');
    expect(markdown).toContain('[a link](https://example.com/a?b=c)');
    expect(markdown).toContain(`![A chart](tandem-file:${'ab'.repeat(32)} "Q3")`);
    expect(markdown).toContain('- [x] done\n- [ ] to do\n  - [ ] sub-task');
    expect(markdown).toContain('3. three\n4. four');
    expect(markdown).toContain('| Name | **Qty** |  |\n| --- | --- | --- |\n| Apples | 3 | a \\| b |\n| Pears<br>green | *5* |  |');
    expect(markdown).toContain('\\<u>tags\\</u>');
  });

  it('parses GitHub task lists, tables, strikethrough and the HTML tags it writes', () => {
    const doc = markdownParser.parse('- [ ] a\n- [X] b\n\n| h1 | h2 |\n|:--|--:|\n| c | ~~d~~ |\n\n<u>u</u> <mark>m</mark> <ins>i</ins> x<sup>2</sup>');
    expect(doc.child(0).type.name).toBe('task_list');
    expect(doc.child(0).content.content.map((item) => item.attrs.checked)).toEqual([false, true]);
    expect(doc.child(1).type.name).toBe('table');
    expect(doc.child(1).child(0).child(0).type.name).toBe('table_header');
    expect(doc.child(1).child(1).child(1).firstChild!.firstChild!.marks[0]!.type.name).toBe('strike');
    expect(doc.child(2).content.content.map((node) => node.marks.map((mark) => mark.type.name).join())).toEqual(['underline', '', 'highlight', '', 'underline', '', 'superscript']);
  });

  it('keeps a list of mixed tasks and bullets a bullet list, its brackets as text', () => {
    const doc = markdownParser.parse('- [ ] a task\n- a bullet');
    expect(doc.child(0).type.name).toBe('bullet_list');
    expect(doc.child(0).child(0).textContent).toBe('[ ] a task');
  });

  it('keeps other HTML and unsafe links as text, never markup; an image keeps its address for the importer', () => {
    const file = `tandem-file:${'cd'.repeat(32)}`;
    const doc = markdownParser.parse(`<script>alert(1)</script>\n\n[x](javascript:alert(1)) <b>b</b> ![alt text](https://img.example/p.png) [y](${file})`);
    expect(doc.child(0).textContent).toBe('<script>alert(1)</script>');
    expect(doc.child(1).textContent).toBe('[x](javascript:alert(1)) <b>b</b>  y');
    doc.descendants((node) => {
      expect(node.marks).toEqual([]);
    });
    const images: Node[] = [];
    doc.descendants((node) => void (node.type.name === 'image' && images.push(node)));
    expect(images.map((image) => [image.attrs.src, image.attrs.alt])).toEqual([['https://img.example/p.png', 'alt text']]);
  });

  it('reads headings deeper than 3 as level 3, and an empty input as an empty document', () => {
    expect(markdownParser.parse('###### deep').child(0).attrs.level).toBe(3);
    expect(markdownParser.parse('').toJSON()).toEqual(schema.topNodeType.createAndFill()!.toJSON());
  });

  it('tells Markdown from prose', () => {
    for (const markdown of ['# Title\n\ntext', '- a\n- b', '1. a\n2. b', '```\ncode\n```', '| a | b |\n|---|---|\n| 1 | 2 |', 'see [docs](https://x.dev)', 'a **bold** claim', '- [ ] task', '> quote\nmore']) {
      expect(looksLikeMarkdown(markdown), markdown).toBe(true);
    }
    for (const prose of ['Just a sentence.', '5 * 3 * 2 = 30', 'Dear team,\n\nthanks for #42 and the 3-4 fixes.', '- one dash item only', 'C# and F# are languages']) {
      expect(looksLikeMarkdown(prose), prose).toBe(false);
    }
  });
});
