/**
 * Normalising HTML written by other programs (Google Docs, Microsoft Word, web pages) before the
 * schema's parse rules read it, so that what they mean survives: nested lists, list paragraphs,
 * highlights, tables with captions. Nothing here adds content the source did not have, and what
 * the schema does not know is still dropped by its parse rules afterwards (sanitising stays the
 * schema's job: only known nodes and marks, only safe links).
 *
 * Works on any DOM (the browser's, jsdom's): it only uses the nodes it is given. It reads style
 * attributes as written, never through `element.style`: a page whose Content-Security-Policy has
 * no `'unsafe-inline'` styles (Tandem's) leaves `element.style` empty for pasted HTML, so formatting
 * written as styles is turned into tags here (`<strong>`, `<em>`, `<u>`, `<s>`, `<sup>`, `<sub>`).
 */

/** List markers Word writes before an ordered item: 1. 1) a. iv. (A) */
const ORDERED_MARKER = /^\(?([0-9]+|[a-z]|[ivxlcdm]+)[.)]/i;
/** `list-style-type` values that number their items. */
const ORDERED_STYLE = /decimal|alpha|roman|latin|greek|numeric/i;

/**
 * Rewrite `root`'s content in place so that the schema's parse rules read it faithfully.
 * Call it on a fresh tree (a `<template>`'s content, a detached element): it moves nodes around.
 */
export function normalizeForeignHtml(root: ParentNode): void {
  if (isGoogleDocsHtml(root)) {
    highlightGoogleDocsBackgrounds(root);
    unwrapGoogleDocsWrapper(root);
  }
  convertWordListParagraphs(root);
  dropWordArtifacts(root);
  highlightWordSpans(root);
  keepLinkTextPlain(root);
  unwrapNormalWeightBold(root);
  stylesToTags(root);
  nestListsByLevel(root);
  moveCaptionsOutOfTables(root);
}

// Google Docs -------------------------------------------------------------------------------

/** True when `root` holds a Google Docs clipboard (its `docs-internal-guid` wrapper). */
export function isGoogleDocsHtml(root: ParentNode): boolean {
  return root.querySelector('[id^="docs-internal-guid"]') !== null;
}

/**
 * Google Docs wraps the whole clipboard in `<b style="font-weight:normal" id="docs-internal-guid-…">`
 * (so it is not bold) and writes an empty line between blocks as a lone `<br>`.
 */
function unwrapGoogleDocsWrapper(root: ParentNode): void {
  for (const wrapper of root.querySelectorAll('[id^="docs-internal-guid"]')) {
    if (wrapper.tagName === 'B' || wrapper.tagName === 'SPAN') {
      for (const br of [...wrapper.children].filter((child) => child.tagName === 'BR')) {
        br.replaceWith(wrapper.ownerDocument.createElement('p'));
      }
      unwrap(wrapper);
    }
  }
}

