import * as encoding from 'lib0/encoding';
import { describe, expect, it } from 'vitest';
import { MessageType } from './messageTypes.js';
import { decodeTokenMessage, encodeTokenMessage } from './tokenMessage.js';

describe('token message', () => {
  it('round-trips a token', () => {
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhIn0.c2lnbmF0dXJl';
    expect(decodeTokenMessage(encodeTokenMessage(jwt))).toBe(jwt);
    expect(decodeTokenMessage(encodeTokenMessage(''))).toBe('');
  });

  it('starts with its own message type, not y-protocols auth (2)', () => {
    expect(encodeTokenMessage('t')[0]).toBe(MessageType.Token);
    expect(MessageType.Token).not.toBe(MessageType.Auth);
  });

  it('is not mistaken for another message, a truncated one, or one with bytes after it', () => {
    expect(decodeTokenMessage(new Uint8Array([MessageType.Sync, 0, 1, 0]))).toBeUndefined();
    expect(decodeTokenMessage(new Uint8Array([MessageType.Auth, 0]))).toBeUndefined();
    expect(decodeTokenMessage(new Uint8Array([]))).toBeUndefined();
    expect(decodeTokenMessage(encodeTokenMessage('abcdef').slice(0, 4))).toBeUndefined();
    const encoder = encoding.createEncoder();
    encoding.writeUint8Array(encoder, encodeTokenMessage('abc'));
    encoding.writeVarUint(encoder, 7);
    expect(decodeTokenMessage(encoding.toUint8Array(encoder))).toBeUndefined();
  });
});
