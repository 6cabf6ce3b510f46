/**
 * A document as a standalone HTML page, and an HTML page as a document.
 *
 * Both directions go through the schema: the export is ProseMirror's DOMSerializer over the
 * schema's `toDOM` specs, the import its DOMParser over the `parseDOM` rules. So what comes out holds
 * only the schema's elements (links only to safe addresses, images only as file references or
 * embedded `data:` images), and what comes in keeps only what the schema knows: scripts, styles,
 * event handlers, frames and `javascript:` links are dropped on the way.
 *
 * This package has no DOM of its own: the caller hands one in (the browser's `document`, or a
 * small DOM implementation on the server).
 */
import { DOMParser as PMDOMParser, DOMSerializer, type Node } from 'prosemirror-model';
import { normalizeForeignHtml } from './foreignHtml.js';
import { schema } from './schema.js';

/** Type and spacing that make the page readable on its own; no fonts or images are loaded. */
const PAGE_STYLE = [
  'body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;line-height:1.6;max-width:46rem;margin:2rem auto;padding:0 1rem;color:#1f2328}',
  'img{max-width:100%;height:auto}',
  'pre{background:#f6f8fa;padding:.75rem 1rem;border-radius:6px;overflow:auto}',
  'code{font-family:ui-monospace,Menlo,Consolas,monospace}',
  'blockquote{margin-left:0;padding-left:1rem;border-left:3px solid #d0d7de;color:#57606a}',
].join('');

export interface HtmlExportOptions {
  /** The document's title: the page's `<title>`. */
  title: string;
  /** An empty HTML document to build the page in (`document.implementation.createHTMLDocument()`, linkedom's `parseHTML`). */
  document: Document;
}

/**
 * `body` as a complete HTML page (`<!DOCTYPE html>` and all). Images keep the `src` they have:
 * give a body whose file references were replaced by `data:` URLs ({@link replaceImageSources})
 * for a page that carries its pictures; any other source is left out of the page.
 */
export function documentToHtml(body: Node, { title, document }: HtmlExportOptions): string {
  const html = document.documentElement;
  html.setAttribute('lang', 'en');
  const head = document.head;
  head.textContent = '';
  const charset = document.createElement('meta');
  charset.setAttribute('charset', 'utf-8');
  const viewport = document.createElement('meta');
  viewport.setAttribute('name', 'viewport');
  viewport.setAttribute('content', 'width=device-width, initial-scale=1');
  const titleElement = document.createElement('title');
  titleElement.textContent = title.trim() || 'Untitled';
  const style = document.createElement('style');
  style.textContent = PAGE_STYLE;
  head.append(charset, viewport, titleElement, style);
  document.body.textContent = '';
  document.body.append(DOMSerializer.fromSchema(schema).serializeFragment(body.content, { document }));
  return `<!DOCTYPE html>\n${html.outerHTML}\n`;
}

/** What an imported page holds. */
export interface ParsedHtml {
  /** The page's `<title>`, trimmed; '' without one. */
  title: string;
  body: Node;
}

/**
 * The document in an HTML page, parsed by a DOM that runs nothing (the browser's `DOMParser`, which
 * neither runs scripts nor loads images, or a DOM implementation on the server). Images keep
 * their `src`: upload them and put references in their place before the document is shared.
 */
export function htmlToDocument(page: Document): ParsedHtml {
  const title = page.querySelector('title')?.textContent?.trim() ?? '';
  const root = page.body ?? page.documentElement;
  // A page saved from Word or Google Docs carries its structure as styles and classes, as a paste does.
  normalizeForeignHtml(root);
  return { title, body: PMDOMParser.fromSchema(schema).parse(root) };
}
