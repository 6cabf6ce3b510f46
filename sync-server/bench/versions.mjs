// `node bench/versions.mjs` (after `npm run build`): what a version (checkpoint) costs to store and
// to take. The automerge-paper trace is typed into one paragraph of a document on a real server
// over LevelDB, a quarter at a time; after each quarter a named version is taken through the HTTP
// API, then a second one of the same content. Prints one Markdown table; the figures of a run are
// in bench/FINDINGS.md ("Version history").
import { readDocumentUpdate, toProseMirrorJSON, writeDocument } from '@tandem/document';
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { DEFAULTS, LevelDocStore, createSyncServer } from '../dist/index.js';
import { readTrace, replayIntoYText, tracePatches } from '../traces/traces.mjs';

const DOC = 'paper';
const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'tandem-bench-versions-'));
const store = await LevelDocStore.open(dir);
const config = { ...DEFAULTS, host: '127.0.0.1', port: 0, dataDir: dir, maxMessagesPerSecond: 0, versionPauseMs: 3_600_000 };
const server = await createSyncServer(config, { logger: pino({ level: 'warn' }), store });
const { url } = await server.listen();
const http = url.replace(/^ws/, 'http');

const doc = new Y.Doc();
const provider = new WebsocketProvider(url, DOC, doc, { WebSocketPolyfill: WebSocket, disableBc: true });
await until(() => provider.synced);
const paragraph = new Y.XmlElement('paragraph');
const text = new Y.XmlText();
paragraph.insert(0, [text]);
doc.getXmlFragment('prosemirror').insert(0, [paragraph]);

const patches = tracePatches(readTrace('automerge-paper'));
const quarter = Math.ceil(patches.length / 4);
const rows = [];
for (let q = 1; q <= 4; q++) {
  // One transaction per quarter: the same items, merged the same way, as one per keystroke, in far fewer messages.
  doc.transact(() => replayIntoYText(text, patches.slice((q - 1) * quarter, q * quarter)));
  const room = () => server.rooms.all().find((r) => r.name === DOC);
  await until(() => room()?.doc.getXmlFragment('prosemirror').toString() === doc.getXmlFragment('prosemirror').toString());
  const serverDoc = room().doc;

  const named = await timed(() => post(`versions`, { label: `quarter ${q}` }));
  const again = await timed(() => post(`versions`, { label: `quarter ${q}, again` }));
  const [latest] = await (await fetch(`${http}/api/docs/${DOC}/versions`)).json();
  const states = await store.listRecords(DOC, 'version-state');
  const description = await store.getRecord(DOC, 'version', latest.id);
  // The parts of a checkpoint's CPU on the event loop, measured apart: encoding the state, and reading it for its content hash
  // (deflating runs on libuv's thread pool).
  const encodeMs = measure(() => Y.encodeStateAsUpdate(serverDoc));
  const state = Y.encodeStateAsUpdate(serverDoc);
  const hashMs = measure(() => {
    const content = readDocumentUpdate(state);
    createHash('sha256').update(JSON.stringify({ title: content.title, body: toProseMirrorJSON(content.body) })).digest();
  });
  const contentOnly = new Y.Doc();
  writeDocument(contentOnly, readDocumentUpdate(state));
  const stored = await store.load(DOC);
  rows.push({
    edits: `${Math.min(q * quarter, patches.length).toLocaleString('en')} (${q}/4)`,
    chars: text.length.toLocaleString('en'),
    doc: kib(stored.totalBytes),
    state: kib(state.byteLength),
    checkpoint: kib(latest.bytes),
    ratio: `${(latest.bytes / Buffer.byteLength(text.toString())).toFixed(2)}×`,
    contentOnly: kib(Y.encodeStateAsUpdate(contentOnly).byteLength),
    description: `${description.byteLength} B`,
    states: `${states.length} for ${q * 2} versions`,
    named: `${named.ms.toFixed(1)} / ${again.ms.toFixed(1)}`,
    cpu: `${encodeMs.toFixed(1)} + ${hashMs.toFixed(1)}`,
  });
}

provider.destroy();
await server.close();
await store.close();
await fs.rm(dir, { recursive: true, force: true });

const header = {
  edits: 'trace edits typed', chars: 'text (chars)', doc: 'document stored', state: 'Yjs state', checkpoint: 'checkpoint stored (deflated)',
  ratio: 'stored / text bytes', contentOnly: 'content-only re-encoding (not used)', description: 'description record', states: 'states stored',
  named: 'POST named ms (new / same content)', cpu: 'CPU ms: encode + read & hash',
};
console.log(`Version checkpoints: automerge-paper typed into one paragraph (${os.cpus().length} CPUs, Node ${process.version})\n`);
console.log(`| ${Object.values(header).join(' | ')} |`);
console.log(`|${Object.keys(header).map(() => '---:').join('|')}|`);
for (const row of rows) console.log(`| ${Object.keys(header).map((k) => row[k]).join(' | ')} |`);
// The stock client's closing socket keeps timers for a while after the server is gone: nothing is left to wait for.
process.exit(0);

async function post(route, body) {
  const res = await fetch(`${http}/api/docs/${DOC}/${route}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`${route}: ${res.status} ${await res.text()}`);
  return res.json();
}

async function timed(run) {
  const started = performance.now();
  const value = await run();
  return { value, ms: performance.now() - started };
}

/** Median milliseconds of five runs of `run`. */
function measure(run) {
  const times = [];
  for (let i = 0; i < 5; i++) {
    const started = performance.now();
    run();
    times.push(performance.now() - started);
  }
  return times.sort((a, b) => a - b)[2];
}

function kib(bytes) {
  return `${(bytes / 1024).toFixed(1)} KiB`;
}

async function until(check, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
