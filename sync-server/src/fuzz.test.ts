/**
 * The seeded hostile-input fuzzer, against the real server on port 0 with auth on.
 *
 * Every run sends well over 10,000 malformed or hostile frames, in bursts of one connection each
 * (see test-support/fuzzFrames.ts for what is sent and why the content invariant holds). After
 * every batch: the process answers /healthz, an honest client on the same document still syncs,
 * the document (in memory, at a fresh client, and at the long-lived honest clients) is exactly
 * what the honest clients wrote, and honest presence is untouched. At the end LevelDB is opened
 * directly and every stored entry must decode as a Yjs update and load into the honest document.
 *
 * Replay a run with TANDEM_FUZZ_SEED=<seed>; TANDEM_FUZZ_SEED=random picks a new one.
 */
import { inflateRawSync } from 'node:zlib';
import { ClassicLevel } from 'classic-level';
import * as prng from 'lib0/prng';
import { afterAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { type ProviderClient, connectProvider, connectRaw, waitForSynced } from './test-support/clients.js';
import { type Burst, type FuzzContext, makeBurst, makeOwnUpdates, updateClassifier } from './test-support/fuzzFrames.js';
import { type TestServer, startTestServer, waitFor } from './test-support/server.js';
import { TEST_SECRET, mintToken } from './test-support/tokens.js';

const DOC = 'fuzzed';
const BATCHES = 10;
const BURSTS_PER_BATCH = 300;
const CONCURRENCY = 32;
const MIN_FRAMES = 10_000;

function chooseSeed(): number {
  const fromEnv = process.env.TANDEM_FUZZ_SEED;
  if (fromEnv === 'random') return Math.floor(Math.random() * 2 ** 31);
  if (fromEnv && /^\d+$/.test(fromEnv)) return Number(fromEnv);
  return 20_261_123;
}

let server: TestServer | undefined;
const clients: ProviderClient[] = [];
afterAll(async () => {
  for (const client of clients.splice(0)) client.destroy();
  await server?.dispose();
});

interface Honest {
  writer: ProviderClient;
  observer: ProviderClient;
  updates: Uint8Array[];
}

/** The document's content as the editor sees it: text with marks, the title map, the XML tree. */
function contentOf(doc: Y.Doc): string {
  return JSON.stringify([doc.getText('text').toDelta(), doc.getMap('meta').toJSON(), doc.getXmlFragment('prosemirror').toString()]);
}
function sameDocument(a: Y.Doc, b: Y.Doc): boolean {
  return contentOf(a) === contentOf(b) && Y.equalSnapshots(Y.snapshot(a), Y.snapshot(b));
}

/** Honest writing: insertions, marks, deletions, a title, paragraphs. Seeded like everything else. */
function honestEdit(gen: prng.PRNG, doc: Y.Doc, batch: number): void {
  const text = doc.getText('text');
  text.insert(text.length, `batch ${batch}: ${prng.word(gen, 3, 12)} ${prng.word(gen, 3, 12)}. `);
  if (text.length > 20) text.format(prng.uint32(gen, 0, 10), prng.uint32(gen, 1, 8), { italic: true });
  if (batch % 3 === 2) text.delete(prng.uint32(gen, 0, Math.max(0, text.length - 5)), 3);
  doc.getMap('meta').set('title', `Honest title ${batch}`);
  const paragraph = new Y.XmlElement('paragraph');
  paragraph.insert(0, [new Y.XmlText(`honest paragraph ${batch}`)]);
  doc.getXmlFragment('prosemirror').insert(doc.getXmlFragment('prosemirror').length, [paragraph]);
}

describe('seeded hostile-input fuzzer', () => {
  it('at least 10,000 malformed frames: the process lives, honest clients sync, and only honest writes are stored', async () => {
    const seed = chooseSeed();
    console.log(`[fuzz] seed ${seed} (replay with TANDEM_FUZZ_SEED=${seed})`);
    const gen = prng.create(seed);
    const honestGen = prng.create(seed + 1);
    // Many fuzz connections come and go from one address: the per-address cap is not under test here.
    server = await startTestServer({ authSecret: TEST_SECRET, maxConnectionsPerIp: 1000 });
    const s = server;
    const writeToken = await mintToken({ sub: 'fuzz-writer', doc: DOC, access: 'write' });
    const readToken = await mintToken({ sub: 'fuzz-reader', doc: DOC, access: 'read' });

    const honest = await connectHonest(s);
    const ownUpdates = makeOwnUpdates(prng.create(seed + 2), 40);
    const roomDoc = (): Y.Doc => s.server.rooms.all().find((r) => r.name === DOC)!.doc;

    const stats = { bursts: 0, sent: 0, processed: 0, readOnlyBursts: 0, closes: new Map<number, number>(), kinds: new Map<string, number>(), updateClasses: new Map<string, number>() };
    for (let batch = 0; batch < BATCHES; batch++) {
      honestEdit(honestGen, honest.writer.doc, batch);
      await waitFor(() => sameDocument(roomDoc(), honest.writer.doc) && sameDocument(honest.observer.doc, honest.writer.doc), { what: `honest edit ${batch} synced` });

      const ctx: FuzzContext = {
        honestUpdates: honest.updates.slice(-60),
        ownUpdates,
        honestClientIds: [honest.writer.doc.clientID, honest.observer.doc.clientID],
        maxAwarenessBytes: 16 * 1024,
        classify: updateClassifier(Y.encodeStateAsUpdate(roomDoc())),
      };
      const bursts = Array.from({ length: BURSTS_PER_BATCH }, () => makeBurst(gen, ctx));
      const inBefore = s.server.metrics.stats.messagesIn - honestFramesSent;
      await runConcurrently(bursts, CONCURRENCY, async (burst) => {
        const code = await sendBurst(s, burst, burst.readOnly ? readToken : writeToken, seed);
        stats.bursts++;
        stats.sent += burst.frames.length;
        if (burst.readOnly) stats.readOnlyBursts++;
        stats.closes.set(code, (stats.closes.get(code) ?? 0) + 1);
        for (const f of burst.frames) {
          const [kind, cls] = f.kind.split(':') as [string, string | undefined];
          stats.kinds.set(kind, (stats.kinds.get(kind) ?? 0) + 1);
          if (cls) stats.updateClasses.set(cls, (stats.updateClasses.get(cls) ?? 0) + 1);
        }
      });
      stats.processed += s.server.metrics.stats.messagesIn - honestFramesSent - inBefore;

      for (const line of s.logs.splice(0)) {
        if ((line.level as number) >= 50) console.log(`[fuzz] seed ${seed}, batch ${batch}: server error: ${String(line.msg)} ${JSON.stringify(line.err ?? '')}`);
      }
      // After every batch: alive, honest clients sync, content is exactly the honest content.
      const health = await fetch(`${s.httpUrl}/healthz`);
      expect(health.status, `seed ${seed}, batch ${batch}: /healthz`).toBe(200);
      honest.writer.text.insert(honest.writer.text.length, `after ${batch}. `);
      const fresh = connectProvider(s.url, DOC, { params: { token: readToken } });
      try {
        await waitForSynced(fresh);
        await waitFor(() => sameDocument(fresh.doc, honest.writer.doc) && sameDocument(roomDoc(), honest.writer.doc) && sameDocument(honest.observer.doc, honest.writer.doc), {
          what: `seed ${seed}, batch ${batch}: every copy equals the honest document`,
        });
      } finally {
        fresh.destroy();
      }
      // Presence: nobody but the writer ever set the writer's state, and the writer can still set it.
      type Presence = { user?: { name?: string; batch?: number } } | undefined;
      const seen = honest.observer.provider.awareness.getStates().get(honest.writer.doc.clientID) as Presence;
      expect(seen === undefined || seen.user?.name === 'Honest writer', `seed ${seed}, batch ${batch}: honest presence is ${JSON.stringify(seen)}`).toBe(true);
      honest.writer.provider.awareness.setLocalStateField('user', { name: 'Honest writer', color: '#3366cc', batch });
      await waitFor(() => (honest.observer.provider.awareness.getStates().get(honest.writer.doc.clientID) as Presence)?.user?.batch === batch, {
        what: `seed ${seed}, batch ${batch}: the observer sees the writer's new presence`,
      });
    }

    const closes = [...stats.closes].sort((a, b) => b[1] - a[1]).map(([code, n]) => `${code}×${n}`).join(' ');
    console.log(`[fuzz] seed ${seed}: ${stats.bursts} connections (${stats.readOnlyBursts} read-only), ${stats.sent} frames sent, ${stats.processed} reached the server's handler; closes ${closes}`);
    console.log(`[fuzz] Yjs update payloads by class: ${[...stats.updateClasses].map(([k, n]) => `${k} ${n}`).join(', ')}`);
    console.log(`[fuzz] frame kinds: ${[...stats.kinds].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ${n}`).join(', ')}`);
    expect(stats.processed, `seed ${seed}: frames processed`).toBeGreaterThanOrEqual(MIN_FRAMES);
    expect(stats.closes.get(0) ?? 0, `seed ${seed}: connections the server never closed`).toBe(0);

    // Nothing malformed reached LevelDB: open it directly and decode every stored entry.
    const expected = contentOf(honest.writer.doc);
    for (const client of clients.splice(0)) client.destroy();
    await s.stop();
    const stored = await readAllEntries(s.dataDir);
    const loaded = new Y.Doc();
    let entries = 0;
    for (const { key, value } of stored) {
      if (key.startsWith('meta/')) {
        expect(key).toBe(`meta/${DOC}`);
        JSON.parse(value.toString('utf8'));
        continue;
      }
      if (key.startsWith(`doc/${DOC}/rec/`)) {
        // Versions kept beside the document (versions/VersionStore.ts): the checkpoint taken at unload;
        // and who last edited it (documents/LastEditors.ts).
        if (key === `doc/${DOC}/rec/editor/last`) expect(typeof JSON.parse(value.toString('utf8')).name, key).toBe('string');
        else if (key.startsWith(`doc/${DOC}/rec/version-state/`)) expect(() => Y.decodeUpdate(inflateRawSync(value)), `seed ${seed}: ${key} decodes`).not.toThrow();
        else expect(key.startsWith(`doc/${DOC}/rec/version/`) && JSON.parse(value.toString('utf8')).kind, key).toBe('auto');
        continue;
      }
      if (key === `doc/${DOC}/sv`) {
        expect(() => Y.decodeStateVector(value), `seed ${seed}: ${key} decodes`).not.toThrow();
        continue;
      }
      expect(key.startsWith(`doc/${DOC}/log/`) || key === `doc/${DOC}/snap`, key).toBe(true);
      expect(() => Y.decodeUpdate(value), `seed ${seed}: ${key} decodes`).not.toThrow();
      Y.applyUpdate(loaded, value);
      entries++;
    }
    expect(entries).toBeGreaterThan(0);
    expect(contentOf(loaded), `seed ${seed}: stored document`).toBe(expected);
  }, 120_000);
});

/** Counts what the honest clients send, to tell the fuzzer's frames apart in the server's count. */
let honestFramesSent = 0;
class CountingWebSocket extends WebSocket {}
const plainSend = WebSocket.prototype.send;
CountingWebSocket.prototype.send = function countingSend(this: WebSocket, ...args: unknown[]): void {
  honestFramesSent++;
  (plainSend as (...a: unknown[]) => void).apply(this, args);
} as WebSocket['send'];

async function connectHonest(s: TestServer): Promise<Honest> {
  const make = async (clientID: number, sub: string): Promise<ProviderClient> => {
    const doc = new Y.Doc();
    doc.clientID = clientID;
    const provider = new WebsocketProvider(s.url, DOC, doc, {
      WebSocketPolyfill: CountingWebSocket as unknown as typeof globalThis.WebSocket,
      disableBc: true,
      params: { token: await mintToken({ sub, doc: DOC, access: 'write' }) },
    });
    const client: ProviderClient = { doc, provider, text: doc.getText('text'), destroy: () => (provider.destroy(), doc.destroy()) };
    clients.push(client);
    await waitForSynced(client);
    return client;
  };
  const writer = await make(1001, 'honest-writer');
  const observer = await make(1002, 'honest-observer');
  for (const client of [writer, observer]) {
    client.provider.on('connection-close', (event) => {
      if (event) console.log(`[fuzz] honest client ${client.doc.clientID} disconnected by the server: ${event.code} ${event.reason}`);
    });
  }
  writer.provider.awareness.setLocalStateField('user', { name: 'Honest writer', color: '#3366cc' });
  observer.provider.awareness.setLocalStateField('user', { name: 'Honest observer', color: '#3366cc' });
  const updates: Uint8Array[] = [];
  writer.doc.on('update', (update: Uint8Array, origin: unknown) => {
    if (origin !== writer.provider) updates.push(update);
  });
  return { writer, observer, updates };
}

/** Open one connection, send the burst in one go, and resolve with the close code the server chose. */
async function sendBurst(s: TestServer, burst: Burst, token: string, seed: number): Promise<number> {
  const client = await connectRaw(s.url, `${DOC}?token=${token}`);
  for (const frame of burst.frames) client.socket.send(frame.data, { binary: typeof frame.data !== 'string' });
  const timer = new Promise<{ code: number }>((resolve) => setTimeout(() => resolve({ code: 0 }), 5000));
  const { code } = await Promise.race([client.closed, timer]);
  if (code === 0) {
    console.log(`[fuzz] seed ${seed}: server left a connection open after: ${burst.frames.map((f) => f.kind).join(', ')}`);
    client.socket.terminate();
  }
  return code;
}

async function runConcurrently<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}

async function readAllEntries(dataDir: string): Promise<Array<{ key: string; value: Buffer }>> {
  const db = new ClassicLevel<string, Buffer>(dataDir, { valueEncoding: 'buffer' });
  await db.open({ createIfMissing: false });
  try {
    return (await db.iterator().all()).map(([key, value]) => ({ key, value }));
  } finally {
    await db.close();
  }
}
