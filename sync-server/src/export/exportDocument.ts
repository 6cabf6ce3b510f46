/**
 * A stored document as a Markdown, HTML or Word file, with its images: embedded as `data:` URLs in
 * Markdown and HTML (so the file stands on its own and a private document's pictures need no
 * link back to the server), as pictures in Word. The conversions are @tandem/document's, the same
 * schema the editor uses.
 *
 * The document is read through its room (loaded for the moment if nobody has it open), never
 * straight from storage: the room is the only reader the store's contract allows while the
 * document may be in use.
 */
import {
  type DocumentContent,
  type EmbeddedImage,
  type HtmlExportOptions,
  documentToDocx,
  documentToHtml,
  imageSources,
  markdownSerializer,
  readDocumentUpdate,
  replaceImageSources,
} from '@tandem/document';
import { type ExportFormat, fileIdOf } from '@tandem/protocol';
import { parseHTML } from 'linkedom';
import type { Node } from 'prosemirror-model';
import * as Y from 'yjs';
import type { FileStore, StoredFile } from '../files/FileStore.js';
import type { RoomRegistry } from '../RoomRegistry.js';

/** A finished export. */
export interface ExportedDocument {
  bytes: Uint8Array;
  contentType: string;
  /** A file name for the download: the title made safe, and the format's extension. */
  fileName: string;
}

const CONTENT_TYPES: Record<ExportFormat, string> = {
  md: 'text/markdown; charset=utf-8',
  html: 'text/html; charset=utf-8',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
};

/** The document's title and body; undefined when nothing is stored under `docName`. */
export async function readDocument(rooms: RoomRegistry, docName: string): Promise<DocumentContent | undefined> {
  const room = await rooms.acquire(docName);
  // Held while the next cut reads it: the document exactly as stored, not unloaded meanwhile.
  const state = await room.hold(() => (room.isEmpty ? Promise.resolve(undefined) : room.atNextCut((doc) => Y.encodeStateAsUpdate(doc))));
  return state ? readDocumentUpdate(state) : undefined;
}

/** `docName` as a file of `format`; undefined when the document does not exist. */
export async function exportDocument(rooms: RoomRegistry, files: FileStore, docName: string, format: ExportFormat): Promise<ExportedDocument | undefined> {
  const document = await readDocument(rooms, docName);
  if (!document) return undefined;
  const { title, body } = document;
  const images = await loadImages(files, docName, body);
  const fileName = `${safeFileName(title) || docName}.${format}`;
  if (format === 'docx') {
    const image = (src: string): EmbeddedImage | undefined => {
      const file = images.get(src);
      return file && { data: file.bytes, info: file.info };
    };
    return { bytes: await documentToDocx(body, { title, image }), contentType: CONTENT_TYPES.docx, fileName };
  }
  // Missing files (an upload that never finished) are left out rather than linked.
  const embedded = replaceImageSources(body, (src) => {
    const file = images.get(src);
    return file && `data:${file.info.type};base64,${Buffer.from(file.bytes).toString('base64')}`;
  });
  const text =
    format === 'md'
      ? markdownSerializer.serialize(embedded)
      : // eslint-disable-next-line @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-member-access -- DOM's Document, which the option names and linkedom returns, is unresolved here: the server has no DOM lib
        documentToHtml(embedded, { title, document: parseHTML('<!DOCTYPE html><html><head></head><body></body></html>').document as unknown as HtmlExportOptions['document'] });
  return { bytes: new TextEncoder().encode(text), contentType: CONTENT_TYPES[format], fileName };
}

/** The stored files the body's images refer to, by `src`. */
async function loadImages(files: FileStore, docName: string, body: Node): Promise<Map<string, StoredFile>> {
  const found = new Map<string, StoredFile>();
  for (const src of imageSources(body)) {
    const id = fileIdOf(src);
    const file = id && (await files.get(docName, id));
    if (file) found.set(src, file);
  }
  return found;
}

/** A title as a file name: no path separators, control or reserved characters, at most 100 characters. */
export function safeFileName(title: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are what this strips
  return title.replace(/[\u0000-\u001f\u007f<>:"/\\|?*]+/g, ' ').replace(/\s+/g, ' ').trim().replace(/^\.+/, '').slice(0, 100).trim();
}
