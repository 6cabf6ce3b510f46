export { MessageType, SyncMessageType, SAVED_ACK_PARAM, AUTH_MESSAGE_PARAM, AUTH_BY_MESSAGE } from './messageTypes.js';
export { CloseCode, closeCodeName, type CloseCodeName, type CloseCodeEntry } from './closeCodes.js';
export { isValidDocName, docNameFromPath, MAX_DOC_NAME_LENGTH } from './docName.js';
export { isDocumentChangeMessage, encodeSavedAck, decodeSavedAck } from './savedAck.js';
export { encodeSyncMessage, encodeSyncStep1, encodeSyncStep2, encodeSyncUpdate, decodeSyncMessage, type SyncMessage } from './syncMessage.js';
export { encodeAwarenessMessage, decodeAwarenessMessage, encodeAwarenessEntries, decodeAwarenessEntries, type AwarenessEntry } from './awarenessMessage.js';
export { isPlainObject, jsonDepth } from './presenceState.js';
export { isAccess, MIN_SECRET_LENGTH, secretProblem, type Access, type TokenClaims } from './claims.js';
export { encodeTokenMessage, decodeTokenMessage } from './tokenMessage.js';
export { BODY_FRAGMENT, PARAGRAPH_NODE, RESTORED_ATTRIBUTE, BLOCK_CONTAINER_NODES } from './docLayout.js';
export { TITLE_TEXT, LEGACY_TITLE_MAP, LEGACY_TITLE_KEY, MAX_TITLE_LENGTH, hasTitleText, readTitle, type TitleSource } from './title.js';
export { docClaimCovers } from './docClaim.js';
export {
  LINK_CLAIM,
  LINK_PURPOSES,
  INITIAL_LINK_GENERATIONS,
  isLinkPurpose,
  isLinkGeneration,
  readLinkClaim,
  isRevokedLink,
  type LinkPurpose,
  type LinkClaim,
  type LinkGenerations,
} from './linkClaim.js';
export {
  DOC_SORTS,
  DEFAULT_DOC_PAGE_SIZE,
  MAX_DOC_PAGE_SIZE,
  MAX_DOC_QUERY_LENGTH,
  DUPLICATE_TITLE_SUFFIX,
  type DocSort,
  type DocSummary,
  type DocListEntry,
  type TrashEntry,
  type DocListPage,
  type DocStatus,
} from './docsApi.js';
export { VERSION_KINDS, MAX_VERSION_LABEL_LENGTH, type VersionKind, type VersionAuthor, type VersionInfo, type RestoreResult } from './versions.js';
export {
  FILE_REFERENCE_SCHEME,
  FILE_ID_PATTERN,
  IMAGE_TYPES,
  DEFAULT_MAX_FILE_BYTES,
  EXPORT_FORMATS,
  fileReference,
  fileIdOf,
  syncHttpBase,
  filesUrl,
  exportUrl,
  type ImageType,
  type ExportFormat,
  type UploadedFile,
} from './files.js';
