/**
 * Memory stays bounded by open documents, not by documents ever opened: open and close 1,000
 * documents and watch the loaded-document count and the heap return to where they started.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterEach, expect, it } from 'vitest';
import { connectRaw } from './test-support/clients.js';
import { type TestServer, startTestServer, waitFor } from './test-support/server.js';
import { encodeSyncUpdate } from '@tandem/protocol';
import * as Y from 'yjs';

let server: TestServer;
afterEach(async () => {
  await server.dispose();
});

function updateFrame(text: string): Uint8Array {
  const doc = new Y.Doc();
  doc.getText('text').insert(0, text);
  return encodeSyncUpdate(Y.encodeStateAsUpdate(doc));
}

// A real collection before each reading, without needing node --expose-gc on the test runner.
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

async function heapAfterGc(): Promise<number> {
  for (let i = 0; i < 3; i++) {
    collectGarbage();
    await new Promise((resolve) => setImmediate(resolve));
  }
  return process.memoryUsage().heapUsed;
}

async function openWriteClose(from: number, count: number): Promise<void> {
  const batch = 50;
  for (let start = from; start < from + count; start += batch) {
    await Promise.all(
      Array.from({ length: Math.min(batch, from + count - start) }, async (_, i) => {
        const client = await connectRaw(server.url, `doc-${start + i}`);
        client.send(updateFrame(`document ${start + i} `.repeat(40)));
        await waitFor(() => client.frames.length > 0); // the server has answered: the room is loaded
        client.socket.close();
        await client.closed;
      }),
    );
  }
}

it('opening and closing 1,000 documents returns loaded documents and memory to baseline', async () => {
  // Info level: the debug lines this test would otherwise keep in memory (three per document) are
  // the test's own allocations, not the server's.
  server = await startTestServer({ maxConnectionsPerIp: 0 }, { logLevel: 'info' });
  const metricsText = async (): Promise<string> => (await fetch(`${server.httpUrl}/metrics`)).text();

  // A first round of 1,000 warms up code paths and allocator; a second, equal round must then
  // leave the heap where the first left it: anything kept per document ever opened would show.
  await openWriteClose(0, 1000);
  await waitFor(() => server.server.rooms.size === 0, { timeoutMs: 20_000, what: 'first round unloaded' });
  const baseline = await heapAfterGc();

  await openWriteClose(1000, 1000);
  await waitFor(() => server.server.rooms.size === 0, { timeoutMs: 20_000, what: 'every document unloaded' });
  expect(await metricsText()).toMatch(/^tandem_loaded_documents 0$/m);
  expect(await metricsText()).toMatch(/^tandem_connections 0$/m);

  const after = await heapAfterGc();
  console.log(`[unload] heap after 1,000 more documents opened and closed: ${((after - baseline) / 1024).toFixed(0)} KiB above the baseline`);
  // 1,000 documents held in memory (room, Y.Doc, presence, ~1 KB of text each) would be ~10 MB. The
  // heap figure moves by 1–2 MB between equal rounds even with nothing kept (a heap snapshot diff
  // shows only compiled code growing), so the bound is loose; the document count above is exact.
  expect(after - baseline).toBeLessThan(4 * 1024 * 1024);

  // And every document was flushed before it was dropped.
  const docs = await server.server.store.list();
  expect(docs.length).toBe(2000);
});
