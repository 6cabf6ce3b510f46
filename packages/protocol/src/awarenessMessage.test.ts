import { Awareness, encodeAwarenessUpdate } from 'y-protocols/awareness';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { decodeAwarenessEntries, decodeAwarenessMessage, encodeAwarenessEntries, encodeAwarenessMessage } from './awarenessMessage.js';
import { MessageType } from './messageTypes.js';

describe('awareness message', () => {
  it('reads what y-protocols writes, and writes the same bytes back', () => {
    const awareness = new Awareness(new Y.Doc());
    awareness.setLocalState({ user: { name: 'Ada', color: '#123456' } });
    const update = encodeAwarenessUpdate(awareness, [awareness.clientID]);
    const entries = decodeAwarenessEntries(update);
    expect(entries).toEqual([{ clientId: awareness.clientID, clock: 1, stateJson: '{"user":{"name":"Ada","color":"#123456"}}' }]);
    expect(encodeAwarenessEntries(entries)).toEqual(update);
    awareness.destroy();
  });

  it('wraps an update in a frame and unwraps it', () => {
    const update = encodeAwarenessEntries([{ clientId: 7, clock: 3, stateJson: 'null' }]);
    const frame = encodeAwarenessMessage(update);
    expect(frame[0]).toBe(MessageType.Awareness);
    expect(decodeAwarenessMessage(frame)).toEqual(update);
    expect(decodeAwarenessMessage(new Uint8Array([MessageType.Sync, 0, 0]))).toBeUndefined();
    expect(decodeAwarenessMessage(frame.slice(0, 3))).toBeUndefined();
  });

  it('refuses a truncated update and a count the bytes cannot hold', () => {
    const update = encodeAwarenessEntries([{ clientId: 1, clock: 1, stateJson: '{}' }]);
    expect(() => decodeAwarenessEntries(update.slice(0, update.length - 1))).toThrow();
    expect(() => decodeAwarenessEntries(new Uint8Array([0xff, 0xff, 0x03, 1]))).toThrow(/declares 65535 entries in 4 bytes/);
  });
});
