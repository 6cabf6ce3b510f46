// Runs a workload driver as a child process (never in the orchestrator's or a server's
// event loop) and returns what it reports. Messages use structured clone ("advanced"
// serialization) so typed arrays of latencies cross cheaply.
import { fork } from 'node:child_process';

/** Drivers still running; killed if the orchestrator exits first. */
const live = new Set();
process.once('exit', () => { for (const child of live) child.kill('SIGKILL'); });

function forkDriver(script) {
  const child = fork(script, [], { serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  live.add(child);
  child.once('exit', () => live.delete(child));
  return child;
}

/**
 * Fork `script`, send it `cfg`, and resolve with its `{ ok, result }` reply.
 * `onMessage` sees any other messages (progress, requests) with a `reply` function.
 */
export function runDriver(script, cfg, { onMessage, timeoutMs = 300_000 } = {}) {
  const child = forkDriver(script);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`driver ${script} timed out after ${timeoutMs} ms`));
    }, timeoutMs);
    let done = false;
    child.on('message', (msg) => {
      if (msg && typeof msg.ok === 'boolean') {
        done = true;
        clearTimeout(timer);
        if (msg.ok) resolve(msg.result);
        else reject(new Error(`driver failed: ${msg.error}`));
      } else if (onMessage) {
        onMessage(msg, (reply) => child.send(reply));
      }
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (!done) reject(new Error(`driver ${script} exited (code ${code}, signal ${signal}) without a result`));
    });
    child.send(cfg);
  });
}

/** Start a driver that takes several commands: `send(cmd)` resolves with its reply to that command. */
export function startDriver(script) {
  const child = forkDriver(script);
  const waiting = [];
  child.on('message', (msg) => waiting.shift()?.(msg));
  child.on('exit', () => { for (const w of waiting.splice(0)) w({ ok: false, error: 'driver exited' }); });
  return {
    child,
    async send(cmd) {
      const reply = await new Promise((resolve) => { waiting.push(resolve); child.send(cmd); });
      if (!reply.ok) throw new Error(`driver failed: ${reply.error}`);
      return reply.result;
    },
    stop() { child.kill('SIGTERM'); },
  };
}
