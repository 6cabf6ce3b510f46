/**
 * Bad input closes only the connection that sent it, with a named code and a log line; the
 * process, the stored document and every other client are untouched. (The seeded fuzzer in
 * the hostile-input suite goes much further; these are the named cases.)
 */
import { CloseCode, MessageType, SyncMessageType } from '@tandem/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { type ProviderClient, connectProvider, connectRaw, upgradeStatus, waitForSynced } from './test-support/clients.js';
import { syncFrame } from './test-support/frames.js';
import { type TestServer, startTestServer, waitFor } from './test-support/server.js';

let server: TestServer;
let honest: ProviderClient;

beforeEach(async () => {
  server = await startTestServer({ maxMessageBytes: 64 * 1024 });
  honest = connectProvider(server.url, 'target');
  await waitForSynced(honest);
  honest.text.insert(0, 'honest text');
});
afterEach(async () => {
  honest.destroy();
  await server.dispose();
});

function validUpdate(text: string): Uint8Array {
  const doc = new Y.Doc();
  doc.getText('text').insert(0, text);
  return Y.encodeStateAsUpdate(doc);
}

async function expectClosedWith(frame: Uint8Array | string, code: number): Promise<void> {
  const attacker = await connectRaw(server.url, 'target');
  attacker.socket.send(frame);
  const closed = await attacker.closed;
  expect(closed.code).toBe(code);
}

async function expectNothingChanged(): Promise<void> {
  // The honest client still syncs, and a newcomer sees exactly the honest text.
  honest.text.insert(honest.text.length, '!');
  const newcomer = connectProvider(server.url, 'target');
  try {
    await waitForSynced(newcomer);
    await waitFor(() => newcomer.text.toString() === 'honest text!', { what: 'newcomer sees only honest text' });
    const stored = await server.server.store.load('target');
    const doc = new Y.Doc();
    for (const update of stored.updates) Y.applyUpdate(doc, update);
    await waitFor(async () => {
      const again = await server.server.store.load('target');
      const d = new Y.Doc();
      for (const update of again.updates) Y.applyUpdate(d, update);
      return d.getText('text').toString() === 'honest text!';
    }, { what: 'storage holds only honest text' });
  } finally {
    newcomer.destroy();
  }
}

describe('a connection sending bad input is closed, and nothing else changes', () => {
  it('random bytes', async () => {
    await expectClosedWith(new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]), CloseCode.MalformedMessage.code);
    await expectNothingChanged();
  });

  it('a truncated varint', async () => {
    await expectClosedWith(new Uint8Array([0x80]), CloseCode.MalformedMessage.code);
    await expectNothingChanged();
  });

  it('a sync message declaring more bytes than it holds', async () => {
    await expectClosedWith(new Uint8Array([MessageType.Sync, SyncMessageType.Update, 0xff, 0xff, 0x03, 1, 2, 3]), CloseCode.MalformedMessage.code);
    await expectNothingChanged();
  });

  it('a truncated Yjs update', async () => {
    const update = validUpdate('intruder');
    await expectClosedWith(syncFrame(SyncMessageType.Update, update.subarray(0, update.byteLength - 3)), CloseCode.MalformedMessage.code);
    await expectNothingChanged();
  });

  it('an unknown message type', async () => {
    await expectClosedWith(new Uint8Array([42, 0, 0]), CloseCode.UnknownMessageType.code);
    await expectNothingChanged();
  });

  it('an unknown sync message type', async () => {
    await expectClosedWith(syncFrame(7, new Uint8Array([0, 0])), CloseCode.MalformedMessage.code);
    await expectNothingChanged();
  });

  it('a corrupt state vector in sync step 1', async () => {
    await expectClosedWith(syncFrame(SyncMessageType.Step1, new Uint8Array([5, 0xff])), CloseCode.MalformedMessage.code);
    await expectNothingChanged();
  });

  it('a text frame', async () => {
    await expectClosedWith('hello', CloseCode.MalformedMessage.code);
    await expectNothingChanged();
  });

  it('a frame over the size limit', async () => {
    await expectClosedWith(new Uint8Array(128 * 1024), CloseCode.MessageTooBig.code);
    await expectNothingChanged();
  });

  it('each refusal is logged with its close code name', async () => {
    await expectClosedWith(new Uint8Array([42]), CloseCode.UnknownMessageType.code);
    await waitFor(() => server.logs.some((l) => l.closeReason === 'UnknownMessageType' && l.doc === 'target'), { what: 'log line' });
  });
});

describe('invalid document names are refused before the upgrade', () => {
  it.each([
    ['empty', '/'],
    ['a path', '/a/b'],
    ['dot-dot', '/..'],
    ['an escaped path', '/%2e%2e%2fetc'],
    ['a NUL', '/a%00b'],
    ['a look-alike letter', `/${encodeURIComponent('dоc')}`],
    ['10 KB long', `/${'x'.repeat(10_000)}`],
    ['201 characters', `/${'x'.repeat(201)}`],
  ])('%s → HTTP 400', async (_label, path) => {
    expect(await upgradeStatus(server.url, path)).toBe(400);
  });

  it('a valid name is accepted', async () => {
    expect(await upgradeStatus(server.url, `/${'x'.repeat(200)}`)).toBe(101);
  });
});
