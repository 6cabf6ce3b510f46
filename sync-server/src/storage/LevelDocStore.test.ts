import { cp, rm } from 'node:fs/promises';
import { afterEach, expect, it } from 'vitest';
import * as Y from 'yjs';
import { connectProvider, waitForSynced } from '../test-support/clients.js';
import { type TestServer, makeTempDir, startTestServer, waitFor } from '../test-support/server.js';
import type { DocStore } from './DocStore.js';
import { describeDocStoreContract } from './DocStore.contract.js';
import { LevelDocStore } from './LevelDocStore.js';

describeDocStoreContract('LevelDocStore', async () => {
  const dir = await makeTempDir('tandem-store-');
  return {
    open: () => LevelDocStore.open(dir),
    reopen: () => LevelDocStore.open(dir),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
});

/** See fixtures/written-by-leveldown/README.md: what the leveldown-based store (47a395f) wrote. */
const WRITTEN_BY_LEVELDOWN = new URL('./fixtures/written-by-leveldown/', import.meta.url);
const LEVELDOWN_TEXTS = { compacted: 'Hello, world!', 'log-only': 'left open after reopen', a: 'short name', 'a.b': 'longer name' };

async function storedText(store: DocStore, name: string): Promise<string> {
  const doc = new Y.Doc();
  for (const update of (await store.load(name)).updates) Y.applyUpdate(doc, update);
  return doc.getText('text').toString();
}

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function copyOfLeveldownData(): Promise<string> {
  const dataDir = await makeTempDir('tandem-leveldown-data-');
  cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
  await cp(WRITTEN_BY_LEVELDOWN, dataDir, { recursive: true, filter: (source) => !source.endsWith('README.md') });
  return dataDir;
}

it('reads a data dir the leveldown-based store wrote: documents, snapshots, logs and listing', async () => {
  const store = await LevelDocStore.open(await copyOfLeveldownData());
  cleanups.push(() => store.close());
  for (const [name, text] of Object.entries(LEVELDOWN_TEXTS)) expect(await storedText(store, name), name).toBe(text);
  const compacted = await store.load('compacted');
  expect(compacted.logCount).toBe(2); // the snapshot, then 'world' and '!'
  expect(compacted.updates).toHaveLength(3);
  expect(compacted.stateVector).toBeDefined();
  expect((await store.list()).map(({ name, title }) => ({ name, title }))).toEqual([
    { name: 'a', title: 'A' },
    { name: 'a.b', title: 'A.B' },
    { name: 'compacted', title: 'Greeting' },
    { name: 'log-only', title: null },
  ]);
  expect((await store.namesWithLog()).sort()).toEqual(['a', 'a.b', 'compacted', 'log-only']);
});

it('a server started on that data dir serves its documents and stores new edits after the old log', async () => {
  const dataDir = await copyOfLeveldownData();
  const server: TestServer = await startTestServer({ dataDir });
  cleanups.push(() => server.stop());
  const client = connectProvider(server.url, 'log-only');
  cleanups.push(async () => client.destroy());
  await waitForSynced(client);
  expect(client.text.toString()).toBe(LEVELDOWN_TEXTS['log-only']);
  client.text.insert(client.text.length, ', then more');
  await waitFor(async () => (await storedText(server.server.store, 'log-only')).endsWith('then more'), { what: 'the edit stored' });
  client.destroy();
  await server.stop();

  const store = await LevelDocStore.open(dataDir);
  cleanups.push(() => store.close());
  expect(await storedText(store, 'log-only')).toBe('left open after reopen, then more');
  expect(await storedText(store, 'compacted')).toBe(LEVELDOWN_TEXTS.compacted);
});
