/**
 * The server's own changes to a document (room.atNextCut, the path restore and import take): made
 * at a cut, stored before any client receives them, relayed to everyone as ordinary updates, and
 * answered to their caller only once stored.
 */
import { CloseCode } from '@tandem/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { DocAppend, DocStore } from './storage/DocStore.js';
import { MemoryDocStore } from './storage/MemoryDocStore.js';
import { AppendGate } from './test-support/appendGate.js';
import { type ProviderClient, Peers, providerSocket, roundTrip } from './test-support/clients.js';
import { type TestServer, startTestServer, waitFor } from './test-support/server.js';

let server: TestServer;
const peers = new Peers(() => server.url);
afterEach(async () => {
  peers.closeAll();
  await server.dispose();
});

/** `store` with every append failing while `failing.now` is set. */
function failingStore(store: DocStore, failing: { now: boolean }): DocStore {
  return Object.assign(Object.create(store) as DocStore, {
    async append(appends: DocAppend[]) {
      if (failing.now) throw new Error('disk full');
      return store.append(appends);
    },
  });
}

async function storedMap(store: DocStore, docName: string): Promise<Record<string, unknown>> {
  const doc = new Y.Doc();
  for (const update of (await store.load(docName)).updates) Y.applyUpdate(doc, update);
  return doc.getMap('m').toJSON();
}

const openRoom = (docName: string): Promise<ProviderClient> => peers.synced(docName);

describe('a server change', () => {
  it('is stored before any client receives it, and its caller hears back only then', async () => {
    const store = new MemoryDocStore();
    const gate = new AppendGate(store);
    server = await startTestServer({}, { store: gate.store });
    const reader = await openRoom('served');
    const storedWhenReceived: Array<Promise<Record<string, unknown>>> = [];
    reader.doc.getMap('m').observe(() => storedWhenReceived.push(storedMap(store, 'served')));

    const room = server.server.rooms.all()[0]!;
    gate.hold();
    let answered = false;
    const result = room
      .atNextCut((doc) => {
        doc.getMap('m').set('k', 'server wrote this');
        return 42;
      })
      .finally(() => (answered = true));
    try {
      await waitFor(() => gate.waiting > 0, { what: 'the write has started' });
      // While it is being written: no client has it (a ping's answer would come after it), no caller heard back.
      await roundTrip(providerSocket(reader));
      expect(reader.doc.getMap('m').size).toBe(0);
      expect(answered).toBe(false);
    } finally {
      gate.release(); // also when a check failed: the server's close waits for the held write
    }
    expect(await result).toBe(42);
    expect(await storedMap(store, 'served')).toEqual({ k: 'server wrote this' });
    await waitFor(() => reader.doc.getMap('m').get('k') === 'server wrote this', { what: 'the client received it' });
    expect(await Promise.all(storedWhenReceived)).toEqual([{ k: 'server wrote this' }]);
  });

  it('that throws keeps what it did (memory never differs from storage) and rejects its caller only', async () => {
    const store = new MemoryDocStore();
    server = await startTestServer({}, { store });
    const reader = await openRoom('thrown');
    const room = server.server.rooms.all()[0]!;
    const failing = room.atNextCut((doc) => {
      doc.getMap('m').set('a', 1);
      throw new Error('half done');
    });
    const fine = room.atNextCut((doc) => doc.getMap('m').set('b', 2) && 'ok');
    await expect(failing).rejects.toThrow('half done');
    await expect(fine).resolves.toBe('ok');
    expect(await storedMap(store, 'thrown')).toEqual({ a: 1, b: 2 });
    await waitFor(() => reader.doc.getMap('m').size === 2, { what: 'the client has both' });
  });

  it('is refused on a room that is gone, and rejected when its cut cannot be stored', async () => {
    const failing = { now: false };
    server = await startTestServer({}, { store: failingStore(new MemoryDocStore(), failing) });
    const client = await openRoom('failing');
    const room = server.server.rooms.all()[0]!;
    const closed = new Promise<number>((resolve) => client.provider.ws?.addEventListener('close', (event) => resolve(event.code)));
    failing.now = true;
    await expect(room.atNextCut((doc) => doc.getMap('m').set('x', 1))).rejects.toThrow('disk full');
    expect(await closed).toBe(CloseCode.StorageError.code);
    await waitFor(() => room.state === 'closed', { what: 'the room closed' });
    await expect(room.atNextCut(() => 1)).rejects.toThrow(/not loaded/);
  });
});
