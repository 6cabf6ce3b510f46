/**
 * The CLI's start-up failures (issue 13, item 11): the real `dist/main.js` in a child process
 * prints one clear line and exits non-zero, never a stack trace.
 */
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from './test-support/process.js';
import { type TestServer, makeTempDir, startTestServer } from './test-support/server.js';

const dirs: string[] = [];
let occupant: TestServer | undefined;

afterEach(async () => {
  await occupant?.dispose();
  occupant = undefined;
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function dataDir(): Promise<string> {
  const dir = await makeTempDir('tandem-cli-');
  dirs.push(dir);
  return dir;
}

/** The one line the CLI printed on stderr, after checking it printed nothing else there. */
function oneLine(stderr: string): string {
  const lines = stderr.trim().split('\n');
  expect(lines, stderr).toHaveLength(1);
  expect(stderr).not.toMatch(/^\s+at /m);
  return lines[0]!;
}

describe('the CLI refuses to start with one clear line', () => {
  it('when the port is already in use', async () => {
    occupant = await startTestServer();
    const { code, stderr } = await runCli(['--host', '127.0.0.1', '--port', String(occupant.port), '--data-dir', await dataDir()]);
    expect(code).toBe(1);
    expect(oneLine(stderr)).toBe(`tandem-sync-server: port ${occupant.port} on 127.0.0.1 is already in use (another server running? pick another with --port)`);
  });

  it.each([
    ['192.0.2.1', /cannot listen on 192\.0\.2\.1: it is not an address of this machine \(check --host\)/],
    ['no-such-host.invalid', /cannot listen on no-such-host\.invalid: no such host \(check --host\)/],
  ])('when --host %s cannot be listened on', async (host, message) => {
    const { code, stderr } = await runCli(['--host', host, '--port', '0', '--data-dir', await dataDir()]);
    expect(code).toBe(1);
    expect(oneLine(stderr)).toMatch(message);
  });

  it('when the data directory cannot be opened', async () => {
    const file = join(await dataDir(), 'not-a-directory');
    await writeFile(file, 'x');
    const { code, stderr } = await runCli(['--host', '127.0.0.1', '--port', '0', '--data-dir', file]);
    expect(code).toBe(1);
    expect(oneLine(stderr)).toMatch(new RegExp(`^tandem-sync-server: could not open the data directory ${file}: `));
  });

  it('when --allowed-origins is given an empty list, instead of silently allowing any origin', async () => {
    for (const value of ['', ' , ']) {
      const { code, stderr, stdout } = await runCli(['--port', '0', '--data-dir', await dataDir(), '--allowed-origins', value]);
      expect(code).toBe(2);
      expect(oneLine(stderr)).toMatch(/--allowed-origins \(TANDEM_ALLOWED_ORIGINS\) needs at least one value/);
      expect(stdout).not.toContain('listening');
    }
  });
});
