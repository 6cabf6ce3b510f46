/**
 * What the crash loops share (crash-loop.mjs: one server on LevelDB; cluster-crash-loop.mjs:
 * three servers on Redis): starting the real CLI, stock y-websocket writers that record every
 * update the server relayed to them, and the final check of a stored document against them.
 */
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import * as prng from 'lib0/prng';
import { WebSocket } from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';

export const MAIN = fileURLToPath(new URL('../dist/main.js', import.meta.url));
export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export async function waitFor(check, what, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

/** Start `command args` and resolve once its output includes `readyText`; `exited` resolves with how it ended. */
export function startUntil(command, args, readyText, what) {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} did not start:\n${output}`)), 15_000);
    child.stderr.on('data', (chunk) => (output += chunk));
    child.stdout.on('data', (chunk) => {
      output += chunk;
      if (output.includes(readyText)) {
        clearTimeout(timer);
        resolve({ child, exited, output: () => output });
      }
    });
    void exited.then(({ code, signal }) => reject(new Error(`${what} exited (${code ?? signal}) before it was ready:\n${output}`)));
  });
}

/** The CLI (dist/main.js) with `flags`, once it prints its listening line. */
export const startServer = (port, flags) =>
  startUntil(process.execPath, [MAIN, '--host', '127.0.0.1', '--port', String(port), '--compact-after-updates', '40', '--log-level', 'info', ...flags], 'listening', 'the server');

/** A stock writer on `docName` that records everything it received from the server. */
export function connectWriter(url, index, docName) {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(url, docName, doc, { WebSocketPolyfill: WebSocket, disableBc: true, maxBackoffTime: 300 });
  const writer = { index, docName, doc, provider, text: doc.getText('text'), edits: [], relayed: [] };
  // Everything this client received from the server: sync step 2 answers and relayed updates.
  doc.on('update', (update, origin) => {
    if (origin === provider) writer.relayed.push(update);
  });
  return writer;
}

/** Type one token (`<w<index>:<n>>`) at a token boundary, so tokens never split one another. */
export function edit(writer, gen) {
  const token = `<w${writer.index}:${writer.edits.length}>`;
  writer.edits.push(token);
  const text = writer.text.toString();
  const boundaries = [0, ...[...text.matchAll(/>/g)].map((m) => m.index + 1)];
  writer.text.insert(prng.oneOf(gen, boundaries), token);
}

/** Keep every writer typing every 5-40 ms until `stop()`; resolves `done` once they all stopped. */
export function keepTyping(writers, gen) {
  let typing = true;
  const done = Promise.all(
    writers.map(async (writer) => {
      while (typing) {
        edit(writer, gen);
        await sleep(prng.uint32(gen, 5, 40));
      }
    }),
  );
  return { stop: () => ((typing = false), done) };
}

/** Every writer synced and equal to the others on its document. */
export function converged(writers, docs) {
  return (
    writers.every((w) => w.provider.synced) &&
    docs.every((name) => {
      const on = writers.filter((w) => w.docName === name);
      return on.every((w) => w.text.toString() === on[0].text.toString() && Y.equalSnapshots(Y.snapshot(w.doc), Y.snapshot(on[0].doc)));
    })
  );
}

async function readFresh(url, docName) {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(url, docName, doc, { WebSocketPolyfill: WebSocket, disableBc: true });
  await waitFor(() => provider.synced, `a fresh client to sync ${docName}`);
  provider.destroy();
  return doc;
}

/**
 * Read each document with a fresh client of `url` and hold it against the writers: it must contain
 * every update any client saw relayed (write before relay), every writer's every edit, and equal
 * every writer's document. Returns the problems and the totals.
 */
export async function checkStored(url, writers, docs) {
  const failures = [];
  let relayedTotal = 0;
  let editsTotal = 0;
  for (const name of docs) {
    const stored = await readFresh(url, name);
    const storedText = stored.getText('text').toString();
    const on = writers.filter((w) => w.docName === name);
    const relayed = on.flatMap((w) => w.relayed);
    relayedTotal += relayed.length;
    // Every update any client saw relayed is in the stored document: applying them all changes nothing.
    const check = new Y.Doc();
    Y.applyUpdate(check, Y.encodeStateAsUpdate(stored));
    for (const update of relayed) Y.applyUpdate(check, update);
    if (!Y.equalSnapshots(Y.snapshot(check), Y.snapshot(stored)) || check.getText('text').toString() !== storedText) {
      failures.push(`${name}: updates clients saw relayed are missing from the stored document`);
    }
    for (const writer of on) {
      editsTotal += writer.edits.length;
      const missing = writer.edits.filter((token) => !storedText.includes(token));
      if (missing.length > 0) failures.push(`${name}: writer ${writer.index} lost ${missing.length} edits (${missing.slice(0, 5).join(' ')})`);
      if (writer.text.toString() !== storedText) failures.push(`${name}: writer ${writer.index} did not converge on the stored document`);
    }
    stored.destroy();
    check.destroy();
  }
  return { failures, relayedTotal, editsTotal };
}

/** The seed for replays: TANDEM_CRASH_SEED, or a random one. */
export const seedFromEnv = () =>
  /^\d+$/.test(process.env.TANDEM_CRASH_SEED ?? '') ? Number(process.env.TANDEM_CRASH_SEED) : Math.floor(Math.random() * 2 ** 31);
