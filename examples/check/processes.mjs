// Child processes of the example check: run one to completion, or start a server and wait for
// the line that says where it listens.
import { spawn } from 'node:child_process';

/** Run a command to completion; resolves with its output, rejects with it on a non-zero exit. */
export function run(command, args, options = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.once('error', reject);
    child.once('close', (code) => {
      if (code === 0) resolve(output);
      else reject(new Error(`\`${command} ${args.join(' ')}\` exited with ${code}:\n${output}`));
    });
  });
}

/**
 * Start a long-running process and resolve once its output matches `pattern`, with the first
 * capture group (its URL). Rejects when it exits first or `timeoutMs` passes.
 */
export function startUntil(command, args, options, pattern, timeoutMs = 30_000) {
  const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal)));
  const ready = new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${command} did not say where it listens within ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    const onData = (chunk) => {
      // Strip colours: vite paints its URL.
      // eslint-disable-next-line no-control-regex -- ESC (\x1b) starts the colour codes this strips
      output += chunk.toString().replace(/\x1b\[[0-9;]*m/g, '');
      const match = pattern.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${command} exited (${code}) before it was ready:\n${output}`));
    });
  });
  return ready.then((url) => ({
    url,
    output: () => output,
    /** SIGTERM, then the exit code (or the signal's name if it did not handle it). */
    stop: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
  }));
}
