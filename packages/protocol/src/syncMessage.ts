import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { decodeFrame, encodeFrame } from './frame.js';
import { MessageType, SyncMessageType } from './messageTypes.js';

/**
 * The y-protocols sync message as one WebSocket frame: `[0, varUint syncType, varUint8Array payload]`.
 * Step 1 carries a state vector; step 2 and update carry a Yjs update.
 */
export function encodeSyncMessage(syncType: SyncMessageType, payload: Uint8Array): Uint8Array {
  return encodeFrame(MessageType.Sync, (encoder) => {
    encoding.writeVarUint(encoder, syncType);
    encoding.writeVarUint8Array(encoder, payload);
  });
}

/** Sync step 1: "this is what I have" (a Yjs state vector). */
export const encodeSyncStep1 = (stateVector: Uint8Array): Uint8Array => encodeSyncMessage(SyncMessageType.Step1, stateVector);
/** Sync step 2: the answer to a step 1 (a Yjs update with what the asker lacks). */
export const encodeSyncStep2 = (update: Uint8Array): Uint8Array => encodeSyncMessage(SyncMessageType.Step2, update);
/** Sync update: a change, relayed as it happens. */
export const encodeSyncUpdate = (update: Uint8Array): Uint8Array => encodeSyncMessage(SyncMessageType.Update, update);

/** A decoded sync message: its sub-type and its payload (state vector or update). */
export interface SyncMessage {
  syncType: SyncMessageType;
  payload: Uint8Array;
}

/**
 * Decode a sync message, or undefined when the frame is not one (another message type, a sync
 * sub-type y-protocols does not define, or too short to read). Bytes after the payload are ignored,
 * as y-protocols does.
 */
export function decodeSyncMessage(frame: Uint8Array): SyncMessage | undefined {
  return decodeFrame(frame, MessageType.Sync, (decoder) => {
    const syncType = decoding.readVarUint(decoder);
    if (syncType !== SyncMessageType.Step1 && syncType !== SyncMessageType.Step2 && syncType !== SyncMessageType.Update) return undefined;
    return { syncType, payload: decoding.readVarUint8Array(decoder) };
  });
}
