#!/usr/bin/env node
/**
 * Crash safety under load (`npm run crash`, root `npm run test:crash`; needs `npm run build`).
 *
 * Starts the real CLI (dist/main.js), drives 10 stock y-websocket writers on 3 documents, and
 * SIGKILLs the server at random moments 5 times, restarting it on the same data dir and port
 * each time; the writers keep typing throughout and reconnect on their own. Every update any
 * client received from the server is recorded. At the end the server is SIGKILLed once more
 * (no graceful flush), restarted, and a fresh client reads each document. It must contain every
 * update any client saw relayed (write before relay), every writer's every edit (the stock
 * client re-sends what the server lost before relaying), and every writer must have converged on
 * exactly that document. Prints one summary line; exits 1 on any loss.
 *
 * TANDEM_CRASH_SEED=<n> replays the random moments and edits.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as prng from 'lib0/prng';
import { WebSocket } from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';

const MAIN = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const DOCS = ['crash-a', 'crash-b', 'crash-c'];
const WRITERS = 10;
const KILLS = 5;
const DEADLINE_MS = 90_000;

const seed = /^\d+$/.test(process.env.TANDEM_CRASH_SEED ?? '') ? Number(process.env.TANDEM_CRASH_SEED) : Math.floor(Math.random() * 2 ** 31);
const gen = prng.create(seed);
process.setMaxListeners(4 * WRITERS); // each stock provider adds a process 'exit' listener
const log = (message) => console.log(`[crash-loop] ${message}`);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor(check, what, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

/** Start the CLI and resolve once it prints its listening line. */
function startServer(port, dataDir) {
  const child = spawn(process.execPath, [MAIN, '--host', '127.0.0.1', '--port', String(port), '--data-dir', dataDir, '--compact-after-updates', '40', '--log-level', 'info'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 15_000);
    child.stderr.on('data', (chunk) => (output += chunk));
    child.stdout.on('data', (chunk) => {
      output += chunk;
      if (output.includes('listening')) {
        clearTimeout(timer);
        resolve({ child, exited, output: () => output });
      }
    });
    void exited.then(({ code, signal }) => reject(new Error(`server exited (${code ?? signal}) before listening:\n${output}`)));
  });
}

function connectWriter(url, index) {
  const docName = DOCS[index % DOCS.length];
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(url, docName, doc, { WebSocketPolyfill: WebSocket, disableBc: true, maxBackoffTime: 300 });
  const writer = { index, docName, doc, provider, text: doc.getText('text'), edits: [], relayed: [] };
  // Everything this client received from the server: sync step 2 answers and relayed updates.
  doc.on('update', (update, origin) => {
    if (origin === provider) writer.relayed.push(update);
  });
  return writer;
}

function edit(writer) {
  const token = `<w${writer.index}:${writer.edits.length}>`;
  writer.edits.push(token);
  // Insert at a token boundary so tokens never split one another.
  const text = writer.text.toString();
  const boundaries = [0, ...[...text.matchAll(/>/g)].map((m) => m.index + 1)];
  writer.text.insert(prng.oneOf(gen, boundaries), token);
}

async function readFresh(url, docName) {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(url, docName, doc, { WebSocketPolyfill: WebSocket, disableBc: true });
  await waitFor(() => provider.synced, `a fresh client to sync ${docName}`);
  provider.destroy();
  return doc;
}

async function main() {
  if (!existsSync(MAIN)) {
    console.error(`[crash-loop] ${MAIN} is missing: run \`npm run build\` first`);
    process.exit(2);
  }
  const started = Date.now();
  const guard = setTimeout(() => {
    console.error(`[crash-loop] FAIL: seed ${seed}: did not finish within ${DEADLINE_MS / 1000} s`);
    process.exit(1);
  }, DEADLINE_MS);
  const dataDir = await mkdtemp(join(tmpdir(), 'tandem-crash-'));
  const port = await freePort();
  const url = `ws://127.0.0.1:${port}`;
  log(`seed ${seed} (replay with TANDEM_CRASH_SEED=${seed}); port ${port}; data ${dataDir}`);

  let server = await startServer(port, dataDir);
  const writers = Array.from({ length: WRITERS }, (_, i) => connectWriter(url, i));
  await waitFor(() => writers.every((w) => w.provider.synced), 'writers to sync');

  let typing = true;
  const typists = writers.map(async (writer) => {
    while (typing) {
      edit(writer);
      await sleep(prng.uint32(gen, 5, 40));
    }
  });

  const failures = [];
  try {
    for (let kill = 1; kill <= KILLS; kill++) {
      await sleep(prng.uint32(gen, 800, 2500));
      server.child.kill('SIGKILL');
      const { signal } = await server.exited;
      const down = prng.uint32(gen, 0, 400);
      log(`kill ${kill}: SIGKILL (${signal}) after ${writers.reduce((n, w) => n + w.edits.length, 0)} edits; down for ${down} ms`);
      await sleep(down);
      server = await startServer(port, dataDir);
    }
    await sleep(800);
    typing = false;
    await Promise.all(typists);

    // Converge: every writer synced and equal to the others on its document.
    await waitFor(
      () =>
        writers.every((w) => w.provider.synced) &&
        DOCS.every((name) => {
          const on = writers.filter((w) => w.docName === name);
          return on.every((w) => w.text.toString() === on[0].text.toString() && Y.equalSnapshots(Y.snapshot(w.doc), Y.snapshot(on[0].doc)));
        }),
      'writers to converge',
      30_000,
    );

    // The last crash: no graceful flush. Whatever is stored now is all there is.
    await sleep(200);
    server.child.kill('SIGKILL');
    await server.exited;
    server = await startServer(port, dataDir);

    let relayedTotal = 0;
    let editsTotal = 0;
    for (const name of DOCS) {
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
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    if (failures.length > 0) {
      for (const failure of failures) console.error(`[crash-loop] ${failure}`);
      console.error(`[crash-loop] FAIL: seed ${seed}: ${failures.length} problems after ${KILLS} SIGKILLs (${seconds} s)`);
      process.exitCode = 1;
    } else {
      log(`OK: seed ${seed}: ${KILLS} SIGKILLs + 1 before the final read, ${WRITERS} writers on ${DOCS.length} documents, ${editsTotal} edits all stored, ${relayedTotal} relayed updates all stored, every client converged (${seconds} s)`);
    }
  } catch (error) {
    console.error(`[crash-loop] FAIL: seed ${seed}: ${error.message}`);
    process.exitCode = 1;
  } finally {
    typing = false;
    for (const writer of writers) writer.provider.destroy();
    server.child.kill('SIGKILL');
    await server.exited;
    await rm(dataDir, { recursive: true, force: true });
    clearTimeout(guard);
  }
}

await main();
// Providers leave reconnect timers and sockets behind after destroy(); the verdict is in.
process.exit(process.exitCode ?? 0);
