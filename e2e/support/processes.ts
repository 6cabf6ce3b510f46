import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (this file is e2e/support/processes.ts). */
export const REPO_ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const SYNC_MAIN = join(REPO_ROOT, 'sync-server/dist/main.js');
const APP_DIR = join(REPO_ROOT, 'app');
/** Where global setup leaves the ports, pids and data dir for the tests and the teardown. */
export const STATE_FILE = join(tmpdir(), `tandem-e2e-state-${process.env.TANDEM_E2E_RUN ?? 'default'}.json`);

export interface E2EState {
  appUrl: string;
  syncUrl: string;
  syncPort: number;
  dataDir: string;
  syncPid: number;
  appPid: number;
}

export function readState(): E2EState {
  return JSON.parse(readFileSync(STATE_FILE, 'utf8')) as E2EState;
}
function writeState(state: E2EState): void {
  writeFileSync(STATE_FILE, JSON.stringify(state));
}

/** A TCP port that was free a moment ago. */
export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolvePort(port));
    });
  });
}

/**
 * Start the real Tandem sync server, logging to `<dataDir>.log`; resolves once it answers
 * `/healthz`. The process does not hold this one's pipes, so it can outlive a test worker.
 */
export async function startSyncServer(port: number, dataDir: string, env: NodeJS.ProcessEnv = {}): Promise<ChildProcess> {
  if (!existsSync(SYNC_MAIN)) throw new Error(`${SYNC_MAIN} is missing: run \`npm run build\` at the repository root first.`);
  const log = openSync(`${dataDir}.log`, 'a');
  const child = spawn(process.execPath, [SYNC_MAIN, '--host', '127.0.0.1', '--port', String(port), '--data-dir', dataDir], {
    stdio: ['ignore', log, log],
    env: { ...process.env, ...env },
  });
  closeSync(log);
  await waitForHttp(`http://127.0.0.1:${port}/healthz`, 20_000, child);
  return child;
}

/**
 * Spawn the built app the way `npm start` runs it (`node app/server.mjs`) on 127.0.0.1:`port`,
 * pointed at `syncUrl`; `env` is applied last (a value of undefined removes a variable). Its output
 * goes to `stdio` (ignored by default).
 */
export function spawnApp(port: number, syncUrl: string, env: NodeJS.ProcessEnv = {}, stdio: 'ignore' | 'pipe' = 'ignore'): ChildProcess {
  if (!existsSync(join(APP_DIR, '.next/BUILD_ID'))) throw new Error('app/.next is missing: run `npm run build` at the repository root first.');
  return spawn(process.execPath, [join(APP_DIR, 'server.mjs')], {
    cwd: APP_DIR,
    env: { ...process.env, APP_PORT: String(port), TANDEM_APP_HOST: '127.0.0.1', NEXT_PUBLIC_SYNC_URL: syncUrl, ...env },
    stdio: ['ignore', stdio, stdio],
  });
}

/** Start the built app (see {@link spawnApp}); resolves once `/` answers. */
export async function startApp(port: number, syncUrl: string, env: NodeJS.ProcessEnv = {}): Promise<ChildProcess> {
  const child = spawnApp(port, syncUrl, env);
  await waitForHttp(`http://127.0.0.1:${port}/`, 30_000, child);
  return child;
}

export async function waitForHttp(url: string, timeoutMs: number, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`process for ${url} exited with ${child.exitCode}`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (response.status < 500) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`);
}

/** Global setup: a sync server on a free port with a fresh data dir, and the app pointed at it. */
export async function startStack(): Promise<E2EState> {
  const dataDir = mkdtempSync(join(tmpdir(), 'tandem-e2e-data-'));
  const [syncPort, appPort] = [await freePort(), await freePort()];
  const sync = await startSyncServer(syncPort, dataDir);
  const syncUrl = `ws://127.0.0.1:${syncPort}`;
  let app: ChildProcess;
  try {
    app = await startApp(appPort, syncUrl);
  } catch (error) {
    sync.kill('SIGKILL');
    throw error;
  }
  const state: E2EState = { appUrl: `http://127.0.0.1:${appPort}`, syncUrl, syncPort, dataDir, syncPid: sync.pid!, appPid: app.pid! };
  writeState(state);
  return state;
}

/** Global teardown: stop both processes and delete the data dir. */
export async function stopStack(): Promise<void> {
  if (!existsSync(STATE_FILE)) return;
  const state = readState();
  for (const pid of [state.appPid, state.syncPid]) {
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      // already gone
    }
  }
  await Promise.all([state.appPid, state.syncPid].map((pid) => waitForExit(pid, 5000)));
  rmSync(state.dataDir, { recursive: true, force: true });
  rmSync(`${state.dataDir}.log`, { force: true });
  rmSync(STATE_FILE, { force: true });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitForExit(pid: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (isAlive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  if (isAlive(pid)) process.kill(pid, 'SIGKILL');
}

/** Kill the sync server with SIGKILL (no flush, no goodbye) and wait until it is gone. */
export async function killSyncServer(): Promise<void> {
  const state = readState();
  process.kill(state.syncPid, 'SIGKILL');
  await waitForExit(state.syncPid, 5000);
}

/** Start the sync server again on the same port and data dir. */
export async function restartSyncServer(): Promise<void> {
  const state = readState();
  const child = await startSyncServer(state.syncPort, state.dataDir);
  // Outlive this test worker: the global teardown stops it by pid.
  child.unref();
  writeState({ ...state, syncPid: child.pid! });
}

/**
 * Freeze the sync server (SIGSTOP): its sockets stay open but nothing is read, written or
 * acknowledged until {@link thawSyncServer}. Shows what a slow disk or a busy server looks like.
 */
export function freezeSyncServer(): void {
  process.kill(readState().syncPid, 'SIGSTOP');
}

/** Let a frozen sync server run again (SIGCONT). */
export function thawSyncServer(): void {
  process.kill(readState().syncPid, 'SIGCONT');
}
