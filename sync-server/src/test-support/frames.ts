/** Test helper: hand-built y-websocket frames, for clients that misbehave on purpose. */
import { MessageType, SyncMessageType } from '@tandem/protocol';
import * as encoding from 'lib0/encoding';

function frame(write: (encoder: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder();
  write(encoder);
  return encoding.toUint8Array(encoder);
}

export const syncFrame = (syncType: number, payload: Uint8Array): Uint8Array =>
  frame((e) => {
    encoding.writeVarUint(e, MessageType.Sync);
    encoding.writeVarUint(e, syncType);
    encoding.writeVarUint8Array(e, payload);
  });

export const updateFrame = (update: Uint8Array): Uint8Array => syncFrame(SyncMessageType.Update, update);
export const step2Frame = (update: Uint8Array): Uint8Array => syncFrame(SyncMessageType.Step2, update);
export const step1Frame = (stateVector: Uint8Array): Uint8Array => syncFrame(SyncMessageType.Step1, stateVector);

export interface AwarenessEntryInput {
  clientId: number;
  clock: number;
  /** null removes the client's presence. */
  state: unknown;
}

/** The awareness update payload (y-protocols format) for the given entries. */
export const awarenessPayload = (entries: readonly AwarenessEntryInput[]): Uint8Array =>
  frame((e) => {
    encoding.writeVarUint(e, entries.length);
    for (const { clientId, clock, state } of entries) {
      encoding.writeVarUint(e, clientId);
      encoding.writeVarUint(e, clock);
      encoding.writeVarString(e, JSON.stringify(state));
    }
  });

export const awarenessFrame = (entries: readonly AwarenessEntryInput[]): Uint8Array =>
  frame((e) => {
    encoding.writeVarUint(e, MessageType.Awareness);
    encoding.writeVarUint8Array(e, awarenessPayload(entries));
  });
