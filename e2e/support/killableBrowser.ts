import { spawn, type ChildProcess } from 'node:child_process';
import { chromium, type Browser, type BrowserContext } from '@playwright/test';
import { CHROMIUM_LAUNCH_OPTIONS } from '../chromium.mjs';

/** A Chromium this test started itself, so that it can be killed like a crashing browser. */
export interface KillableBrowser {
  browser: Browser;
  /** The profile's one context: its IndexedDB and service workers live in the user data dir. */
  context: BrowserContext;
  /** SIGKILL the whole browser (every Chromium process it started), no goodbye; resolves once it is gone. */
  kill(): Promise<void>;
  /** Close it normally. */
  close(): Promise<void>;
}

/**
 * Launch Debian's Chromium headless on `userDataDir` and connect to it over the DevTools
 * protocol. Playwright's own launch hides the browser process; this one is ours, in its own
 * process group, so {@link KillableBrowser.kill} takes the renderers and the storage service
 * down with it, as a crash or a power cut of the browser would. Launching again on the same
 * directory finds what the browser had written to disk.
 */
export async function launchKillableBrowser(userDataDir: string): Promise<KillableBrowser> {
  const child = spawn(
    CHROMIUM_LAUNCH_OPTIONS.executablePath,
    [...CHROMIUM_LAUNCH_OPTIONS.args, '--headless', '--remote-debugging-port=0', `--user-data-dir=${userDataDir}`, 'about:blank'],
    { detached: true, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  const endpoint = await devToolsEndpoint(child);
  const browser = await chromium.connectOverCDP(endpoint);
  const context = browser.contexts()[0]!;
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
  return {
    browser,
    context,
    async kill() {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
      await exited;
      await browser.close().catch(() => {});
    },
    async close() {
      await browser.close().catch(() => {});
      try {
        process.kill(-child.pid!, 'SIGTERM');
      } catch {
        // already gone
      }
      await exited;
    },
  };
}

/** The `ws://…` address Chromium prints once it listens for DevTools. */
function devToolsEndpoint(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => done(new Error(`Chromium did not start within 20 s:\n${seen.slice(-2000)}`)), 20_000);
    const onData = (chunk: Buffer) => {
      seen += chunk.toString();
      const match = /DevTools listening on (ws:\/\/\S+)/.exec(seen);
      if (match) done(undefined, match[1]);
    };
    const onExit = (code: number | null) => done(new Error(`Chromium exited (${code}) before listening:\n${seen.slice(-2000)}`));
    function done(error?: Error, endpoint?: string) {
      clearTimeout(timer);
      child.stderr!.off('data', onData);
      child.off('exit', onExit);
      // Keep draining stderr so that Chromium never blocks on a full pipe.
      child.stderr!.resume();
      if (error) reject(error);
      else resolve(endpoint!);
    }
    child.stderr!.on('data', onData);
    child.once('exit', onExit);
  });
}
