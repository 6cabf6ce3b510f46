/**
 * @tandem/document — the document model both the editor and the sync server use: the ProseMirror
 * schema (whose node and mark names are the stored format) and how a document is read from and
 * written to its Yjs document. Nothing here touches the DOM or draws anything.
 */
export { schema, HEADING_LEVELS, clampHeadingLevel, isSafeHref, type HeadingLevel } from './schema.js';
export { readTitle, writeTitle } from './title.js';
export {
  readDocument,
  readDocumentUpdate,
  toPlainText,
  toProseMirrorJSON,
  writeDocument,
  type DocumentContent,
} from './yjsDocument.js';
