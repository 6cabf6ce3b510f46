import MarkdownIt from 'markdown-it';
import type StateCore from 'markdown-it/lib/rules_core/state_core.mjs';
import type StateInline from 'markdown-it/lib/rules_inline/state_inline.mjs';
import {
  MarkdownParser,
  MarkdownSerializer,
  defaultMarkdownSerializer,
  type MarkdownSerializerState,
} from 'prosemirror-markdown';
import type { Node } from 'prosemirror-model';
import { TableMap } from 'prosemirror-tables';
import { clampHeadingLevel, isImageSource, isSafeHref, schema } from './schema.js';

/**
 * Markdown for the Tandem schema, both ways: GitHub-flavoured (tables, `~~strike~~`, task lists
 * `- [ ]` / `- [x]`) on top of CommonMark.
 *
 * Marks Markdown has no syntax for are written as the HTML tags every GitHub-flavoured renderer
 * shows: `<u>` underline, `<mark>` highlight, `<sup>` and `<sub>`. The parser reads back exactly
 * those tags (and `<ins>`, `<br>`); any other HTML stays literal text, never markup.
 *
 * What Markdown cannot hold, and what becomes of it: empty paragraphs and a hard break at the end
 * of a block are dropped; a table is written with its first row as the header row (a table
 * without one gains it), cells that span rows or columns are written in their first position with
 * empty cells after, and the blocks in a cell are joined by `<br>` (a list in a cell keeps its text,
 * not its bullets); headings deeper than 3 are read as level 3; a restored paragraph's mark is
 * not kept; an image keeps its address, alt text and title (`![alt](src "title")`), not its width.
 */

/** Tags the parser turns into marks, and the mark each one means. */
const TAG_MARKS: Record<string, string> = { u: 'underline', ins: 'underline', mark: 'highlight', sup: 'superscript', sub: 'subscript' };
const INLINE_TAG = /^<(\/?)(u|ins|mark|sup|sub|br)\s*\/?>/i;
/** `[ ] ` or `[x] ` opening a list item's first paragraph. */
const TASK_PREFIX = /^\[([ xX])\](?:[ \t]+|$)/;

function markdownIt(): MarkdownIt {
  const md = new MarkdownIt('commonmark', { html: false, linkify: false, typographer: false }).enable(['table', 'strikethrough']);
  // The schema's rules for links and image sources, so that Markdown never yields an address the
  // editor would refuse (images from elsewhere are for the importer to copy in or leave out).
  md.validateLink = (url) => isSafeHref(url) || isImageSource(url);
  md.core.ruler.push('tandem_safe_links', safeLinks);
  md.inline.ruler.before('html_inline', 'tandem_mark_tags', markTags);
  md.core.ruler.after('block', 'tandem_task_lists', taskLists);
  md.core.ruler.after('block', 'tandem_cell_paragraphs', cellParagraphs);
  return md;
}

/** `<u>`, `</u>`, `<mark>`… become mark tokens; `<br>` a hard break. */
function markTags(state: StateInline, silent: boolean): boolean {
  if (state.src.charCodeAt(state.pos) !== 0x3c /* < */) return false;
  const match = INLINE_TAG.exec(state.src.slice(state.pos));
  if (!match) return false;
  if (!silent) {
    const tag = match[2]!.toLowerCase();
    if (tag === 'br') state.push('hardbreak', 'br', 0);
    else state.push(`${TAG_MARKS[tag]}_${match[1] ? 'close' : 'open'}`, tag, 0);
  }
  state.pos += match[0].length;
  return true;
}

/**
 * A bullet list whose every item starts with `[ ] ` or `[x] ` is a task list (runs between the block
 * and inline passes, so the prefix is cut from the text before it is parsed).
 */
function taskLists(state: StateCore): void {
  const tokens = state.tokens;
  for (let i = 0; i < tokens.length; i++) {
    if (tokens[i]!.type !== 'bullet_list_open') continue;
    const level = tokens[i]!.level;
    const items: number[] = [];
    let close = i + 1;
    for (; close < tokens.length && !(tokens[close]!.type === 'bullet_list_close' && tokens[close]!.level === level); close++) {
      if (tokens[close]!.type === 'list_item_open' && tokens[close]!.level === level + 1) items.push(close);
    }
    const prefixes = items.map((item) => tokens[item + 1]?.type === 'paragraph_open' && tokens[item + 2]?.type === 'inline' ? TASK_PREFIX.exec(tokens[item + 2]!.content) : null);
    if (items.length === 0 || prefixes.some((prefix) => !prefix)) continue;
    tokens[i]!.type = 'task_list_open';
    tokens[close]!.type = 'task_list_close';
    items.forEach((item, n) => {
      tokens[item]!.type = 'task_item_open';
      tokens[item]!.meta = { checked: prefixes[n]![1] !== ' ' };
      const inline = tokens[item + 2]!;
      inline.content = inline.content.slice(prefixes[n]![0].length);
      for (let end = item + 1; end < close; end++) {
        if (tokens[end]!.type === 'list_item_close' && tokens[end]!.level === level + 1) {
          tokens[end]!.type = 'task_item_close';
          break;
        }
      }
    });
  }
}

