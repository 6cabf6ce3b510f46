import { FILE_REFERENCE_SCHEME, RESTORED_ATTRIBUTE, fileIdOf } from '@tandem/protocol';
import { Schema, type DOMOutputSpec, type MarkSpec, type NodeSpec } from 'prosemirror-model';
import { tableNodeSpecs } from './tables.js';
import { taskNodeSpecs } from './tasks.js';

/**
 * Tandem's document schema.
 *
 * Blocks: paragraph, heading (levels 1–3), bullet list, ordered list, list item (lists nest),
 * task list and task item (tasks.ts), table, table row, table cell and table header (tables.ts),
 * blockquote, code block, horizontal rule; inline: text, hard break and image.
 * Marks: bold, italic, strike, code, link, underline, highlight, superscript, subscript.
 *
 * The node and mark names are part of the stored format (y-prosemirror writes them into the
 * Yjs document), so renaming one is a data migration.
 */

const pDOM: DOMOutputSpec = ['p', 0];
/** A paragraph the sync server restored (see PROTOCOL.md, "Concurrent deletions"), shown marked. */
const restoredPDOM: DOMOutputSpec = ['p', { class: 'tandem-restored', 'data-restored': 'true', title: 'Kept: typed while someone deleted this paragraph' }, 0];
const blockquoteDOM: DOMOutputSpec = ['blockquote', 0];
const hrDOM: DOMOutputSpec = ['hr'];
const preDOM: DOMOutputSpec = ['pre', ['code', 0]];
const brDOM: DOMOutputSpec = ['br'];
const ulDOM: DOMOutputSpec = ['ul', 0];
const liDOM: DOMOutputSpec = ['li', 0];

/** Heading levels the schema accepts. */
export const HEADING_LEVELS = [1, 2, 3] as const;
export type HeadingLevel = (typeof HEADING_LEVELS)[number];

const nodes: Record<string, NodeSpec> = {
  doc: { content: 'block+' },

  paragraph: {
    // Set by the sync server on text it kept from a concurrent deletion; editors clear it once seen.
    // Not parsed from HTML: a pasted copy is an ordinary paragraph.
    attrs: { [RESTORED_ATTRIBUTE]: { default: null } },
    content: 'inline*',
    group: 'block',
    parseDOM: [{ tag: 'p' }],
    toDOM: (node) => (node.attrs[RESTORED_ATTRIBUTE] ? restoredPDOM : pDOM),
  },

  heading: {
    attrs: { level: { default: 1, validate: 'number' } },
    content: 'inline*',
    group: 'block',
    defining: true,
    parseDOM: [
      { tag: 'h1', attrs: { level: 1 } },
      { tag: 'h2', attrs: { level: 2 } },
      { tag: 'h3', attrs: { level: 3 } },
      // Deeper headings from pasted HTML become the smallest heading we have.
      { tag: 'h4', attrs: { level: 3 } },
      { tag: 'h5', attrs: { level: 3 } },
      { tag: 'h6', attrs: { level: 3 } },
    ],
    toDOM: (node) => [`h${clampHeadingLevel(node.attrs.level as number)}`, 0],
  },

  blockquote: {
    content: 'block+',
    group: 'block',
    defining: true,
    parseDOM: [{ tag: 'blockquote' }],
    toDOM: () => blockquoteDOM,
  },

  code_block: {
    content: 'text*',
    marks: '',
    group: 'block',
    code: true,
    defining: true,
    parseDOM: [{ tag: 'pre', preserveWhitespace: 'full' }],
    toDOM: () => preDOM,
  },

  horizontal_rule: {
    group: 'block',
    parseDOM: [{ tag: 'hr' }],
    toDOM: () => hrDOM,
  },

  bullet_list: {
    content: 'list_item+',
    group: 'block',
    parseDOM: [{ tag: 'ul' }],
    toDOM: () => ulDOM,
  },

  ordered_list: {
    attrs: { order: { default: 1, validate: 'number' } },
    content: 'list_item+',
    group: 'block',
    parseDOM: [
      {
        tag: 'ol',
        getAttrs: (dom) => {
          const start = (dom as HTMLElement).getAttribute('start');
          return { order: start ? Number.parseInt(start, 10) || 1 : 1 };
        },
      },
    ],
    toDOM: (node) => (node.attrs.order === 1 ? ['ol', 0] : ['ol', { start: node.attrs.order as number }, 0]),
  },

  list_item: {
    // A paragraph first, then any blocks: nested lists live inside list items.
    content: 'paragraph block*',
    defining: true,
    parseDOM: [{ tag: 'li' }],
    toDOM: () => liDOM,
  },

  // Checklists and tables: their specs live beside their parsing rules.
  ...taskNodeSpecs,
  ...tableNodeSpecs,

  text: { group: 'inline' },

  hard_break: {
    inline: true,
    group: 'inline',
    selectable: false,
    parseDOM: [{ tag: 'br' }],
    toDOM: () => brDOM,
  },

  // An image is inline, like in HTML and Markdown (`![alt](src)`); a paragraph of its own sets it
  // apart. `src` is a file reference (`tandem-file:<sha-256>`, see @tandem/protocol's files.ts):
  // the document never holds a URL to fetch. Parsed HTML may bring other sources (a pasted web
  // page, an imported file); the editor uploads those and puts the reference in their place.
  image: {
    inline: true,
    group: 'inline',
    draggable: true,
    attrs: {
      src: { validate: 'string' },
      alt: { default: null },
      title: { default: null },
      /** Display width in CSS pixels; null for the natural width (never wider than the text). */
      width: { default: null },
    },
    parseDOM: [
      {
        tag: 'img[src]',
        getAttrs: (dom) => {
          const img = dom as HTMLElement;
          return {
            src: img.getAttribute('src'),
            alt: img.getAttribute('alt') || null,
            title: img.getAttribute('title') || null,
            width: imageWidth(img.getAttribute('width') ?? img.style.width),
          };
        },
      },
    ],
    toDOM: (node) => {
      const { src, alt, title, width } = node.attrs as { src: string; alt: string | null; title: string | null; width: number | null };
      // Only a reference or an embedded image is written out: never a link to somewhere else.
      return ['img', { src: isImageSource(src) ? src : null, alt, title, width }];
    },
  },
};

