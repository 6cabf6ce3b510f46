// Starting, stopping and sampling the servers under test. Every server runs as its own
// process on a free port with a fresh data dir, so the driver (another process) and the
// server never share an event loop, and /proc gives each one's CPU and memory.
import { spawn, execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const benchDir = path.dirname(fileURLToPath(import.meta.url));
export const syncServerDir = path.resolve(benchDir, '..');
export const repoRoot = path.resolve(syncServerDir, '..');

export const tandemMain = path.join(syncServerDir, 'dist', 'main.js');
const referenceMain = path.join(path.dirname(require.resolve('y-websocket-reference/package.json')), 'bin', 'server.cjs');
const relayMain = path.join(benchDir, 'bare-relay.mjs');
// Preloaded into servers that have no SIGTERM handler, so --cpu-prof gets to write its profile.
const exitOnSigterm = path.join(benchDir, 'lib', 'exit-on-sigterm.cjs');

/** The servers in the order tables list them. */
export const SERVER_KINDS = ['tandem', 'reference', 'relay', 'stored-relay'];
/** Run only when named in --servers: variants for A/B runs. */
export const EXTRA_SERVER_KINDS = ['wal-relay', 'tandem-other'];
export const SERVER_LABELS = {
  tandem: 'tandem',
  reference: 'y-websocket 2.1.0 (reference)',
  relay: 'bare ws relay (floor)',
  'stored-relay': 'bare relay + LevelDB (storage floor)',
  'wal-relay': 'bare relay + write-ahead log + LevelDB',
  'tandem-other': 'tandem, other build ($TANDEM_BENCH_OTHER)',
};

/** Every server process still running, so an orchestrator that dies takes them down with it. */
const live = new Set();
process.once('exit', () => { for (const child of live) child.kill('SIGKILL'); });

let clkTck = 100;
try {
  clkTck = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
} catch {
  // getconf missing: 100 is the Linux default.
}

/** A port that was free a moment ago (bind 0, read, close); every server gets one the same way. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** utime + stime of a process (all its threads: LevelDB and GC threads count), in seconds. */
export function cpuSeconds(pid) {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name may hold spaces and parentheses: fields are counted after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / clkTck;
}

/** Resident set size in KiB. */
export function rssKiB(pid) {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const m = /VmRSS:\s+(\d+)\s+kB/.exec(status);
  return m ? Number(m[1]) : NaN;
}

/** Total size of the files under a directory, in bytes. */
export async function dirBytes(dir) {
  let total = 0;
  for (const entry of await fsp.readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += (await fsp.stat(path.join(entry.parentPath ?? entry.path, entry.name))).size;
  }
  return total;
}

export async function makeTempDir(prefix) {
  return fsp.mkdtemp(path.join(os.tmpdir(), `tandem-bench-${prefix}-`));
}

/** Whether the Tandem server is built; a warning when its sources are newer than the build. */
export function tandemBuildStatus() {
  if (!fs.existsSync(tandemMain)) return { built: false, note: `missing ${path.relative(repoRoot, tandemMain)}: run \`npm run build\`` };
  const builtAt = fs.statSync(tandemMain).mtimeMs;
  const srcDir = path.join(syncServerDir, 'src');
  let newest = 0;
  for (const entry of fs.readdirSync(srcDir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) {
      newest = Math.max(newest, fs.statSync(path.join(entry.parentPath ?? entry.path, entry.name)).mtimeMs);
    }
  }
  return { built: true, note: newest > builtAt ? 'warning: sync-server/src is newer than dist (run `npm run build`)' : '' };
}

function commandFor(kind, { port, dataDir }) {
  const host = '127.0.0.1';
  switch (kind) {
    case 'tandem':
    case 'tandem-other': {
      // tandem-other: another build of Tandem (TANDEM_BENCH_OTHER=/path/to/sync-server/dist/main.js), for A/B runs of two commits.
      const main = kind === 'tandem' ? tandemMain : process.env.TANDEM_BENCH_OTHER;
      if (!main) throw new Error('tandem-other needs TANDEM_BENCH_OTHER=<another checkout>/sync-server/dist/main.js');
      return {
        // The defaults would throttle a benchmark: unlimited messages, connections per IP, loaded docs.
        args: [main, '--host', host, '--port', String(port), '--data-dir', dataDir,
          '--max-messages-per-second', '0', '--max-connections-per-ip', '0', '--max-loaded-docs', '0'],
        env: {}, // default log level (info): per-connection lines are debug, so nothing is logged per message
        ready: /listening/i,
      };
    }
    case 'reference':
      return { args: [referenceMain], env: { HOST: host, PORT: String(port), YPERSISTENCE: dataDir }, ready: /running at/i, preload: true };
    case 'relay':
      return { args: [relayMain, '--host', host, '--port', String(port)], env: {}, ready: /listening/i };
    case 'stored-relay':
      return { args: [relayMain, '--host', host, '--port', String(port), '--data-dir', dataDir], env: {}, ready: /listening/i };
    case 'wal-relay':
      return { args: [relayMain, '--host', host, '--port', String(port), '--data-dir', dataDir, '--wal'], env: {}, ready: /listening/i };
    default:
      throw new Error(`unknown server kind ${kind}`);
  }
}

/**
 * Start one server. Resolves once it prints its ready line and accepts TCP.
 * @param {'tandem'|'reference'|'relay'} kind
 * `inspect` opens the V8 inspector on a free port so `collectGarbage` can force a full GC
 * before a memory sample (RSS is otherwise mostly garbage waiting for the next GC).
 * @param {{ dataDir?: string, port?: number, cpuProfDir?: string, nodeArgs?: string[], inspect?: boolean, extraArgs?: string[] }} [opts]
 * `extraArgs` go after the server's own flags (cluster mode: `--redis-url …`).
 */
export async function startServer(kind, opts = {}) {
  const port = opts.port ?? (await freePort());
  // The relay stores nothing: it gets no directory.
  const dataDir = opts.dataDir ?? (kind === 'relay' ? '' : await makeTempDir(kind));
  const cmd = commandFor(kind, { port, dataDir });
  const nodeArgs = [...(opts.nodeArgs ?? [])];
  if (opts.cpuProfDir) {
    nodeArgs.push('--cpu-prof', `--cpu-prof-dir=${opts.cpuProfDir}`);
    if (cmd.preload) nodeArgs.push('--require', exitOnSigterm);
  }
  if (opts.inspect) nodeArgs.push('--inspect=127.0.0.1:0');
  const started = performance.now();
  // bash raises the soft fd limit to the hard one, then exec keeps the pid as node's pid.
  const child = spawn('bash', ['-c', 'ulimit -n "$(ulimit -Hn)"; exec "$0" "$@"', process.execPath, ...nodeArgs, ...cmd.args, ...(opts.extraArgs ?? [])], {
    env: { ...process.env, NODE_ENV: 'production', ...cmd.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  live.add(child);
  child.once('exit', () => live.delete(child));
  const server = {
    kind, port, dataDir, child, pid: child.pid,
    url: `ws://127.0.0.1:${port}`,
    httpUrl: `http://127.0.0.1:${port}`,
    output: [],
    exited: new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal }))),
    startMs: 0,
  };
  const keep = (chunk) => {
    // Keep the tail of the output for error messages; always drain so the pipe never blocks the server.
    server.output.push(chunk.toString());
    if (server.output.length > 200) server.output.splice(0, server.output.length - 200);
  };
  child.stderr.on('data', keep);
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${kind} did not start in 20 s:\n${server.output.join('')}`));
    }, 20_000);
    let buffered = '';
    const onData = (chunk) => {
      keep(chunk);
      buffered += chunk.toString();
      if (cmd.ready.test(buffered)) {
        clearTimeout(timer);
        child.stdout.off('data', onData);
        child.stdout.on('data', keep);
        resolve();
      }
    };
    child.stdout.on('data', onData);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${kind} exited before it was ready (code ${code}, signal ${signal}):\n${server.output.join('')}`));
    });
  });
  await waitForTcp(port);
  server.startMs = performance.now() - started;
  if (opts.inspect) {
    const deadline = Date.now() + 5000;
    while (!(server.inspectorUrl = /Debugger listening on (ws:\S+)/.exec(server.output.join(''))?.[1]) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20));
    }
  }
  return server;
}

