/**
 * Start-up recovery: a crash leaves the documents that were open with a log; the restarted server
 * merges each into its snapshot before it listens, so a first visitor gets one update, and a kill
 * at any moment of that merge still leaves every document loadable whole.
 */
import { SyncMessageType, decodeSyncMessage } from '@tandem/protocol';
import { rm } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { LevelDocStore } from './storage/LevelDocStore.js';
import { connectRaw, roundTrip } from './test-support/clients.js';
import { step1Frame } from './test-support/frames.js';
import { spawnCli, spawnServer } from './test-support/process.js';
import { type TestServer, makeTempDir, startTestServer, waitFor } from './test-support/server.js';

const dirs: string[] = [];
let server: TestServer | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function freshDataDir(): Promise<string> {
  const dir = await makeTempDir('tandem-recovery-');
  dirs.push(dir);
  return dir;
}

/** Documents as a compaction leaves them: a snapshot and no log. */
async function compactedDocs(dataDir: string, names: string[]): Promise<Map<string, Y.Doc>> {
  const store = await LevelDocStore.open(dataDir);
  const docs = new Map<string, Y.Doc>();
  for (const name of names) {
    const doc = new Y.Doc();
    doc.getText('text').insert(0, `${name} compacted. `);
    await store.compact(name, Y.encodeStateAsUpdate(doc), Y.encodeStateVector(doc), null);
    docs.set(name, doc);
  }
  await store.close();
  return docs;
}

/**
 * Edit each document and append the edits as a killed server leaves them: `entries` log entries,
 * the state vector written with the first only (a server writes it about once a second).
 */
async function appendLogs(dataDir: string, docs: Map<string, Y.Doc>, entries: number): Promise<void> {
  const store = await LevelDocStore.open(dataDir);
  for (const [name, doc] of docs) {
    const text = doc.getText('text');
    for (let i = 0; i < entries; i++) {
      const before = Y.encodeStateVector(doc);
      text.insert(i % 2 ? 0 : text.length, `entry ${i} `);
      if (i % 3 === 0) text.delete(text.length - 3, 2);
      await store.append([{ name, updates: [Y.encodeStateAsUpdate(doc, before)], stateVector: i === 0 ? Y.encodeStateVector(doc) : undefined }]);
    }
  }
  await store.close();
}

const textsOf = (docs: Map<string, Y.Doc>): Map<string, string> => new Map([...docs].map(([name, doc]) => [name, doc.getText('text').toString()]));

/** Documents left with a log by a crash; their texts. */
async function leaveLogs(dataDir: string, names: string[], entries: number): Promise<Map<string, string>> {
  const docs = await compactedDocs(dataDir, names);
  await appendLogs(dataDir, docs, entries);
  return textsOf(docs);
}

async function storedTexts(dataDir: string, names: Iterable<string>): Promise<{ texts: Map<string, string>; withLog: number }> {
  const store = await LevelDocStore.open(dataDir);
  try {
    const texts = new Map<string, string>();
    for (const name of names) {
      const doc = new Y.Doc();
      for (const update of (await store.load(name)).updates) Y.applyUpdate(doc, update);
      texts.set(name, doc.getText('text').toString());
    }
    return { texts, withLog: (await store.namesWithLog()).length };
  } finally {
    await store.close();
  }
}

/** The state vector in the sync step 1 among the frames a client received. */
function serverStateVector(frames: Uint8Array[]): Uint8Array | undefined {
  return frames.map(decodeSyncMessage).find((message) => message?.syncType === SyncMessageType.Step1)?.payload;
}

/** The document updates (sync step 2 and update messages) in the frames a client received. */
function documentUpdates(frames: Uint8Array[]): Array<{ type: number; update: Uint8Array }> {
  const out: Array<{ type: number; update: Uint8Array }> = [];
  for (const message of frames.map(decodeSyncMessage)) {
    if (message && message.syncType !== SyncMessageType.Step1) out.push({ type: message.syncType, update: message.payload });
  }
  return out;
}

