/** A document that uses every node and mark of the schema, for round-trip tests. */
import { fileReference } from '@tandem/protocol';
import type { Node } from 'prosemirror-model';
import { schema } from '../schema.js';

const IMAGE_ID = 'a'.repeat(64);

/** `options.width`: give the image a width (Markdown cannot carry one). */
export function everythingDocument(options: { imageSrc?: string; width?: number | null } = {}): Node {
  const { nodes: n, marks: m } = schema;
  const t = (text: string, ...marks: Array<ReturnType<typeof m.bold.create>>) => schema.text(text, marks);
  const p = (...content: Node[]) => n.paragraph.create(null, content);
  const li = (...content: Node[]) => n.list_item.create(null, content);
  return n.doc.create(null, [
    n.heading.create({ level: 1 }, t('Plan')),
    n.heading.create({ level: 2 }, t('Second level')),
    n.heading.create({ level: 3 }, t('Third level')),
    p(
      t('Plain, '),
      t('bold', m.bold.create()),
      t(', '),
      t('italic', m.italic.create()),
      t(', '),
      t('both', m.bold.create(), m.italic.create()),
      t(', '),
      t('struck', m.strike.create()),
      t(', '),
      t('code()', m.code.create()),
      t(' and '),
      t('a link', m.link.create({ href: 'https://example.com/a?b=c', title: null })),
      t('.'),
    ),
    p(t('Line one'), n.hard_break.create(), t('line two')),
    p(
      t('Before '),
      n.image.create({ src: options.imageSrc ?? fileReference(IMAGE_ID), alt: 'A chart', title: 'Sales', width: options.width ?? null }),
      t(' after'),
    ),
    n.bullet_list.create(null, [
      li(p(t('Apples'))),
      li(p(t('Pears')), n.ordered_list.create({ order: 3 }, [li(p(t('third'))), li(p(t('fourth')))])),
    ]),
    n.ordered_list.create({ order: 1 }, [li(p(t('One'))), li(p(t('Two')))]),
    n.blockquote.create(null, [p(t('Quoted '), t('words', m.italic.create()))]),
    n.code_block.create(null, t('const x = 1;\n  return x * 2;')),
    n.horizontal_rule.create(),
    p(t('The end')),
  ]);
}
