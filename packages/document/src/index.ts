/**
 * @tandem/document — the document model both the editor and the sync server use: the ProseMirror
 * schema (whose node and mark names are the stored format), how a document is read from and
 * written to its Yjs document, its conversions to and from Markdown, HTML and Word, and the
 * normalising of HTML from other programs. Nothing here draws anything; the HTML conversions and
 * the normaliser work on whichever DOM they are handed.
 */
export { schema, HEADING_LEVELS, clampHeadingLevel, isSafeHref, isImageSource, type HeadingLevel } from './schema.js';
export { TABLE_CELL_NODES } from './tables.js';
export { readTitle, writeTitle } from './title.js';
export {
  readDocument,
  readDocumentUpdate,
  toPlainText,
  toProseMirrorJSON,
  writeDocument,
  type DocumentContent,
} from './yjsDocument.js';
export { readImageInfo, IMAGE_EXTENSIONS, type ImageInfo } from './imageBytes.js';
export { imageSources, replaceImageSources } from './imageSources.js';
export { documentToHtml, htmlToDocument, type HtmlExportOptions, type ParsedHtml } from './html.js';
export { documentToDocx, docxToHtml, type DocxExportOptions, type DocxAsHtml, type EmbeddedImage } from './docx.js';
export { markdownParser, markdownSerializer, looksLikeMarkdown } from './markdown.js';
export { normalizeForeignHtml, isGoogleDocsHtml } from './foreignHtml.js';
