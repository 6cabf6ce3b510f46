/**
 * Write before relay, observed from inside: appends are held at a gate the test opens, so "the
 * write is still in flight" is a state, not a timing; while it holds, nothing of the update may
 * reach another client (shown by a ping round trip, which would carry anything sent before it),
 * and once released, every update a client receives is already readable from storage.
 */
import { afterEach, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { DocStore } from './storage/DocStore.js';
import { MemoryDocStore } from './storage/MemoryDocStore.js';
import { AppendGate } from './test-support/appendGate.js';
import { type ProviderClient, Peers, providerSocket, roundTrip, waitForSynced } from './test-support/clients.js';
import { type TestServer, startTestServer, waitFor } from './test-support/server.js';

let server: TestServer;
let gate: AppendGate;
const peers = new Peers(() => server.url);
afterEach(async () => {
  peers.closeAll();
  gate.release(); // a failed test may leave a write held, which the server waits for on close
  await server.dispose();
});

async function storedText(store: DocStore, name: string): Promise<string> {
  const doc = new Y.Doc();
  for (const update of (await store.load(name)).updates) Y.applyUpdate(doc, update);
  return doc.getText('text').toString();
}

/** A server over a gated in-memory store, with `count` synced providers on `docName`. */
async function gatedRoom(docName: string, count: number): Promise<{ memory: MemoryDocStore; synced: ProviderClient[] }> {
  const memory = new MemoryDocStore();
  gate = new AppendGate(memory);
  server = await startTestServer({}, { store: gate.store });
  return { memory, synced: await Promise.all(Array.from({ length: count }, () => peers.synced(docName))) };
}

it('relays nothing while the write is in flight, and every update a client receives is already stored', async () => {
  const { memory, synced } = await gatedRoom('ordered', 2);
  const [writer, reader] = synced as [ProviderClient, ProviderClient];
  const storedAtReceipt: Array<Promise<{ seen: string; stored: string }>> = [];
  reader.text.observe(() => {
    // MemoryDocStore reads synchronously: this is storage at the instant the update arrived.
    const seen = reader.text.toString();
    storedAtReceipt.push(storedText(memory, 'ordered').then((stored) => ({ seen, stored })));
  });

  gate.hold();
  writer.text.insert(0, 'held back');
  await waitFor(() => gate.waiting > 0, { what: 'the write has started' });
  await roundTrip(providerSocket(reader));
  expect(reader.text.toString()).toBe('');

  gate.release();
  await waitFor(() => reader.text.toString() === 'held back', { what: 'the reader received it' });
  for (let i = 0; i < 5; i++) writer.text.insert(writer.text.length, ` w${i}`);
  await waitFor(() => reader.text.toString() === writer.text.toString(), { what: 'the reader caught up' });
  const receipts = await Promise.all(storedAtReceipt);
  expect(receipts.length).toBeGreaterThan(0);
  for (const { seen, stored } of receipts) expect(stored.length).toBeGreaterThanOrEqual(seen.length);
});

it('a client that syncs while a write is in flight receives only stored state', async () => {
  const { memory, synced } = await gatedRoom('late-join', 1);
  const [writer] = synced as [ProviderClient];
  gate.hold();
  writer.text.insert(0, 'in flight');
  await waitFor(() => gate.waiting > 0, { what: 'the write has started' });

  const joiner = peers.provider('late-join');
  let storedAtSync: Promise<string> | undefined;
  joiner.provider.once('sync', () => (storedAtSync = storedText(memory, 'late-join')));
  await waitFor(() => joiner.provider.wsconnected, { what: 'the joiner connected' });
  await roundTrip(providerSocket(joiner)); // its sync step 1 has been handled; no answer came with it
  expect(joiner.provider.synced).toBe(false);
  expect(joiner.text.toString()).toBe('');

  gate.release();
  await waitForSynced(joiner);
  expect(joiner.text.toString()).toBe('in flight');
  expect(await storedAtSync).toBe('in flight');
});

it('an update still reaches the others when its writer leaves before the write lands', async () => {
  const { memory, synced } = await gatedRoom('hit-and-run', 2);
  const [writer, reader] = synced as [ProviderClient, ProviderClient];
  gate.hold();
  writer.text.insert(0, 'left behind');
  await waitFor(() => gate.waiting > 0, { what: 'the write has started' });
  writer.destroy();
  await waitFor(() => server.server.rooms.all()[0]!.connectionCount === 1, { what: 'the server saw the writer leave' });
  gate.release();
  await waitFor(() => reader.text.toString() === 'left behind', { what: 'reader gets it anyway' });
  expect(await storedText(memory, 'hit-and-run')).toBe('left behind');
});

it('edits to different documents made while a write is in flight are stored in one batch, then relayed', async () => {
  const memory = new MemoryDocStore();
  gate = new AppendGate(memory);
  server = await startTestServer({}, { store: gate.store });
  const pairs = await Promise.all(['left', 'right'].map(async (name) => [await peers.synced(name), await peers.synced(name)] as const));
  const [[leftWriter], [rightWriter]] = pairs as [readonly [ProviderClient, ProviderClient], readonly [ProviderClient, ProviderClient]];

  gate.hold();
  leftWriter.text.insert(0, 'first');
  await waitFor(() => gate.waiting > 0, { what: 'the first write has started' });
  leftWriter.text.insert(5, ' then');
  rightWriter.text.insert(0, 'meanwhile');
  // The server has both updates (a pong follows what was sent before the ping), and no second write started.
  await Promise.all([roundTrip(providerSocket(leftWriter)), roundTrip(providerSocket(rightWriter))]);
  expect(gate.calls).toEqual([['left']]);
  gate.release();

  const expected = { left: 'first then', right: 'meanwhile' };
  for (const [writer, reader] of pairs) {
    const name = writer.provider.roomname as keyof typeof expected;
    await waitFor(() => reader.text.toString() === expected[name], { what: `reader of ${name} caught up` });
    expect(await storedText(memory, name)).toBe(expected[name]);
  }
  // Both documents' updates waited behind the same write: the server stored them in one batch.
  expect(gate.calls.slice(1)).toContainEqual(expect.arrayContaining(['left', 'right']));
});