/** A link to an image source (allowed through validateLink for images) is kept as its text only. */
function safeLinks(state: StateCore): void {
  for (const token of state.tokens) {
    if (!token.children) continue;
    // Markdown links do not nest: an unsafe link's close is the next link_close.
    let inUnsafeLink = false;
    token.children = token.children.filter((child) => {
      if (child.type === 'link_open' && !isSafeHref(child.attrGet('href') ?? '')) {
        inUnsafeLink = true;
        return false;
      }
      if (child.type === 'link_close' && inUnsafeLink) {
        inUnsafeLink = false;
        return false;
      }
      return true;
    });
  }
}

/** Table cells hold blocks in the schema: wrap each cell's text in a paragraph. */
function cellParagraphs(state: StateCore): void {
  const out: typeof state.tokens = [];
  state.tokens.forEach((token, i) => {
    const previous = state.tokens[i - 1];
    if (token.type === 'inline' && (previous?.type === 'th_open' || previous?.type === 'td_open')) {
      const open = new state.Token('paragraph_open', 'p', 1);
      const close = new state.Token('paragraph_close', 'p', -1);
      open.block = close.block = true;
      out.push(open, token, close);
    } else out.push(token);
  });
  state.tokens = out;
}

/** Parses Markdown into a Tandem document: `markdownParser.parse(text)`. Never throws on odd input; what it does not know stays text. */
export const markdownParser = new MarkdownParser(schema, markdownIt(), {
  blockquote: { block: 'blockquote' },
  paragraph: { block: 'paragraph' },
  heading: { block: 'heading', getAttrs: (token) => ({ level: clampHeadingLevel(Number(token.tag.slice(1))) }) },
  code_block: { block: 'code_block', noCloseToken: true },
  fence: { block: 'code_block', noCloseToken: true },
  hr: { node: 'horizontal_rule' },
  hardbreak: { node: 'hard_break' },
  image: {
    node: 'image',
    getAttrs: (token) => ({ src: token.attrGet('src'), title: token.attrGet('title') || null, alt: token.children?.[0]?.content || null }),
  },
  bullet_list: { block: 'bullet_list' },
  ordered_list: { block: 'ordered_list', getAttrs: (token) => ({ order: Number(token.attrGet('start')) || 1 }) },
  list_item: { block: 'list_item' },
  task_list: { block: 'task_list' },
  task_item: { block: 'task_item', getAttrs: (token) => ({ checked: (token.meta as { checked?: unknown } | null)?.checked === true }) },
  table: { block: 'table' },
  thead: { ignore: true },
  tbody: { ignore: true },
  tr: { block: 'table_row' },
  th: { block: 'table_header' },
  td: { block: 'table_cell' },
  em: { mark: 'italic' },
  strong: { mark: 'bold' },
  s: { mark: 'strike' },
  code_inline: { mark: 'code', noCloseToken: true },
  link: { mark: 'link', getAttrs: (token) => ({ href: token.attrGet('href'), title: token.attrGet('title') || null }) },
  underline: { mark: 'underline' },
  highlight: { mark: 'highlight' },
  superscript: { mark: 'superscript' },
  subscript: { mark: 'subscript' },
});

type NodeWriter = (state: MarkdownSerializerState, node: Node, parent: Node, index: number) => void;
const base = defaultMarkdownSerializer.nodes;

/**
 * Two lists of the same kind in a row would be read back as one list: every other one uses the
 * other marker (`-`/`*`, `.`/`)`).
 */
function alternate(parent: Node, index: number, kinds: string[], first: string, second: string): string {
  let run = 0;
  for (let i = index - 1; i >= 0 && kinds.includes(parent.child(i).type.name); i--) run++;
  return run % 2 === 0 ? first : second;
}
const BULLET_KINDS = ['bullet_list', 'task_list'];

const writeBulletList: NodeWriter = (state, node, parent, index) => {
  const marker = alternate(parent, index, BULLET_KINDS, '-', '*');
  state.renderList(node, '  ', () => `${marker} `);
};

const writeOrderedList: NodeWriter = (state, node, parent, index) => {
  const delimiter = alternate(parent, index, ['ordered_list'], '.', ')');
  const start = (node.attrs.order as number) ?? 1;
  // Only a list starting at 1 may interrupt a paragraph: after one, in a list item, leave a blank line.
  // (flushClose is prosemirror-markdown's own way to end the previous block; it is not in its types.)
  if (start !== 1 && index > 0 && parent.child(index - 1).isTextblock) (state as unknown as { flushClose(size: number): void }).flushClose(2);
  const width = String(start + node.childCount - 1).length;
  state.renderList(node, ' '.repeat(width + 2), (i) => `${String(start + i).padStart(width)}${delimiter} `);
};

