/**
 * The `tandem-sync-server` command as the README runs it: `npx tandem-sync-server` from the
 * repository root after `npm install && npm run build`, which works only if npm linked the bin
 * at install time. npm may not reach the registry here: were the local bin missing, npx would
 * otherwise download whatever package of that name the registry has.
 */
import { spawn } from 'node:child_process';
import { chmod, copyFile, mkdir, readFile, readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, expect, it } from 'vitest';
import { spawnServer } from './test-support/process.js';
import { makeTempDir } from './test-support/server.js';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = fileURLToPath(new URL('../bin/tandem-sync-server.mjs', import.meta.url));

const temp: string[] = [];
afterEach(async () => {
  await Promise.all(temp.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

/** This process's environment without what `npm run` added, so npx behaves as in a user's shell; offline. */
function userShellEnv(): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key)));
  return { ...env, npm_config_offline: 'true', npm_config_update_notifier: 'false' };
}

/**
 * The server under `npx`: npx runs it through `sh -c`, and neither npm nor sh passes a SIGTERM on,
 * so the signal goes to the server itself, as a service manager that signals every process would.
 * (Linux: each /proc/<pid>/stat names its parent.)
 */
async function serverUnder(npxPid: number): Promise<number> {
  const parentOf = new Map<number, number>();
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const line = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    // "pid (comm) state ppid ...": the command name may hold spaces, so read past its last ')'.
    parentOf.set(Number(entry), Number(line.slice(line.lastIndexOf(')') + 2).split(' ')[1]));
  }
  let generation = [npxPid];
  const descendants: number[] = [];
  while (generation.length > 0) {
    generation = [...parentOf].filter(([, parent]) => generation.includes(parent)).map(([pid]) => pid);
    descendants.push(...generation);
  }
  for (const pid of descendants) {
    if ((await readFile(`/proc/${pid}/comm`, 'utf8').catch(() => '')).trim() === 'node') return pid;
  }
  throw new Error(`no node process under npx (${npxPid}); descendants: ${descendants.join(', ')}`);
}

it('`npx tandem-sync-server` runs the built server from the repository root without the registry, and exits 0 on SIGTERM', async () => {
  const dataDir = await makeTempDir('tandem-npx-');
  temp.push(dataDir);
  const server = await spawnServer({ dataDir }, { command: 'npx', args: ['tandem-sync-server'], cwd: REPO_ROOT, env: userShellEnv() });
  const serverPid = await serverUnder(server.child.pid!);
  const exited = new Promise<number | null>((resolve) => server.child.once('exit', resolve));
  try {
    expect(server.url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+$/);
    expect((await fetch(`${server.url.replace('ws', 'http')}/healthz`)).status).toBe(200);
    process.kill(serverPid, 'SIGTERM');
    expect(await exited).toBe(0);
    expect(server.output()).toContain('storage closed');
  } finally {
    if (server.child.exitCode === null) process.kill(serverPid, 'SIGKILL');
    await server.stop('SIGKILL');
  }
});

it('the command says to build first, and exits 1, when the server is not built', async () => {
  // The committed script, copied where no dist/ is beside it.
  const unbuilt = await makeTempDir('tandem-unbuilt-');
  temp.push(unbuilt);
  await mkdir(path.join(unbuilt, 'bin'));
  const copy = path.join(unbuilt, 'bin', 'tandem-sync-server.mjs');
  await copyFile(BIN, copy);
  await chmod(copy, (await stat(BIN)).mode);
  const child = spawn(copy, ['--port', '0'], { cwd: unbuilt, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  expect(code).toBe(1);
  expect(stderr).toContain('not built yet');
  expect(stderr).toContain('npm run build');
});