/** Google Docs writes a highlight as a span's background colour ("transparent" when there is none). */
function highlightGoogleDocsBackgrounds(root: ParentNode): void {
  for (const span of root.querySelectorAll<HTMLElement>('span[style*="background-color"]')) {
    const color = styleValue(span, 'background-color');
    if (color && !/^(transparent|none|initial|inherit|#fff(fff)?|white|rgba?\(\s*255\s*,\s*255\s*,\s*255\s*(,\s*1\s*)?\))$/i.test(color)) {
      wrapChildren(span, 'mark');
    }
  }
}

// Microsoft Word ----------------------------------------------------------------------------

/** The level and list of a Word list paragraph (`mso-list: l0 level2 lfo1`), or undefined. */
function wordListInfo(element: Element): { list: string; level: number } | undefined {
  const match = /mso-list\s*:\s*(l\d+)\s+level(\d+)/i.exec(element.getAttribute('style') ?? '');
  if (!match) return undefined;
  return { list: match[1]!, level: Number(match[2]) };
}

/**
 * Word writes list items as paragraphs (`class="MsoListParagraph…"`, `mso-list: l0 level2 lfo1`)
 * with the bullet or number as text in a `mso-list:Ignore` span. Runs of them become real,
 * nested `<ul>`/`<ol>` lists, ordered when the marker is a number or letter.
 */
function convertWordListParagraphs(root: ParentNode): void {
  // Paragraphs only: a numbered heading stays a heading, its number kept as text.
  const paragraphs = [...root.querySelectorAll('p')].filter((p) => wordListInfo(p));
  const done = new Set<Element>();
  for (const first of paragraphs) {
    if (done.has(first)) continue;
    // A run: this paragraph and the list paragraphs straight after it, of the same Word list.
    const run: Element[] = [first];
    const list = wordListInfo(first)!.list;
    for (let next = first.nextElementSibling; next?.tagName === 'P' && wordListInfo(next)?.list === list; next = next.nextElementSibling) run.push(next);
    run.forEach((p) => done.add(p));
    const items = run.map((p) => ({ element: p, level: wordListInfo(p)!.level, ordered: ORDERED_MARKER.test(takeWordMarker(p)) }));
    const place = first.ownerDocument.createElement('span');
    first.before(place);
    place.replaceWith(buildNestedList(first.ownerDocument, items));
  }
}

/** Remove and return the text of the bullet or number Word put before a list paragraph's text. */
function takeWordMarker(paragraph: Element): string {
  const marker = [...paragraph.querySelectorAll('span')].find((span) => /mso-list\s*:\s*ignore/i.test(span.getAttribute('style') ?? ''));
  if (!marker) return '';
  const text = (marker.textContent ?? '').replace(/\u00a0/g, ' ').trim();
  // The marker often sits in a span of its own (the Symbol font): take that too when it is left empty.
  const parent = marker.parentElement;
  marker.remove();
  if (parent && parent !== paragraph && !parent.textContent?.trim()) parent.remove();
  return text;
}

/** Word's `<o:p>` (paragraph ends, often holding a lone `&nbsp;`) and other `o:`/`w:` elements. */
function dropWordArtifacts(root: ParentNode): void {
  for (const element of root.querySelectorAll('*')) {
    if (!element.tagName.includes(':')) continue;
    if (/^o:p$/i.test(element.tagName) && element.textContent === '\u00a0') element.textContent = '';
    unwrap(element);
  }
}

/** Word writes a highlight as `mso-highlight: yellow` (which browsers drop from the CSS object, not from the attribute). */
function highlightWordSpans(root: ParentNode): void {
  for (const span of root.querySelectorAll('span[style]')) {
    if (/mso-highlight\s*:\s*(?!none)/i.test(span.getAttribute('style') ?? '')) wrapChildren(span, 'mark');
  }
}

// Any source --------------------------------------------------------------------------------

/**
 * Office suites and web pages underline (and colour) the text of links themselves; that is how a
 * link looks, not an underline the author chose.
 */
function keepLinkTextPlain(root: ParentNode): void {
  for (const link of root.querySelectorAll('a[href]')) {
    for (const element of [link, ...link.querySelectorAll('*')]) {
      if (element.tagName === 'U') unwrap(element);
      else if (/underline/i.test(styleValue(element, 'text-decoration') ?? styleValue(element, 'text-decoration-line') ?? '')) {
        element.setAttribute('style', withoutDeclarations(element.getAttribute('style') ?? '', ['text-decoration', 'text-decoration-line']));
      }
    }
  }
}

/** `<b style="font-weight:normal">` (how Google Docs and some pages wrap plain text) is not bold. */
function unwrapNormalWeightBold(root: ParentNode): void {
  for (const bold of root.querySelectorAll('b, strong')) {
    if (/^(normal|[1-4]00)$/i.test(styleValue(bold, 'font-weight') ?? '')) unwrap(bold);
  }
}

/** Tags for the formatting a style attribute carries, each wrapping the element's content. */
const STYLE_TAGS: Array<{ tag: string; applies: (style: (property: string) => string | undefined) => boolean }> = [
  { tag: 'strong', applies: (style) => /^(bold(er)?|[6-9]00)$/i.test(style('font-weight') ?? '') },
  { tag: 'em', applies: (style) => /^(italic|oblique)/i.test(style('font-style') ?? '') },
  { tag: 'u', applies: (style) => /\bunderline\b/i.test(`${style('text-decoration') ?? ''} ${style('text-decoration-line') ?? ''}`) },
  { tag: 's', applies: (style) => /\bline-through\b/i.test(`${style('text-decoration') ?? ''} ${style('text-decoration-line') ?? ''}`) },
  { tag: 'sup', applies: (style) => /^super$/i.test(style('vertical-align') ?? '') },
  { tag: 'sub', applies: (style) => /^sub$/i.test(style('vertical-align') ?? '') },
];

/** Inline elements whose style says bold, italic, underline, strike, super- or subscript get the tags for it. */
function stylesToTags(root: ParentNode): void {
  for (const element of root.querySelectorAll('span[style], font[style], a[style]')) {
    for (const { tag, applies } of STYLE_TAGS) {
      if (applies((property) => styleValue(element, property))) wrapChildren(element, tag);
    }
  }
}

/**
 * Lists written flat with the depth on each item: Google Docs' `aria-level`, or indentation
 * (`margin-left`) alone. Items deeper than the first become nested lists inside the item before.
 */
function nestListsByLevel(root: ParentNode): void {
  for (const list of root.querySelectorAll('ul, ol')) {
    const items = [...list.children].filter((child): child is HTMLElement => child.tagName === 'LI');
    const levels = itemLevels(items);
    if (!levels || levels.every((level) => level === levels[0])) continue;
    const nested = buildNestedList(
      list.ownerDocument,
      items.map((element, i) => ({ element, level: levels[i]!, ordered: isOrderedItem(element, list) })),
      list.tagName === 'OL',
    );
    list.replaceWith(nested);
  }
}

/** Each item's depth (1 = top) from `aria-level`, or from the distinct `margin-left`s; undefined when neither says. */
function itemLevels(items: HTMLElement[]): number[] | undefined {
  if (items.length < 2) return undefined;
  if (items.every((item) => item.hasAttribute('aria-level'))) {
    const levels = items.map((item) => Number.parseInt(item.getAttribute('aria-level')!, 10) || 1);
    const top = Math.min(...levels);
    return levels.map((level) => level - top + 1);
  }
  const margins = items.map((item) => Number.parseFloat(styleValue(item, 'margin-left') ?? ''));
  if (margins.some((margin) => !Number.isFinite(margin))) return undefined;
  const distinct = [...new Set(margins)].sort((a, b) => a - b);
  return margins.map((margin) => distinct.indexOf(margin) + 1);
}

function isOrderedItem(item: HTMLElement, list: Element): boolean {
  const style = styleValue(item, 'list-style-type');
  return style ? ORDERED_STYLE.test(style) : list.tagName === 'OL';
}

/** A table's caption goes before the table as a paragraph (a table holds only rows). */
function moveCaptionsOutOfTables(root: ParentNode): void {
  for (const caption of root.querySelectorAll('caption')) {
    const table = caption.closest('table');
    const paragraph = caption.ownerDocument.createElement('p');
    paragraph.append(...caption.childNodes);
    caption.remove();
    table?.before(paragraph);
  }
}

// Helpers -----------------------------------------------------------------------------------

interface LevelledItem {
  element: Element;
  /** 1 for the top level. */
  level: number;
  ordered: boolean;
}

/**
 * Nested lists from items that each know their depth. An `<li>` element is moved as it is; any
 * other element (a Word paragraph) becomes the content of a new `<li>`.
 */
function buildNestedList(doc: Document, items: LevelledItem[], topOrdered = items[0]?.ordered ?? false): HTMLElement {
  const top = doc.createElement(topOrdered ? 'ol' : 'ul');
  const stack: Array<{ level: number; list: HTMLElement }> = [{ level: items[0]?.level ?? 1, list: top }];
  for (const { element, level, ordered } of items) {
    while (stack.length > 1 && level < stack[stack.length - 1]!.level) stack.pop();
    let current = stack[stack.length - 1]!;
    if (level > current.level) {
      const nested = doc.createElement(ordered ? 'ol' : 'ul');
      let holder = current.list.lastElementChild;
      if (!holder) {
        holder = doc.createElement('li');
        current.list.append(holder);
      }
      holder.append(nested);
      current = { level, list: nested };
      stack.push(current);
    }
    current.list.append(asListItem(doc, element));
  }
  return top;
}

function asListItem(doc: Document, element: Element): Element {
  if (element.tagName === 'LI') return element;
  const item = doc.createElement('li');
  if (element.tagName === 'P') item.append(element);
  else {
    // A heading that is a list item keeps its text as the item's paragraph.
    const paragraph = doc.createElement('p');
    paragraph.append(...element.childNodes);
    element.remove();
    item.append(paragraph);
  }
  return item;
}

/** The value of one declaration in an element's style attribute, as written. */
function styleValue(element: Element, property: string): string | undefined {
  const style = element.getAttribute('style') ?? '';
  const match = new RegExp(`(?:^|;)\\s*${property}\\s*:\\s*([^;]+)`, 'i').exec(style);
  return match?.[1]?.trim();
}

/** A style attribute without the named declarations. */
function withoutDeclarations(style: string, properties: string[]): string {
  return style
    .split(';')
    .filter((declaration) => !properties.includes(declaration.split(':')[0]!.trim().toLowerCase()))
    .join(';');
}

/** Put `element`'s children inside a new `tag` element, itself inside `element`. */
function wrapChildren(element: Element, tag: string): void {
  const wrapper = element.ownerDocument.createElement(tag);
  wrapper.append(...element.childNodes);
  element.append(wrapper);
}

/** Replace `element` by its children. */
function unwrap(element: Element): void {
  element.replaceWith(...element.childNodes);
}
