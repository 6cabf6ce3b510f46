import { describe, expect, it } from 'vitest';
import { MessageType, SyncMessageType } from './messageTypes.js';
import { decodeSavedAck, encodeSavedAck, isDocumentChangeMessage } from './savedAck.js';
import { encodeSyncMessage } from './syncMessage.js';

const syncFrame = (syncType: SyncMessageType): Uint8Array => encodeSyncMessage(syncType, new Uint8Array([0, 0]));

describe('saved acknowledgement', () => {
  it('round-trips a count', () => {
    expect(decodeSavedAck(encodeSavedAck(0))).toBe(0);
    expect(decodeSavedAck(encodeSavedAck(123_456))).toBe(123_456);
  });

  it('is not mistaken for another message', () => {
    expect(decodeSavedAck(syncFrame(SyncMessageType.Update))).toBeUndefined();
    expect(decodeSavedAck(new Uint8Array([]))).toBeUndefined();
  });

  it('counts sync step 2 and update frames as document changes, nothing else', () => {
    expect(isDocumentChangeMessage(syncFrame(SyncMessageType.Step2))).toBe(true);
    expect(isDocumentChangeMessage(syncFrame(SyncMessageType.Update))).toBe(true);
    expect(isDocumentChangeMessage(syncFrame(SyncMessageType.Step1))).toBe(false);
    expect(isDocumentChangeMessage(new Uint8Array([MessageType.Awareness, 0]))).toBe(false);
    expect(isDocumentChangeMessage(new Uint8Array([0x80]))).toBe(false);
  });
});
