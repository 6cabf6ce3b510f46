export { MessageType, SyncMessageType, SAVED_ACK_PARAM, AUTH_MESSAGE_PARAM, AUTH_BY_MESSAGE } from './messageTypes.js';
export { CloseCode, closeCodeName, type CloseCodeName, type CloseCodeEntry } from './closeCodes.js';
export { isValidDocName, docNameFromPath, MAX_DOC_NAME_LENGTH } from './docName.js';
export { isDocumentChangeMessage, encodeSavedAck, decodeSavedAck } from './savedAck.js';
export { encodeTokenMessage, decodeTokenMessage } from './tokenMessage.js';
