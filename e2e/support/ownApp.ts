import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appListeningUrl, readState, spawnApp } from './processes.js';

/** An app process of a test's own (started by `node app/server.mjs`, as `npm start` does), with its output. */
export interface OwnApp {
  /** `http://127.0.0.1:<port>`, the port the app picked (reachable there unless it was told to bind elsewhere). */
  url: string;
  port: number;
  child: ChildProcess;
  /** Everything it printed so far, stdout and stderr. */
  output(): string;
  /** Resolves once its output matches `pattern`. */
  waitForOutput(pattern: RegExp): Promise<void>;
  stop(): Promise<void>;
}

/** A fresh secret, for an app in auth mode. */
export const newSecret = () => `e2e-${randomBytes(24).toString('hex')}`;

/**
 * Start the built app with `env` (pointed at the suite's sync server); resolves once it prints
 * its "listening" line. Pass `TANDEM_APP_HOST: undefined` to leave the address to the app.
 */
export async function startOwnApp(env: NodeJS.ProcessEnv): Promise<OwnApp> {
  // Port 0: the app picks a free port and says which in its "listening" line.
  const child = spawnApp(0, readState().syncUrl, env, 'pipe');
  let output = '';
  const waiters = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    output += chunk.toString();
    for (const check of waiters) check();
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const killOnExit = () => child.kill('SIGKILL');
  process.on('exit', killOnExit);
  const waitForOutput = (pattern: RegExp) =>
    new Promise<void>((resolve, reject) => {
      const onExit = (code: number | null) => reject(new Error(`the app exited (${code}) before printing ${pattern}:\n${output}`));
      const check = () => {
        if (!pattern.test(output)) return;
        waiters.delete(check);
        child.off('exit', onExit);
        resolve();
      };
      waiters.add(check);
      child.once('exit', onExit);
      check();
    });
  await waitForOutput(/Tandem app listening on \S+ \(/);
  const port = Number(new URL(appListeningUrl(output)!).port);
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    child,
    output: () => output,
    waitForOutput,
    async stop() {
      process.off('exit', killOnExit);
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
