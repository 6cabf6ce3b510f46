/** Test helper: y-websocket frames built with @tandem/protocol's encoders, for clients that misbehave on purpose. */
import {
  SyncMessageType,
  encodeAwarenessEntries,
  encodeAwarenessMessage,
  encodeSyncMessage,
  encodeSyncStep1,
  encodeSyncStep2,
  encodeSyncUpdate,
} from '@tandem/protocol';

/** A sync frame of any sub-type, one y-protocols does not define included (to test refusals). */
export const syncFrame = (syncType: number, payload: Uint8Array): Uint8Array => encodeSyncMessage(syncType as SyncMessageType, payload);

export const updateFrame = encodeSyncUpdate;
export const step2Frame = encodeSyncStep2;
export const step1Frame = encodeSyncStep1;

export interface AwarenessEntryInput {
  clientId: number;
  clock: number;
  /** null removes the client's presence. */
  state: unknown;
}

/** The awareness update payload (y-protocols format) for the given entries. */
export const awarenessPayload = (entries: readonly AwarenessEntryInput[]): Uint8Array =>
  encodeAwarenessEntries(entries.map(({ clientId, clock, state }) => ({ clientId, clock, stateJson: JSON.stringify(state) })));

export const awarenessFrame = (entries: readonly AwarenessEntryInput[]): Uint8Array => encodeAwarenessMessage(awarenessPayload(entries));
