/**
 * `node server.mjs` (what `npm start` runs) refuses a secret too short to sign tokens with at start:
 * one line saying why and exit code 1, before Next is loaded or a port is taken.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const serverScript = fileURLToPath(new URL('../server.mjs', import.meta.url));

/** Run server.mjs with `env` until it exits (killed after `timeoutMs` if it does not). */
function runServer(env: Record<string, string>, timeoutMs: number): Promise<{ code: number | null; stderr: string; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [serverScript], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let stdout = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr, stdout });
    });
  });
}

it('exits with 1 and one clear line when TANDEM_AUTH_SECRET is shorter than 16 characters', async () => {
  const { code, stderr, stdout } = await runServer({ TANDEM_AUTH_SECRET: 'too-short', APP_PORT: '0', TANDEM_APP_HOST: '127.0.0.1' }, 20_000);
  expect(stdout).not.toMatch(/listening/);
  expect(stderr.trim()).toBe('tandem-app: TANDEM_AUTH_SECRET must be at least 16 characters (32 random bytes is better)');
  expect(code).toBe(1);
}, 30_000);
