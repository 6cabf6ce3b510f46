import { looksLikeMarkdown, markdownParser, normalizeForeignHtml } from '@tandem/document';
import { Slice } from 'prosemirror-model';
import { Plugin, PluginKey } from 'prosemirror-state';

/**
 * Pasting from other programs. HTML from Google Docs, Word and web pages is normalised first
 * (`normalizeForeignHtml`: nested lists, Word's list paragraphs, highlights, link styling) and then
 * read by the schema's parse rules, which keep only what the schema knows and only safe links.
 * Plain text that is clearly Markdown (`looksLikeMarkdown`) is parsed as Markdown; other plain
 * text, and anything pasted with Shift (paste as plain text), stays as it is.
 */

export const pastePluginKey = new PluginKey('tandemPaste');

/** Normalise HTML from other programs before it is parsed; ProseMirror's own clipboard is left alone. */
export function normalizePastedHtml(html: string): string {
  if (html.includes('data-pm-slice')) return html;
  const template = document.createElement('template');
  template.innerHTML = html;
  normalizeForeignHtml(template.content);
  return template.innerHTML;
}

/** The Markdown in `text` as a slice, or null when the text is not clearly Markdown. */
export function parsePastedMarkdown(text: string, plain: boolean): Slice | null {
  if (plain || !looksLikeMarkdown(text)) return null;
  return Slice.maxOpen(markdownParser.parse(text).content);
}

/** Faithful paste: normalised HTML, and Markdown from plain text. */
export function pastePlugin(): Plugin {
  return new Plugin({
    key: pastePluginKey,
    props: {
      transformPastedHTML: (html) => normalizePastedHtml(html),
      // ProseMirror reads the text its own way when this gives nothing.
      clipboardTextParser: (text, _context, plain) => parsePastedMarkdown(text, plain) as Slice,
    },
  });
}
