import { describe, expect, it } from 'vitest';
import { MessageType, SyncMessageType } from './messageTypes.js';
import { decodeSyncMessage, encodeSyncMessage, encodeSyncStep1, encodeSyncStep2, encodeSyncUpdate } from './syncMessage.js';

const payload = new Uint8Array([1, 2, 3, 250]);

describe('sync message', () => {
  it('is the y-protocols layout: message type, sync type, length-prefixed payload', () => {
    expect([...encodeSyncStep1(payload)]).toEqual([MessageType.Sync, SyncMessageType.Step1, 4, 1, 2, 3, 250]);
    expect([...encodeSyncStep2(payload)]).toEqual([MessageType.Sync, SyncMessageType.Step2, 4, 1, 2, 3, 250]);
    expect([...encodeSyncUpdate(payload)]).toEqual([MessageType.Sync, SyncMessageType.Update, 4, 1, 2, 3, 250]);
  });

  it('round-trips each sub-type', () => {
    for (const syncType of [SyncMessageType.Step1, SyncMessageType.Step2, SyncMessageType.Update]) {
      expect(decodeSyncMessage(encodeSyncMessage(syncType, payload))).toEqual({ syncType, payload });
    }
    const big = new Uint8Array(70_000).fill(7);
    expect(decodeSyncMessage(encodeSyncUpdate(big))?.payload).toEqual(big);
  });

  it('is not mistaken for another message, an unknown sub-type or a truncated frame', () => {
    expect(decodeSyncMessage(new Uint8Array([MessageType.Awareness, 0]))).toBeUndefined();
    expect(decodeSyncMessage(new Uint8Array([MessageType.Sync, 3, 0]))).toBeUndefined();
    expect(decodeSyncMessage(encodeSyncUpdate(payload).slice(0, 4))).toBeUndefined();
    expect(decodeSyncMessage(new Uint8Array([]))).toBeUndefined();
  });
});
