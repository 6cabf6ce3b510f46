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
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as prng from 'lib0/prng';
import { MAIN, checkStored, connectWriter, converged, freePort, keepTyping, seedFromEnv, sleep, startServer, waitFor } from './crash-support.mjs';

const DOCS = ['crash-a', 'crash-b', 'crash-c'];
const WRITERS = 10;
const KILLS = 5;
const DEADLINE_MS = 90_000;

const seed = seedFromEnv();
const gen = prng.create(seed);
process.setMaxListeners(4 * WRITERS); // each stock provider adds a process 'exit' listener
const log = (message) => console.log(`[crash-loop] ${message}`);

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

  const flags = ['--data-dir', dataDir];
  let server = await startServer(port, flags);
  const writers = Array.from({ length: WRITERS }, (_, i) => connectWriter(url, i, DOCS[i % DOCS.length]));
  await waitFor(() => writers.every((w) => w.provider.synced), 'writers to sync');
  const typing = keepTyping(writers, gen);

  try {
    for (let kill = 1; kill <= KILLS; kill++) {
      await sleep(prng.uint32(gen, 800, 2500));
      server.child.kill('SIGKILL');
      const { signal } = await server.exited;
      const down = prng.uint32(gen, 0, 400);
      log(`kill ${kill}: SIGKILL (${signal}) after ${writers.reduce((n, w) => n + w.edits.length, 0)} edits; down for ${down} ms`);
      await sleep(down);
      server = await startServer(port, flags);
    }
    await sleep(800);
    await typing.stop();

    // Converge: every writer synced and equal to the others on its document.
    await waitFor(() => converged(writers, DOCS), 'writers to converge', 30_000);

    // The last crash: no graceful flush. Whatever is stored now is all there is.
    await sleep(200);
    server.child.kill('SIGKILL');
    await server.exited;
    server = await startServer(port, flags);

    const { failures, relayedTotal, editsTotal } = await checkStored(url, writers, DOCS);
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
    void typing.stop();
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
