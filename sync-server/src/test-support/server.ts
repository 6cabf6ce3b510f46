/**
 * Test helpers: a real server on port 0 with its log lines kept, over a real LevelDB in a temp dir,
 * or over the store a test passes in (then no directory is made).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { DEFAULTS, type SyncServerConfig } from '../config.js';
import { type SyncServer, createSyncServer } from '../server.js';
import type { DocStore } from '../storage/DocStore.js';

export interface TestServer {
  server: SyncServer;
  url: string;
  httpUrl: string;
  port: number;
  dataDir: string;
  /** Every log line the server wrote, parsed. */
  logs: Array<Record<string, unknown>>;
  /** Stop the server (flushes); keeps the data dir. */
  stop(): Promise<void>;
  /** Stop and delete the data dir (if one was made). */
  dispose(): Promise<void>;
}

export async function makeTempDir(prefix = 'tandem-test-'): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

export async function startTestServer(
  overrides: Partial<SyncServerConfig> = {},
  options: { store?: DocStore; logLevel?: 'debug' | 'info'; now?: () => number } = {},
): Promise<TestServer> {
  const dataDir = overrides.dataDir ?? (options.store ? '' : await makeTempDir());
  const logs: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n')) if (line) logs.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  const logger = pino({ level: options.logLevel ?? 'debug' }, sink);
  const config: SyncServerConfig = { ...DEFAULTS, host: '127.0.0.1', ...overrides, port: overrides.port ?? 0, dataDir };
  const server = await createSyncServer(config, { logger, store: options.store, now: options.now });
  const { url, port } = await server.listen();
  const stop = (): Promise<void> => server.close();
  return {
    server,
    url,
    httpUrl: url.replace(/^ws/, 'http'),
    port,
    dataDir,
    logs,
    stop,
    async dispose() {
      await stop();
      if (dataDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Poll until `check` returns true (or a truthy value), or fail after `timeoutMs`. */
export async function waitFor<T>(check: () => T | Promise<T>, { timeoutMs = 5000, intervalMs = 10, what = 'condition' } = {}): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** How many refusals the server counted for `reason` (`tandem_rejected_total{reason}` on /metrics). */
export async function rejectedCount(server: TestServer, reason: string): Promise<number> {
  const text = await (await fetch(`${server.httpUrl}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`tandem_rejected_total{reason="${reason}"}`));
  return line ? Number(line.split(' ').pop()) : 0;
}
