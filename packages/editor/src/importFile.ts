/**
 * Import a Markdown, HTML or Word file into the document being edited: parsed with the document
 * model's conversions (@tandem/document), which keep only what the schema knows — so scripts,
 * styles, handlers and unsafe links never get in — and with its images made Tandem's own
 * (uploaded, see resolveImages.ts). Runs in the browser: the HTML is parsed by the browser's own
 * DOMParser, which runs nothing and loads nothing; Word files are read by mammoth, loaded only
 * when one is imported.
 */
import { htmlToDocument, markdownParser } from '@tandem/document';
import { type Node, Slice } from 'prosemirror-model';
import type { EditorView } from 'prosemirror-view';
import { imageServices } from './images/imagesPlugin.js';

export type ImportFormat = 'md' | 'html' | 'docx';

/** File types the import takes, for a file input's `accept`. */
export const IMPORT_ACCEPT = '.md,.markdown,.html,.htm,.docx,text/markdown,text/html,application/vnd.openxmlformats-officedocument.wordprocessingml.document';

/** Largest file the import reads (a Word file with its pictures). */
export const MAX_IMPORT_BYTES = 50 * 1024 * 1024;

/** A file that cannot be imported, with the reason to show. */
export class ImportError extends Error {
  override name = 'ImportError';
}

/** The format of `file`, by its name (or its type); undefined when it is none of them. */
export function importFormatOf(file: Pick<File, 'name' | 'type'>): ImportFormat | undefined {
  const extension = /\.([a-z]+)$/i.exec(file.name)?.[1]?.toLowerCase();
  if (extension === 'md' || extension === 'markdown' || file.type === 'text/markdown') return 'md';
  if (extension === 'html' || extension === 'htm' || file.type === 'text/html') return 'html';
  if (extension === 'docx' || file.type === 'application/vnd.openxmlformats-officedocument.wordprocessingml.document') return 'docx';
  return undefined;
}

/** What a file holds, parsed. */
export interface ParsedImport {
  /** The title the file suggests: an HTML page's `<title>`, else the file's name without its extension. */
  title: string;
  body: Node;
  /** What could not be carried over, for a notice. */
  warnings: string[];
}

/** Parse `file` (Markdown, HTML or .docx). Throws {@link ImportError} for anything else or a broken file. */
export async function parseImportFile(file: File): Promise<ParsedImport> {
  const format = importFormatOf(file);
  if (!format) throw new ImportError(`“${file.name}” is not a Markdown, HTML or Word (.docx) file.`);
  if (file.size > MAX_IMPORT_BYTES) throw new ImportError(`“${file.name}” is larger than ${MAX_IMPORT_BYTES / 1024 / 1024} MB.`);
  const fallbackTitle = file.name.replace(/\.[a-z]+$/i, '').trim();
  if (format === 'md') return { title: fallbackTitle, body: markdownParser.parse(await file.text()), warnings: [] };
  let html: string;
  let warnings: string[] = [];
  if (format === 'docx') {
    const { docxToHtml } = await import('@tandem/document/docx');
    try {
      ({ html, warnings } = await docxToHtml(new Uint8Array(await file.arrayBuffer())));
    } catch {
      throw new ImportError(`“${file.name}” could not be read as a Word (.docx) file.`);
    }
  } else {
    html = await file.text();
  }
  const page = new DOMParser().parseFromString(html, 'text/html');
  const parsed = htmlToDocument(page);
  return { title: (format === 'html' && parsed.title) || fallbackTitle, body: parsed.body, warnings };
}

/** What an import did. */
export interface ImportResult {
  title: string;
  /** Lines for the person: images left out, what the file held that Tandem does not. */
  notes: string[];
}

/**
 * Import `file` into the editor showing `view`: in place of the selection, or (`replaceAll`) in
 * place of the whole body (a new document). One change, undoable as one.
 */
export async function importFileIntoEditor(view: EditorView, file: File, options: { replaceAll?: boolean } = {}): Promise<ImportResult> {
  const services = imageServices(view);
  if (!services) throw new ImportError('This editor cannot take in files.');
  if (!view.editable) throw new ImportError('This document is view-only.');
  const parsed = await parseImportFile(file);
  const { fragment, result } = services.resolve(parsed.body.content);
  if (view.isDestroyed) throw new ImportError('The editor was closed.');
  const tr = view.state.tr;
  if (options.replaceAll) tr.replaceWith(0, tr.doc.content.size, fragment);
  else tr.replaceSelection(new Slice(fragment, 0, 0));
  view.dispatch(tr.scrollIntoView());
  services.fetchRemote(view, result.remote);
  const notes = result.dropped.map((why) => `An image was left out: ${why}.`);
  if (parsed.warnings.length > 0) notes.push(`Some of the file's formatting was not kept (${parsed.warnings.length} ${parsed.warnings.length === 1 ? 'note' : 'notes'} from the Word reader).`);
  return { title: parsed.title, notes };
}
