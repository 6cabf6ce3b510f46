/**
 * Replay the first 20,000 edits of a real editing trace (Martin Kleppmann's automerge-paper, from
 * Joseph Gentle's editing-traces, CC BY 4.0) through the server, one update per edit, and check
 * that what the server stored is exactly the trace's text.
 */
import { afterEach, expect, it } from 'vitest';
import { connectProvider, waitForSynced } from './test-support/clients.js';
import { type TestServer, startTestServer, waitFor } from './test-support/server.js';
import { applyPatchesToString, readTrace, replayIntoYText, tracePatches } from '../traces/traces.mjs';

const EDITS = 20_000;

let server: TestServer;
afterEach(async () => {
  await server.dispose();
});

it(`stores the first ${EDITS} edits of the automerge-paper trace exactly`, async () => {
  const trace = readTrace('automerge-paper');
  const patches = tracePatches(trace).slice(0, EDITS);
  // Computed on plain strings, independently of Yjs.
  const expected = applyPatchesToString(trace.startContent, patches);

  server = await startTestServer({ maxMessagesPerSecond: 0 });
  const author = connectProvider(server.url, 'paper');
  const watcher = connectProvider(server.url, 'paper');
  await Promise.all([waitForSynced(author), waitForSynced(watcher)]);
  author.text.insert(0, trace.startContent);
  replayIntoYText(author.text, patches);
  expect(author.text.toString()).toBe(expected);
  await waitFor(() => watcher.text.toString() === expected, { timeoutMs: 20_000, what: 'watcher has the whole text' });
  author.destroy();
  watcher.destroy();
  await server.stop();

  server = await startTestServer({ dataDir: server.dataDir });
  const reader = connectProvider(server.url, 'paper');
  await waitForSynced(reader);
  expect(reader.text.toString()).toBe(expected);
  reader.destroy();
});
