import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, fstatSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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

/** A server process this suite started, at the address it reported once listening. */
export interface StartedServer {
  child: ChildProcess;
  /** `ws://…` for the sync server, `http://…` for the app. */
  url: string;
  port: number;
}

/**
 * Start the real Tandem sync server, logging to `<dataDir>.log`; resolves once it logs that it is
 * listening (and ready for signals). Port 0, the default, lets it pick a free port itself, and the
 * port is read from that log line: nothing else can take it between choosing and binding. The
 * process does not hold this one's pipes, so it can outlive a test worker.
 */
export async function startSyncServer(port: number, dataDir: string, env: NodeJS.ProcessEnv = {}): Promise<StartedServer> {
  if (!existsSync(SYNC_MAIN)) throw new Error(`${SYNC_MAIN} is missing: run \`npm run build\` at the repository root first.`);
  const logFile = `${dataDir}.log`;
  const log = openSync(logFile, 'a');
  const from = fstatSync(log).size; // a restart appends to the same log: read only its own lines
  const child = spawn(process.execPath, [SYNC_MAIN, '--host', '127.0.0.1', '--port', String(port), '--data-dir', dataDir], {
    stdio: ['ignore', log, log],
    env: { ...process.env, ...env },
  });
  closeSync(log);
  const url = await waitForLogLine(logFile, from, child, 20_000, (line) => {
    const entry = parseJsonLine(line);
    return typeof entry?.msg === 'string' && entry.msg.startsWith('listening on') && typeof entry.url === 'string' ? entry.url : undefined;
  });
  return { child, url, port: Number(new URL(url).port) };
}

/**
 * Spawn the built app the way `npm start` runs it (`node app/server.mjs`) on 127.0.0.1:`port`
 * (0: a port it picks), pointed at `syncUrl`; `env` is applied last (a value of undefined removes
 * a variable). Its output goes to `stdio`: a pipe, a file descriptor, or nowhere (the default).
 */
export function spawnApp(port: number, syncUrl: string, env: NodeJS.ProcessEnv = {}, stdio: 'ignore' | 'pipe' | number = 'ignore'): ChildProcess {
  if (!existsSync(join(APP_DIR, '.next/BUILD_ID'))) throw new Error('app/.next is missing: run `npm run build` at the repository root first.');
  return spawn(process.execPath, [join(APP_DIR, 'server.mjs')], {
    cwd: APP_DIR,
    env: { ...process.env, APP_PORT: String(port), TANDEM_APP_HOST: '127.0.0.1', NEXT_PUBLIC_SYNC_URL: syncUrl, ...env },
    stdio: ['ignore', stdio, stdio],
  });
}

/** The address in the app's "listening" line (see app/lib/serverOptions.mjs), once all of it is in `output`. */
export function appListeningUrl(output: string): string | undefined {
  return /Tandem app listening on (http:\/\/\S+) \(/.exec(output)?.[1];
}

/**
 * Start the built app (see {@link spawnApp}), its output appended to `logFile`; resolves once it
 * prints where it listens, with that address (port 0 by default: the app picks a free one).
 */
export async function startApp(syncUrl: string, logFile: string, env: NodeJS.ProcessEnv = {}, port = 0): Promise<StartedServer> {
  const log = openSync(logFile, 'a');
  const from = fstatSync(log).size;
  const child = spawnApp(port, syncUrl, env, log);
  closeSync(log);
  const url = await waitForLogLine(logFile, from, child, 30_000, appListeningUrl);
  return { child, url, port: Number(new URL(url).port) };
}

function parseJsonLine(line: string): Record<string, unknown> | undefined {
  try {
    return JSON.parse(line) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

/**
 * Wait until `child` has written a line (after byte `from` of `logFile`) that `match` finds
 * something in; fails at once if the child exits first. The child writes straight to the file,
 * so there is no event to wait for: the file is read again every 50 ms.
 */
async function waitForLogLine<T>(logFile: string, from: number, child: ChildProcess, timeoutMs: number, match: (line: string) => T | undefined): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const lines = readFileSync(logFile).subarray(from).toString('utf8').split('\n');
    for (const line of lines) {
      const found = match(line);
      if (found !== undefined) return found;
    }
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`${logFile}: the process exited (${child.exitCode ?? child.signalCode}) before it was listening:\n${lines.join('\n')}`);
    if (Date.now() > deadline) throw new Error(`${logFile}: not listening within ${timeoutMs} ms:\n${lines.join('\n')}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Global setup: a sync server with a fresh data dir, and the app pointed at it, each on a port it picked. */
export async function startStack(): Promise<E2EState> {
  const dataDir = mkdtempSync(join(tmpdir(), 'tandem-e2e-data-'));
  const sync = await startSyncServer(0, dataDir);
  let app: StartedServer;
  try {
    app = await startApp(sync.url, `${dataDir}.app.log`);
  } catch (error) {
    sync.child.kill('SIGKILL');
    throw error;
  }
  const state: E2EState = { appUrl: app.url, syncUrl: sync.url, syncPort: sync.port, dataDir, syncPid: sync.child.pid!, appPid: app.child.pid! };
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
  rmSync(`${state.dataDir}.app.log`, { force: true });
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

/** Start the sync server again on the same port (the clients reconnect to its address) and data dir. */
export async function restartSyncServer(): Promise<void> {
  const state = readState();
  const { child } = await startSyncServer(state.syncPort, state.dataDir);
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
