/**
 * @tandem/document — the document model both the editor and the sync server use: the ProseMirror
 * schema (whose node and mark names are the stored format), Markdown both ways, and the
 * normalising of HTML from other programs. Nothing here draws anything; the HTML normaliser works
 * on whichever DOM it is handed.
 */
export { schema, HEADING_LEVELS, clampHeadingLevel, isSafeHref, type HeadingLevel } from './schema.js';
export { TABLE_CELL_NODES } from './tables.js';
export { markdownParser, markdownSerializer, looksLikeMarkdown } from './markdown.js';
export { normalizeForeignHtml, isGoogleDocsHtml } from './foreignHtml.js';
