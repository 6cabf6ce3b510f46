import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { MessageType, SyncMessageType } from './messageTypes.js';
import { decodeSyncMessage } from './syncMessage.js';

/**
 * True when a frame is one that may change the document: sync step 2 or sync update.
 * Client and server both count these frames per connection; the Saved acknowledgement
 * names how many of them the server has made durable.
 */
export function isDocumentChangeMessage(frame: Uint8Array): boolean {
  const syncType = decodeSyncMessage(frame)?.syncType;
  return syncType === SyncMessageType.Step2 || syncType === SyncMessageType.Update;
}

/** Encode a Saved acknowledgement: the first `count` document-change frames are durable. */
export function encodeSavedAck(count: number): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.Saved);
  encoding.writeVarUint(encoder, count);
  return encoding.toUint8Array(encoder);
}

/** Decode a Saved acknowledgement, or undefined when the frame is not one. */
export function decodeSavedAck(frame: Uint8Array): number | undefined {
  try {
    const decoder = decoding.createDecoder(frame);
    if (decoding.readVarUint(decoder) !== MessageType.Saved) return undefined;
    return decoding.readVarUint(decoder);
  } catch {
    return undefined;
  }
}