async function waitForTcp(port, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise((resolve) => {
      const s = net.connect(port, '127.0.0.1');
      s.once('connect', () => { s.destroy(); resolve(true); });
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`port ${port} not accepting`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A full, synchronous V8 GC in the server, through the inspector (`inspect: true`). */
export async function collectGarbage(server) {
  if (!server.inspectorUrl) throw new Error(`${server.kind} was not started with inspect: true`);
  const ws = new WebSocket(server.inspectorUrl);
  try {
    await new Promise((resolve, reject) => {
      ws.on('error', reject);
      ws.once('close', () => reject(new Error('inspector closed')));
      ws.on('message', (m) => { if (JSON.parse(m).id === 1) resolve(); });
      ws.once('open', () => ws.send(JSON.stringify({ id: 1, method: 'HeapProfiler.collectGarbage' })));
    });
  } finally {
    ws.close();
  }
}

/** SIGTERM, then SIGKILL if it has not exited in `graceMs`. */
export async function stopServer(server, graceMs = 8000) {
  if (server.child.exitCode !== null || server.child.signalCode !== null) return server.exited;
  server.child.kill('SIGTERM');
  const timer = setTimeout(() => server.child.kill('SIGKILL'), graceMs);
  const result = await server.exited;
  clearTimeout(timer);
  return result;
}

export async function killServer(server) {
  if (server.child.exitCode === null && server.child.signalCode === null) server.child.kill('SIGKILL');
  return server.exited;
}

export async function removeDir(dir) {
  if (dir) await fsp.rm(dir, { recursive: true, force: true });
}

/** The value of a Prometheus gauge from GET /metrics, or undefined. */
export async function metricValue(server, name) {
  try {
    const res = await fetch(`${server.httpUrl}/metrics`);
    if (!res.ok) return undefined;
    const text = await res.text();
    const m = new RegExp(`^${name}(?:\\{[^}]*\\})?\\s+([0-9.eE+-]+)$`, 'm').exec(text);
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}
