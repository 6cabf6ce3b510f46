import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { decodeFrame, encodeFrame } from './frame.js';
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
  return encodeFrame(MessageType.Saved, (encoder) => encoding.writeVarUint(encoder, count));
}

/** Decode a Saved acknowledgement, or undefined when the frame is not one. */
export function decodeSavedAck(frame: Uint8Array): number | undefined {
  return decodeFrame(frame, MessageType.Saved, decoding.readVarUint);
}
