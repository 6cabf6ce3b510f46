import * as encoding from 'lib0/encoding';
import { describe, expect, it } from 'vitest';
import { MessageType, SyncMessageType } from './messageTypes.js';
import { decodeSavedAck, encodeSavedAck, isDocumentChangeMessage } from './savedAck.js';

function syncFrame(syncType: number): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.Sync);
  encoding.writeVarUint(encoder, syncType);
  encoding.writeVarUint8Array(encoder, new Uint8Array([0, 0]));
  return encoding.toUint8Array(encoder);
}

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