const marks: Record<string, MarkSpec> = {
  link: {
    attrs: { href: { validate: 'string' }, title: { default: null } },
    inclusive: false,
    parseDOM: [
      {
        tag: 'a[href]',
        getAttrs: (dom) => {
          const href = (dom as HTMLElement).getAttribute('href');
          if (!href || !isSafeHref(href)) return false;
          return { href, title: (dom as HTMLElement).getAttribute('title') };
        },
      },
    ],
    toDOM: (mark) => [
      'a',
      {
        href: isSafeHref(mark.attrs.href as string) ? (mark.attrs.href as string) : '#',
        title: mark.attrs.title as string | null,
        rel: 'noopener noreferrer nofollow',
        target: '_blank',
      },
      0,
    ],
  },

  bold: {
    parseDOM: [
      { tag: 'strong' },
      // Google Docs wraps everything in <b style="font-weight: normal">.
      { tag: 'b', getAttrs: (node) => (node as HTMLElement).style.fontWeight !== 'normal' && null },
      { style: 'font-weight=400', clearMark: (m) => m.type.name === 'bold' },
      { style: 'font-weight', getAttrs: (value) => /^(bold(er)?|[5-9]\d{2,})$/.test(value as string) && null },
    ],
    toDOM: () => ['strong', 0],
  },

  italic: {
    parseDOM: [
      { tag: 'i' },
      { tag: 'em' },
      { style: 'font-style=italic' },
      { style: 'font-style=normal', clearMark: (m) => m.type.name === 'italic' },
    ],
    toDOM: () => ['em', 0],
  },

  strike: {
    parseDOM: [{ tag: 's' }, { tag: 'del' }, { tag: 'strike' }, ...decorationRules('line-through')],
    toDOM: () => ['s', 0],
  },

  code: {
    // Inline code excludes the other marks, like in most editors.
    excludes: '_',
    parseDOM: [{ tag: 'code' }],
    toDOM: () => ['code', 0],
  },

  // The rest of what office suites offer by shortcut. Google Docs and Word write these as styles
  // on spans; the paste normaliser (foreignHtml.ts) turns their highlight colours into <mark>.
  underline: {
    parseDOM: [{ tag: 'u' }, { tag: 'ins' }, ...decorationRules('underline')],
    toDOM: () => ['u', 0],
  },

  highlight: {
    parseDOM: [{ tag: 'mark' }],
    toDOM: () => ['mark', 0],
  },

  superscript: {
    excludes: 'superscript subscript',
    parseDOM: [
      { tag: 'sup' },
      { style: 'vertical-align=super' },
      { style: 'vertical-align=baseline', clearMark: (m) => m.type.name === 'superscript' || m.type.name === 'subscript' },
    ],
    toDOM: () => ['sup', 0],
  },

  subscript: {
    excludes: 'superscript subscript',
    parseDOM: [{ tag: 'sub' }, { style: 'vertical-align=sub' }],
    toDOM: () => ['sub', 0],
  },
};

/** Rules for a `text-decoration` line (which may come with others: "underline line-through"). */
function decorationRules(line: 'underline' | 'line-through') {
  const has = (value: string) => value.split(/\s+/).includes(line);
  // Not consuming: the other line's rule reads the same declaration too.
  return ['text-decoration', 'text-decoration-line'].map((style) => ({ style, consuming: false, getAttrs: (value: string) => has(value) && null }));
}

/** The Tandem schema. Every editor in a document must use the same one. */
export const schema = new Schema({ nodes, marks });

/** A heading level in 1–3, whatever number came in. */
export function clampHeadingLevel(level: number): HeadingLevel {
  if (!Number.isFinite(level) || level <= 1) return 1;
  if (level >= 3) return 3;
  return Math.round(level) as HeadingLevel;
}

/**
 * True for the image sources a document may hand out: a file reference, or an image embedded as a
 * `data:` URL of an allowed type (exports, the clipboard). Anything else (http, blob, javascript,
 * SVG) would be fetched from elsewhere or could run.
 */
export function isImageSource(src: unknown): boolean {
  if (typeof src !== 'string') return false;
  if (src.startsWith(FILE_REFERENCE_SCHEME)) return fileIdOf(src) !== undefined;
  return /^data:image\/(png|jpeg|gif|webp);base64,[A-Za-z0-9+/=\s]*$/.test(src);
}

/** A width in whole CSS pixels from an attribute or style (`320`, `320px`); null for none or anything else. */
function imageWidth(value: string | null): number | null {
  const match = /^\s*(\d+(?:\.\d+)?)(px)?\s*$/.exec(value ?? '');
  const width = match ? Math.round(Number(match[1])) : NaN;
  return width > 0 && width <= 10_000 ? width : null;
}

/**
 * True when `href` is safe to put in a link: http(s), mailto, tel, or a relative URL.
 * `javascript:` and `data:` URLs are refused, whatever their case or the spaces around them.
 */
export function isSafeHref(href: string): boolean {
  const trimmed = href.trim();
  // eslint-disable-next-line no-control-regex -- control characters are what this strips
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(trimmed.replace(/[\u0000-\u001f\s]/g, ''));
  if (!scheme) return true;
  return ['http', 'https', 'mailto', 'tel'].includes(scheme[1]!.toLowerCase());
}
