/**
 * The opt-in "saved up to here" acknowledgement: a client that asks for it (?tandem-ack=1) is
 * told how many of its document-change frames are durable, only after the LevelDB write that
 * holds them. A stock client never receives it.
 */
import { MessageType, SAVED_ACK_PARAM, decodeSavedAck, encodeSyncStep2, encodeSyncUpdate } from '@tandem/protocol';
import { afterEach, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { DocStore } from './storage/DocStore.js';
import { MemoryDocStore } from './storage/MemoryDocStore.js';
import { AppendGate } from './test-support/appendGate.js';
import { type ProviderClient, connectProvider, connectRaw, roundTrip, waitForSynced } from './test-support/clients.js';
import { type TestServer, startTestServer, waitFor } from './test-support/server.js';

let server: TestServer | undefined;
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function updateFrames(count: number): Uint8Array[] {
  const doc = new Y.Doc();
  const frames: Uint8Array[] = [];
  doc.on('update', (update: Uint8Array) => frames.push(encodeSyncUpdate(update)));
  for (let i = 0; i < count; i++) doc.getText('text').insert(i, String(i % 10));
  return frames;
}

const acksIn = (frames: Uint8Array[]): number[] => frames.map(decodeSavedAck).filter((n): n is number => n !== undefined);

async function storedText(store: DocStore, name: string): Promise<string> {
  const doc = new Y.Doc();
  for (const update of (await store.load(name)).updates) Y.applyUpdate(doc, update);
  return doc.getText('text').toString();
}

it('acknowledges a client’s frames only once they are in LevelDB', async () => {
  server = await startTestServer();
  cleanups.push(() => server!.dispose());
  const client = await connectRaw(server.url, `acked?${SAVED_ACK_PARAM}=1`);
  const frames = updateFrames(5);
  for (const frame of frames) client.send(frame);
  await waitFor(() => acksIn(client.frames).includes(5), { what: 'ack for all five frames' });
  expect(await storedText(server.server.store, 'acked')).toBe('01234');
  // Acks only ever grow.
  const acks = acksIn(client.frames);
  expect([...acks].sort((a, b) => a - b)).toEqual(acks);
  client.socket.close();
});

it('never reports saved what was received but not yet written, and after a crash it is not there', async () => {
  const memory = new MemoryDocStore();
  // Held as if the process stopped mid-write.
  const gated = new AppendGate(memory, { held: true });
  server = await startTestServer({}, { store: gated.store });
  const client = await connectRaw(server.url, `pending?${SAVED_ACK_PARAM}=1`);
  for (const frame of updateFrames(3)) client.send(frame);
  await waitFor(() => gated.waiting > 0, { what: 'the write has started' });
  await roundTrip(client.socket); // an acknowledgement sent by now would have arrived before the pong
  expect(acksIn(client.frames)).toEqual([]);
  // The "crash": the write never completes, the connection drops, the process state is gone.
  client.socket.terminate();
  await client.closed;
  expect(await storedText(memory, 'pending')).toBe('');
  expect(acksIn(client.frames)).toEqual([]);
  gated.release();
  cleanups.push(() => server!.dispose());
});

it('acknowledges a step 2 with nothing new, so a client that reconnects learns it is saved', async () => {
  server = await startTestServer();
  cleanups.push(() => server!.dispose());
  const client = await connectRaw(server.url, `empty?${SAVED_ACK_PARAM}=1`);
  client.send(encodeSyncStep2(new Uint8Array([0, 0])));
  await waitFor(() => acksIn(client.frames).includes(1), { what: 'ack of the empty step 2' });
  client.socket.close();
});

it('a stock client (no opt-in) never receives an acknowledgement', async () => {
  server = await startTestServer();
  cleanups.push(() => server!.dispose());
  const stock = await connectRaw(server.url, 'stock');
  for (const frame of updateFrames(3)) stock.send(frame);
  const provider: ProviderClient = connectProvider(server.url, 'stock');
  cleanups.push(() => provider.destroy());
  await waitForSynced(provider);
  await waitFor(() => provider.text.length === 3);
  expect(stock.frames.some((f) => f[0] === MessageType.Saved)).toBe(false);
  stock.socket.close();
});