const writeTaskItem: NodeWriter = (state, node) => {
  state.write(node.attrs.checked ? '[x] ' : '[ ] ');
  state.renderContent(node);
};

/** A GitHub table: the first row is the header; spanned positions are left empty. */
const writeTable: NodeWriter = (state, node) => {
  const map = TableMap.get(node);
  const rows: string[][] = [];
  for (let row = 0; row < map.height; row++) {
    const cells: string[] = [];
    for (let col = 0; col < map.width; col++) {
      const pos = map.map[row * map.width + col]!;
      const startsHere = (row === 0 || map.map[(row - 1) * map.width + col] !== pos) && (col === 0 || map.map[row * map.width + col - 1] !== pos);
      cells.push(startsHere ? cellMarkdown(node.nodeAt(pos)!) : '');
    }
    rows.push(cells);
  }
  const line = (cells: string[]) => `| ${cells.map((cell) => cell || ' ').join(' | ')} |`.replace(/ {2,}\|/g, '  |');
  const lines = [line(rows[0]!), line(rows[0]!.map(() => '---')), ...rows.slice(1).map(line)];
  for (const text of lines) {
    state.write(text);
    state.ensureNewLine();
  }
  state.closeBlock(node);
};

/** One cell's text on one line: its textblocks joined by `<br>`, pipes escaped. */
function cellMarkdown(cell: Node): string {
  const parts: string[] = [];
  cell.descendants((child) => {
    if (!child.isTextblock) return true;
    const paragraph = schema.nodes.paragraph!.create(null, child.type.spec.code ? (child.textContent ? schema.text(child.textContent) : null) : child.content);
    parts.push(cellSerializer.serialize(schema.topNodeType.create(null, paragraph)).trim());
    return false;
  });
  return parts.join('<br>').replace(/\|/g, '\\|');
}

const nodeWriters: Record<string, NodeWriter> = {
  blockquote: base.blockquote!,
  paragraph: base.paragraph!,
  heading: base.heading!,
  code_block: base.code_block!,
  horizontal_rule: base.horizontal_rule!,
  hard_break: base.hard_break!,
  text: base.text!,
  bullet_list: writeBulletList,
  ordered_list: writeOrderedList,
  list_item: base.list_item!,
  task_list: writeBulletList,
  task_item: writeTaskItem,
  table: writeTable,
  image: base.image!,
};

const htmlTag = (tag: string) => ({ open: `<${tag}>`, close: `</${tag}>`, mixable: true });
const { em, strong, link, code } = defaultMarkdownSerializer.marks;
const markWriters = {
  italic: em!,
  bold: strong!,
  strike: { open: '~~', close: '~~', mixable: true, expelEnclosingWhitespace: true },
  code: code!,
  link: link!,
  underline: htmlTag('u'),
  highlight: htmlTag('mark'),
  superscript: htmlTag('sup'),
  subscript: htmlTag('sub'),
};

const serializerOptions = {
  tightLists: true,
  // A literal "<u>" or "&amp;" in the text must not come back as a tag or an entity.
  escapeExtraCharacters: /<(?=[A-Za-z/!?])|&(?=#?[A-Za-z0-9]+;)/g,
};

/** Writes a Tandem document as Markdown: `markdownSerializer.serialize(doc)`. */
export const markdownSerializer = new MarkdownSerializer(nodeWriters, markWriters, serializerOptions);

/** The same, for the text of a table cell: one line, hard breaks as `<br>`. */
const cellSerializer = new MarkdownSerializer({ ...nodeWriters, hard_break: (state) => state.write('<br>') }, markWriters, serializerOptions);

/**
 * True when plain `text` is clearly Markdown rather than prose that happens to hold a `*` or `#`:
 * a heading line, a fenced code block, a table's delimiter row, a task, list items on two lines,
 * a quote, a `[link](url)`, or `**strong**` / `__strong__` / `~~strike~~` / `` `code` `` text.
 */
export function looksLikeMarkdown(text: string): boolean {
  const lines = text.split(/\r?\n/);
  const count = (pattern: RegExp) => lines.filter((line) => pattern.test(line)).length;
  if (count(/^#{1,6}\s+\S/) > 0) return true;
  if (count(/^\s*(```|~~~)/) >= 2) return true;
  if (count(/^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)+\|?\s*$/) > 0) return true;
  if (count(/^\s*[-*+]\s+\[[ xX]\]\s/) > 0) return true;
  if (count(/^\s*([-*+]|\d+[.)])\s+\S/) >= 2) return true;
  if (count(/^>\s/) > 0 && lines.length > 1) return true;
  return /\[[^\]\n]+\]\((https?:\/\/|mailto:|\/|#)[^)\s]*\)|\*\*[^*\n]+\*\*|__[^_\n]+__|~~[^~\n]+~~|`[^`\n]+`/.test(text);
}
