/**
 * STAND-IN, to be deleted at merge: the Markdown mapping belongs to `markdown.ts` (issue 17's rich
 * editor work), which exports `markdownParser` and `markdownSerializer` with these same names. Until
 * it lands, export and import use this minimal mapping of the current schema onto prosemirror-
 * markdown's CommonMark parser and serializer, plus the image node. At merge: point the imports of
 * `./markdownStandIn.js` at `./markdown.js` and make sure its mapping covers `image`.
 */
import MarkdownIt from 'markdown-it';
import { MarkdownParser, MarkdownSerializer, defaultMarkdownSerializer } from 'prosemirror-markdown';
import { clampHeadingLevel, schema } from './schema.js';

const tokenizer = MarkdownIt('commonmark', { html: false }).enable('strikethrough');

/** Markdown (CommonMark and ~~strikethrough~~) to a document of {@link schema}. */
export const markdownParser = new MarkdownParser(schema, tokenizer, {
  blockquote: { block: 'blockquote' },
  paragraph: { block: 'paragraph' },
  list_item: { block: 'list_item' },
  bullet_list: { block: 'bullet_list' },
  ordered_list: { block: 'ordered_list', getAttrs: (token) => ({ order: Number(token.attrGet('start')) || 1 }) },
  heading: { block: 'heading', getAttrs: (token) => ({ level: clampHeadingLevel(Number(token.tag.slice(1))) }) },
  code_block: { block: 'code_block', noCloseToken: true },
  fence: { block: 'code_block', noCloseToken: true },
  hr: { node: 'horizontal_rule' },
  image: {
    node: 'image',
    getAttrs: (token) => ({ src: token.attrGet('src'), title: token.attrGet('title') || null, alt: token.children?.[0]?.content || null }),
  },
  hardbreak: { node: 'hard_break' },
  em: { mark: 'italic' },
  strong: { mark: 'bold' },
  s: { mark: 'strike' },
  link: { mark: 'link', getAttrs: (token) => ({ href: token.attrGet('href'), title: token.attrGet('title') || null }) },
  code_inline: { mark: 'code', noCloseToken: true },
});

const { nodes, marks } = defaultMarkdownSerializer;

/** A document of {@link schema} to Markdown. */
export const markdownSerializer = new MarkdownSerializer(
  { ...nodes },
  {
    italic: marks.em!,
    bold: marks.strong!,
    strike: { open: '~~', close: '~~', mixable: true, expelEnclosingWhitespace: true },
    link: marks.link!,
    code: marks.code!,
  },
);
