/**
 * Write before relay, observed from inside: the store is slowed down so that a relay
 * that did not wait for its write would overtake it, and every update a client receives must
 * already be readable from storage at that moment.
 */
import { afterEach, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { DocAppend, DocStore } from './storage/DocStore.js';
import { MemoryDocStore } from './storage/MemoryDocStore.js';
import { type ProviderClient, connectProvider, waitForSynced } from './test-support/clients.js';
import { type TestServer, startTestServer, waitFor } from './test-support/server.js';

/** A store, with every append held back for `delayMs` first (and the documents of each append call recorded). */
function slowAppends(store: DocStore, delayMs: number, calls: string[][] = []): DocStore {
  return Object.assign(Object.create(store) as DocStore, {
    async append(appends: DocAppend[]) {
      calls.push(appends.map((append) => append.name));
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      return store.append(appends);
    },
  });
}

let server: TestServer;
const clients: ProviderClient[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) client.destroy();
  await server.dispose();
});

it('every update another client receives is already in storage', async () => {
  const store = new MemoryDocStore();
  server = await startTestServer({}, { store: slowAppends(store, 40) });
  const writer = connectProvider(server.url, 'ordered');
  const reader = connectProvider(server.url, 'ordered');
  clients.push(writer, reader);
  await Promise.all([waitForSynced(writer), waitForSynced(reader)]);

  const checks: Array<Promise<void>> = [];
  reader.text.observe(() => {
    const seen = reader.text.toString();
    // Read storage at the instant the update arrived, before any later write can land.
    checks.push(
      store.load('ordered').then((stored) => {
        const doc = new Y.Doc();
        for (const update of stored.updates) Y.applyUpdate(doc, update);
        expect(doc.getText('text').toString().length).toBeGreaterThanOrEqual(seen.length);
      }),
    );
  });
  for (let i = 0; i < 20; i++) {
    writer.text.insert(writer.text.length, `w${i} `);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  await waitFor(() => reader.text.toString() === writer.text.toString() && reader.text.length > 0, { what: 'reader caught up' });
  await Promise.all(checks);
  expect(checks.length).toBeGreaterThan(0);
});

it('a client that syncs while a write is in flight receives only stored state', async () => {
  const store = new MemoryDocStore();
  server = await startTestServer({}, { store: slowAppends(store, 100) });
  const writer = connectProvider(server.url, 'late-join');
  clients.push(writer);
  await waitForSynced(writer);
  writer.text.insert(0, 'in flight');
  await new Promise((resolve) => setTimeout(resolve, 20)); // the server has it; the write is still held back
  const joiner = connectProvider(server.url, 'late-join');
  clients.push(joiner);
  let storedAtSync = '';
  joiner.provider.once('sync', () => {
    void store.load('late-join').then((stored) => {
      const doc = new Y.Doc();
      for (const update of stored.updates) Y.applyUpdate(doc, update);
      storedAtSync = doc.getText('text').toString();
    });
  });
  await waitForSynced(joiner);
  expect(joiner.text.toString()).toBe('in flight');
  await waitFor(() => storedAtSync === 'in flight', { what: 'storage held the text when the joiner synced' });
});

it('an update still reaches the others when its writer leaves before the write lands', async () => {
  const store = new MemoryDocStore();
  server = await startTestServer({}, { store: slowAppends(store, 60) });
  const writer = connectProvider(server.url, 'hit-and-run');
  const reader = connectProvider(server.url, 'hit-and-run');
  clients.push(reader);
  await Promise.all([waitForSynced(writer), waitForSynced(reader)]);
  writer.text.insert(0, 'left behind');
  await waitFor(() => server.server.rooms.all()[0]!.doc.getText('text').length > 0, { what: 'server has the update' });
  writer.destroy();
  await waitFor(() => reader.text.toString() === 'left behind', { what: 'reader gets it anyway' });
});

it('edits to different documents made while a write is in flight are stored in one batch, then relayed', async () => {
  const store = new MemoryDocStore();
  const calls: string[][] = [];
  server = await startTestServer({}, { store: slowAppends(store, 30, calls) });
  const pairs = ['left', 'right'].map((name) => [connectProvider(server.url, name), connectProvider(server.url, name)] as const);
  clients.push(...pairs.flat());
  await Promise.all(pairs.flat().map((client) => waitForSynced(client)));
  for (let i = 0; i < 10; i++) {
    for (const [writer] of pairs) writer.text.insert(writer.text.length, `${i}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  for (const [writer, reader] of pairs) {
    await waitFor(() => reader.text.toString() === '0123456789', { what: `reader of ${writer.provider.roomname} caught up` });
  }
  // Both documents' updates waited behind the same writes: the server grouped them into shared batches.
  expect(calls.some((names) => names.includes('left') && names.includes('right'))).toBe(true);
  for (const name of ['left', 'right']) {
    const stored = await store.load(name);
    const doc = new Y.Doc();
    for (const update of stored.updates) Y.applyUpdate(doc, update);
    expect(doc.getText('text').toString()).toBe('0123456789');
  }
});
