/**
 * @tandem/editor — Tandem's collaborative rich-text editor.
 *
 * `createEditor(element, options)` is the whole thing in one call; the pieces (schema, keymap,
 * input rules, toolbar, presence, cursors) are exported for editors that assemble their own.
 */
export { createEditor, CONTENT_FRAGMENT, type CreateEditorOptions, type TandemEditor } from './createEditor.js';
export { schema, HEADING_LEVELS, clampHeadingLevel, isSafeHref, markdownParser, markdownSerializer, type HeadingLevel } from '@tandem/document';
export { buildKeymap, keyBindings, keymapPlugin, type KeyBinding, type KeymapOptions, type Shortcut } from './keymap.js';
export { keyboardShortcuts } from './shortcuts.js';
export { buildInputRules, inputRulesPlugin, markInputRule } from './inputRules.js';
export { tablePlugins, collaborativeTableEditing, insertTable, createTable, nextCellOrNewRow, previousCell, DEFAULT_TABLE_SIZE } from './tables.js';
export { taskPlugin, taskInputRule, toggleTaskChecked } from './tasks.js';
export { findPlugin, findMatches, findState, openFind, closeFind, setFindQuery, moveToMatch, FIND_SHORTCUTS, type FindMatch, type FindOptions } from './find.js';
export { linkPopoverPlugin, LINK_SHORTCUTS, type LinkPopoverOptions } from './linkPopover.js';
export { pastePlugin, normalizePastedHtml, parsePastedMarkdown } from './paste.js';
export {
  isMarkActive,
  isBlockActive,
  isInside,
  toggleBlockType,
  toggleList,
  toggleBlockquote,
  toggleLink,
  askForLink,
  clearFormatting,
  linkAt,
  setLinkHref,
  removeLinkAt,
  replaceList,
  LIST_TYPES,
  linkRefusal,
  normalizeHref,
  undo,
  redo,
} from './commands.js';
export { toolbarPlugin, defaultToolbarItems, formatShortcut, ICONS, type ToolbarItem, type ToolbarOptions } from './toolbar.js';
export { peersFromAwareness, observePresence, presenceKey, USER_FIELD, type Peer } from './presence.js';
export {
  renderAvatars,
  createPresenceBar,
  displayStatus,
  statusLabel,
  STATUS_LABELS,
  SAVE_STATUS_LABELS,
  OFFLINE_UNSAVED_IN_TAB_LABEL,
  CONNECTING_UNSAVED_IN_TAB_LABEL,
  type DisplayStatus,
} from './presenceBar.js';
export { SaveTracker, type SaveStatus, type LocalWrites } from './saveStatus.js';
export { IdRanges, changeOfTransaction, changeOfUpdate, type Change } from './idRanges.js';
export { BindingGuard, type BindingFailure } from './bindingGuard.js';
export {
  acceptableEntries,
  drawableCursorFilter,
  presenceProblem,
  MAX_PRESENCE_DEPTH,
} from './remotePresence.js';
export { openLocalCopy, localCopyName, COMPACT_AFTER_ENTRIES, type LocalCopy } from './localCopy.js';
export { createProvider, type ProviderOptions, type SyncConnection } from './provider/createProvider.js';
export { observeConnectionStatus, type ConnectionStatus, type ConnectionClosed } from './provider/connectionStatus.js';
export { type WireTap, type TokenTransport } from './provider/connectionSocket.js';
export { acceptRemotePresence } from './provider/presence.js';
export { reconnectDelay, DEFAULT_BACKOFF, type BackoffOptions } from './provider/reconnects.js';
export { readTokenClaims, isReadOnlyToken, type GetToken, type TokenClaims } from './provider/tokens.js';
export { renewalDelay } from './provider/tokenRenewal.js';
export { logToConsole, type EditorError, type EditorErrorKind, type OnError } from './editorError.js';
export { buildCursor, buildSelection, scrollToCursor } from './cursors.js';
export { placeholderPlugin } from './placeholder.js';
export { imagesPlugin, imageServices, imagesKey, type ImagesOptions, type ImageServices } from './images/imagesPlugin.js';
export { UploadQueue, type UploadState } from './images/uploadQueue.js';
export {
  importFileIntoEditor,
  parseImportFile,
  importFormatOf,
  ImportError,
  IMPORT_ACCEPT,
  MAX_IMPORT_BYTES,
  type ImportFormat,
  type ImportResult,
  type ParsedImport,
} from './importFile.js';
export { restoredNoticePlugin, restoredNoticeKey, clearRestored, RESTORED_NOTICE_TEXT } from './restoredNotice.js';
export { getTitle, setTitle, editTitle, observeTitle, titleText, adoptLegacyTitle, type TitleEdit } from './meta.js';
export { bindTitle, type TitleField } from './titleBinding.js';
export { TITLE_TEXT, MAX_TITLE_LENGTH } from '@tandem/protocol';
export {
  randomUser,
  sanitizeColor,
  sanitizeName,
  initialsOf,
  textColorOn,
  USER_COLORS,
  MAX_NAME_LENGTH,
  type EditorUser,
} from './user.js';
