/**
 * Decoding of client frames into a discriminated union, for the server: what breaks the protocol
 * becomes a {@link ProtocolError} with its close code. The encoders are @tandem/protocol's.
 * Pure functions: no sockets, no documents.
 */
import { CloseCode, type CloseCodeEntry, MessageType, SyncMessageType } from '@tandem/protocol';
import * as decoding from 'lib0/decoding';

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
