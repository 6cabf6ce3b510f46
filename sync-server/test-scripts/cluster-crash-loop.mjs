#!/usr/bin/env node
/**
 * Crash safety of cluster mode under load (second half of `npm run crash`; needs `npm run build`
 * and Debian's redis-server).
 *
 * Starts a redis-server of its own (temporary folder, AOF on) and 3 sync servers (the real CLI
 * with --redis-url), drives 12 stock y-websocket writers on 3 documents, each document's writers
 * spread over all 3 instances, and SIGKILLs a random instance at random moments 6 times (restarting
 * it on its port after a random pause), and once SIGKILLs redis-server itself (restarted on its
 * AOF). The writers keep typing throughout and reconnect on their own. At the end every instance
 * and redis-server are SIGKILLed, Redis and one instance restarted, and a fresh client reads each
 * document: it must contain every update any client saw relayed, every writer's every edit, and
 * every writer must have converged on exactly that document. Exits 1 on any loss.
 *
 * TANDEM_CRASH_SEED=<n> replays the random moments and edits.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as prng from 'lib0/prng';
import { MAIN, checkStored, connectWriter, converged, freePort, keepTyping, seedFromEnv, sleep, startServer, startUntil, waitFor } from './crash-support.mjs';

const DOCS = ['cluster-a', 'cluster-b', 'cluster-c'];
const INSTANCES = 3;
const WRITERS = 12;
const KILLS = 6;
const DEADLINE_MS = 120_000;

const seed = seedFromEnv();
const gen = prng.create(seed);
process.setMaxListeners(4 * WRITERS);
const log = (message) => console.log(`[cluster-crash-loop] ${message}`);

const startRedis = (port, dir) =>
  startUntil('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--save', ''], 'Ready to accept connections', 'redis-server');

async function kill(proc) {
  if (proc.child.exitCode !== null || proc.child.signalCode !== null) return;
  proc.child.kill('SIGKILL');
  await proc.exited;
}

async function main() {
  if (!existsSync(MAIN)) {
    console.error(`[cluster-crash-loop] ${MAIN} is missing: run \`npm run build\` first`);
    process.exit(2);
  }
  const started = Date.now();
  const guard = setTimeout(() => {
    console.error(`[cluster-crash-loop] FAIL: seed ${seed}: did not finish within ${DEADLINE_MS / 1000} s`);
    process.exit(1);
  }, DEADLINE_MS);
  const redisDir = await mkdtemp(join(tmpdir(), 'tandem-cluster-crash-'));
  const redisPort = await freePort();
  const ports = [];
  for (let i = 0; i < INSTANCES; i++) ports.push(await freePort());
  const flags = ['--redis-url', `redis://127.0.0.1:${redisPort}`, '--data-dir', redisDir];
  log(`seed ${seed} (replay with TANDEM_CRASH_SEED=${seed}); redis on ${redisPort}; instances on ${ports.join(', ')}`);

  let redis = await startRedis(redisPort, redisDir);
  const servers = [];
  for (const port of ports) servers.push(await startServer(port, flags));
  const urls = ports.map((port) => `ws://127.0.0.1:${port}`);
  // Writer i edits document i % 3 through instance ⌊i / 3⌋ % 3: each document has writers on every instance.
  const writers = Array.from({ length: WRITERS }, (_, i) => connectWriter(urls[Math.floor(i / DOCS.length) % INSTANCES], i, DOCS[i % DOCS.length]));
  await waitFor(() => writers.every((w) => w.provider.synced), 'writers to sync');
  const typing = keepTyping(writers, gen);
  const redisKillAt = prng.uint32(gen, 1, KILLS);

  try {
    for (let kill_ = 1; kill_ <= KILLS; kill_++) {
      await sleep(prng.uint32(gen, 800, 2000));
      const victim = prng.uint32(gen, 0, INSTANCES - 1);
      await kill(servers[victim]);
      const down = prng.uint32(gen, 0, 600);
      const edits = writers.reduce((n, w) => n + w.edits.length, 0);
      log(`kill ${kill_}: SIGKILL instance ${victim} after ${edits} edits; down for ${down} ms`);
      if (kill_ === redisKillAt) {
        await kill(redis);
        log(`kill ${kill_}: SIGKILL redis-server too; restarting it on its AOF after ${down} ms`);
        await sleep(down);
        redis = await startRedis(redisPort, redisDir);
      } else {
        await sleep(down);
      }
      servers[victim] = await startServer(ports[victim], flags);
    }
    await sleep(800);
    await typing.stop();
    await waitFor(() => converged(writers, DOCS), 'writers to converge', 30_000);

    // The last crash: everything at once, Redis included. What the AOF holds is all there is.
    await sleep(200);
    for (const server of servers) await kill(server);
    await kill(redis);
    redis = await startRedis(redisPort, redisDir);
    servers[0] = await startServer(ports[0], flags);

    const { failures, relayedTotal, editsTotal } = await checkStored(urls[0], writers, DOCS);
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    if (failures.length > 0) {
      for (const failure of failures) console.error(`[cluster-crash-loop] ${failure}`);
      console.error(`[cluster-crash-loop] FAIL: seed ${seed}: ${failures.length} problems after ${KILLS} instance SIGKILLs and 1 of Redis (${seconds} s)`);
      process.exitCode = 1;
    } else {
      log(
        `OK: seed ${seed}: ${KILLS} instance SIGKILLs + 1 of redis-server + all at once before the final read, ${WRITERS} writers on ${DOCS.length} documents over ${INSTANCES} instances, ` +
          `${editsTotal} edits all stored, ${relayedTotal} relayed updates all stored, every client converged (${seconds} s)`,
      );
    }
  } catch (error) {
    for (const w of writers) console.error(`[cluster-crash-loop] writer ${w.index} on ${w.docName} via ${w.provider.url}: synced ${w.provider.synced}, connected ${w.provider.wsconnected}, ${w.text.length} characters`);
    console.error(`[cluster-crash-loop] FAIL: seed ${seed}: ${error.message}`);
    process.exitCode = 1;
  } finally {
    void typing.stop();
    for (const writer of writers) writer.provider.destroy();
    for (const server of servers) await kill(server);
    await kill(redis);
    await rm(redisDir, { recursive: true, force: true });
    clearTimeout(guard);
  }
}

await main();
// Providers leave reconnect timers and sockets behind after destroy(); the verdict is in.
process.exit(process.exitCode ?? 0);
