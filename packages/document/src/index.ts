/**
 * @tandem/document — the document model both the editor and the sync server use: the ProseMirror
 * schema (whose node and mark names are the stored format), how a document is read from and
 * written to its Yjs document, and its conversions to and from Markdown, HTML and Word. Nothing
 * here draws anything; the HTML conversions take the DOM they work in as an argument.
 */
export { schema, HEADING_LEVELS, clampHeadingLevel, isSafeHref, isImageSource, type HeadingLevel } from './schema.js';
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
// STAND-IN until markdown.ts lands (see markdownStandIn.ts): then export from './markdown.js'.
export { markdownParser, markdownSerializer } from './markdownStandIn.js';