describe('recovery at start', () => {
  it('a document a crash left with a log reaches its first visitor as one update', async () => {
    const dataDir = await freshDataDir();
    const texts = await leaveLogs(dataDir, ['left-open'], 12);
    server = await startTestServer({ dataDir });
    expect(server.logs).toContainEqual(expect.objectContaining({ msg: 'merged the logs documents were left with', documents: 1, merged: 1 }));

    const client = await connectRaw(server.url, 'left-open');
    client.send(step1Frame(Y.encodeStateVector(new Y.Doc())));
    await waitFor(() => documentUpdates(client.frames).length > 0, { what: 'sync step 2' });
    await roundTrip(client.socket); // anything the server sent along with it has arrived by the pong
    const received = documentUpdates(client.frames);
    expect(received.map((r) => r.type)).toEqual([SyncMessageType.Step2]);
    const doc = new Y.Doc();
    Y.applyUpdate(doc, received[0]!.update);
    expect(doc.getText('text').toString()).toBe(texts.get('left-open'));
    // The merge stored the state vector of all of it, though the log left only an older one.
    expect(Buffer.from(serverStateVector(client.frames)!).equals(Buffer.from(Y.encodeStateVector(doc)))).toBe(true);
    client.socket.close();
  });

  it('a document whose stored log cannot be merged keeps it, and the server starts', async () => {
    const dataDir = await freshDataDir();
    const texts = await leaveLogs(dataDir, ['sound'], 3);
    const store = await LevelDocStore.open(dataDir);
    await store.append([{ name: 'broken', updates: [Uint8Array.from([1, 2, 3, 250, 7])], stateVector: Y.encodeStateVector(new Y.Doc()) }]);
    await store.compact('broken.too', Uint8Array.from([9, 9]), Y.encodeStateVector(new Y.Doc()), null);
    await store.append([{ name: 'broken.too', updates: [Uint8Array.from([0, 0])], stateVector: Y.encodeStateVector(new Y.Doc()) }]);
    await store.close();

    server = await startTestServer({ dataDir });
    expect(server.logs).toContainEqual(expect.objectContaining({ msg: 'merged the logs documents were left with', documents: 3, merged: 1 }));
    expect(server.logs.filter((l) => l.level === 50).map((l) => l.doc).sort()).toEqual(['broken.too']);
    expect(server.server.metrics.stats.storageErrors).toBe(1);
    await server.stop();
    server = undefined;
    expect((await storedTexts(dataDir, ['sound'])).texts.get('sound')).toBe(texts.get('sound'));
  });

  it('a kill at any moment of the merge leaves every document whole', async () => {
    const dataDir = await freshDataDir();
    const docs = await compactedDocs(dataDir, Array.from({ length: 150 }, (_, i) => `doc-${i}`));
    // Kill at a random instant after the start; the range adapts until kills have landed mid-merge.
    let maxDelayMs = 200;
    let killedMidMerge = 0;
    for (let round = 0; round < 20 && (round < 6 || killedMidMerge === 0); round++) {
      await appendLogs(dataDir, docs, 4);
      const child = spawnCli({ dataDir });
      let output = '';
      child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
      // The open-mode warning comes just before the store opens and the merge starts.
      await waitFor(() => output.includes('OPEN MODE'), { what: 'server starting' });
      await new Promise((resolve) => setTimeout(resolve, Math.random() * maxDelayMs));
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
      const stored = await storedTexts(dataDir, docs.keys());
      expect(stored.texts).toEqual(textsOf(docs));
      if (stored.withLog === 0) maxDelayMs *= 0.7;
      else if (stored.withLog === docs.size) maxDelayMs *= 1.4;
      else killedMidMerge++;
    }
    expect(killedMidMerge).toBeGreaterThan(0);
    const finished = await spawnServer({ dataDir });
    expect(await finished.stop('SIGTERM')).toBe(0);
    const stored = await storedTexts(dataDir, docs.keys());
    expect(stored.texts).toEqual(textsOf(docs));
    expect(stored.withLog).toBe(0);
  });
});
