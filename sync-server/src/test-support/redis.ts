/**
 * A real redis-server for tests: started on a free port in a temporary folder with the AOF on
 * (`--appendonly yes --save ''`), killed and restarted on the same folder and port when a test
 * needs Redis to crash, stopped and its folder removed at the end. Debian's redis-server; .ci/run
 * installs it when it is missing.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { makeTempDir } from './server.js';

export interface TestRedis {
  url: string;
  port: number;
  dir: string;
  /** Kill redis-server (SIGKILL by default: no shutdown, what the AOF holds is all there is). */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** Start it again on the same folder and port; resolves when it accepts connections. */
  restart(): Promise<void>;
  /** Stop it answering without closing anything (SIGSTOP: a hung Redis), and let it go on (SIGCONT). */
  pause(): void;
  resume(): void;
  /** Stop it and delete its folder. */
  dispose(): Promise<void>;
}

/** A TCP port nobody listens on now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/** Run redis-server on `port` with its files in `dir`; resolves once it accepts connections. */
export function launchRedisServer(port: number, dir: string, extra: readonly string[]): Promise<ChildProcess> {
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--save', '', '--daemonize', 'no', ...extra];
  const child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`redis-server did not start:\n${output}`)), 10_000);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      if (output.includes('Ready to accept connections')) {
        clearTimeout(timer);
        child.stdout!.off('data', onData);
        child.stdout!.resume();
        resolve(child);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`could not run redis-server (install Debian's redis-server): ${error.message}`));
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`redis-server exited (${code}) before it was ready:\n${output}`));
    });
  });
}

/** Start a redis-server of our own; `extra` flags go after the defaults (and win). */
export async function startTestRedis(extra: readonly string[] = []): Promise<TestRedis> {
  const dir = await makeTempDir('tandem-redis-');
  const port = await freePort();
  let child: ChildProcess | undefined = await launchRedisServer(port, dir, extra);
  const kill = async (signal: NodeJS.Signals = 'SIGKILL'): Promise<void> => {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => running.once('exit', () => resolve()));
    running.kill(signal);
    await exited;
  };
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    dir,
    kill,
    async restart() {
      await kill();
      child = await launchRedisServer(port, dir, extra);
    },
    pause: () => void child?.kill('SIGSTOP'),
    resume: () => void child?.kill('SIGCONT'),
    async dispose() {
      await kill();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
