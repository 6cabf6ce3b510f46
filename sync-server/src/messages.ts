/**
 * Decoding of client frames into a discriminated union, and encoding of server frames.
 * Pure functions: no sockets, no documents.
 */
import { CloseCode, type CloseCodeEntry, MessageType, SyncMessageType } from '@tandem/protocol';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';

export type ClientMessage =
  | { kind: 'syncStep1'; stateVector: Uint8Array }
  | { kind: 'update'; update: Uint8Array; isStep2: boolean }
  | { kind: 'awareness'; update: Uint8Array }
  | { kind: 'queryAwareness' };

/** A frame that breaks the protocol; the connection that sent it is closed with `close`. */
export class ProtocolError extends Error {
  override name = 'ProtocolError';
  constructor(
    message: string,
    readonly close: CloseCodeEntry = CloseCode.MalformedMessage,
  ) {
    super(message);
  }
}

/** Decode one client frame, or throw a {@link ProtocolError}. */
export function decodeClientMessage(frame: Uint8Array): ClientMessage {
  const decoder = decoding.createDecoder(frame);
  try {
    const type = decoding.readVarUint(decoder);
    switch (type) {
      case MessageType.Sync: {
        const syncType = decoding.readVarUint(decoder);
        const payload = decoding.readVarUint8Array(decoder);
        if (syncType === SyncMessageType.Step1) return { kind: 'syncStep1', stateVector: payload };
        if (syncType === SyncMessageType.Step2) return { kind: 'update', update: payload, isStep2: true };
        if (syncType === SyncMessageType.Update) return { kind: 'update', update: payload, isStep2: false };
        throw new ProtocolError(`unknown sync message type ${syncType}`);
      }
      case MessageType.Awareness:
        return { kind: 'awareness', update: decoding.readVarUint8Array(decoder) };
      case MessageType.QueryAwareness:
        return { kind: 'queryAwareness' };
      default:
        throw new ProtocolError(`unknown message type ${type}`, CloseCode.UnknownMessageType);
    }
  } catch (error) {
    if (error instanceof ProtocolError) throw error;
    throw new ProtocolError(`truncated or malformed frame: ${(error as Error).message}`);
  }
}

function frame(type: number, write: (encoder: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, type);
  write(encoder);
  return encoding.toUint8Array(encoder);
}

export const encodeSyncStep1 = (stateVector: Uint8Array): Uint8Array =>
  frame(MessageType.Sync, (e) => {
    encoding.writeVarUint(e, SyncMessageType.Step1);
    encoding.writeVarUint8Array(e, stateVector);
  });

export const encodeSyncStep2 = (update: Uint8Array): Uint8Array =>
  frame(MessageType.Sync, (e) => {
    encoding.writeVarUint(e, SyncMessageType.Step2);
    encoding.writeVarUint8Array(e, update);
  });

export const encodeSyncUpdate = (update: Uint8Array): Uint8Array =>
  frame(MessageType.Sync, (e) => {
    encoding.writeVarUint(e, SyncMessageType.Update);
    encoding.writeVarUint8Array(e, update);
  });

export const encodeAwareness = (update: Uint8Array): Uint8Array =>
  frame(MessageType.Awareness, (e) => encoding.writeVarUint8Array(e, update));
