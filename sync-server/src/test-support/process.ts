/** Run the real CLI (`dist/main.js`, or however a user starts it) as a child process, to kill it with signals. */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const MAIN = fileURLToPath(new URL('../../dist/main.js', import.meta.url));

export interface ServerProcess {
  child: ChildProcess;
  url: string;
  port: number;
  /** Everything the process printed. */
  output: () => string;
  /** Send a signal and resolve with the exit code (null when killed by the signal). */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

interface ServerArgs {
  dataDir: string;
  port?: number;
  extra?: string[];
}

/** The command that starts the server, before its flags: `node dist/main.js` unless a test says otherwise. */
export interface Launcher {
  command: string;
  args: string[];
  cwd?: string;
  env?: NodeJS.ProcessEnv;
}

const NODE_MAIN: Launcher = { command: process.execPath, args: [MAIN] };

/** Start `tandem-sync-server` without waiting for it to be ready (to kill it while it starts). */
export function spawnCli(args: ServerArgs, launcher: Launcher = NODE_MAIN): ChildProcess {
  const flags = ['--host', '127.0.0.1', '--port', String(args.port ?? 0), '--data-dir', args.dataDir, ...(args.extra ?? [])];
  return spawn(launcher.command, [...launcher.args, ...flags], { cwd: launcher.cwd, env: launcher.env, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Start `tandem-sync-server` and resolve when it prints its `listening` line. */
export function spawnServer(args: ServerArgs, launcher?: Launcher): Promise<ServerProcess> {
  const child = spawnCli(args, launcher);
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const match = output.match(/listening on (ws:\/\/[^"\s]+:(\d+))/);
      if (match) {
        child.stdout!.off('data', onData);
        child.stdout!.on('data', (more: Buffer) => (output += more.toString()));
        resolve({
          child,
          url: match[1]!,
          port: Number(match[2]),
          output: () => output,
          stop(signal = 'SIGTERM') {
            if (child.exitCode === null && child.signalCode === null) child.kill(signal);
            return exited;
          },
        });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    void exited.then((code) => reject(new Error(`server exited (${code}) before listening:\n${output}`)));
  });
}

/** Run `tandem-sync-server` with exactly `argv` until it exits (killed after `timeoutMs`), with what it printed. */
export function runCli(argv: string[], timeoutMs = 10_000): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [MAIN, ...argv], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  return new Promise((resolve) =>
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    }),
  );
}
