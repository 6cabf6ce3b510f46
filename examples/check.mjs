#!/usr/bin/env node
// `node examples/check.mjs` (CI runs it after `npm test`, so everything is built): the embedding
// example as an embedder gets it. It packs the publishable packages, copies examples/embedding to
// a temporary folder outside this workspace, installs the tarballs and the example's dependencies
// there, builds it, starts the repository's sync server and a static server for the build, then
// types into the vanilla page and the React page in Chromium and reads the text back from the
// sync server with a stock y-websocket client. `KEEP=1` keeps the temporary folder.
import { chromium } from '@playwright/test';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { CHROMIUM_LAUNCH_OPTIONS } from '../e2e/chromium.mjs';
import { checkExampleDependencies, checkInstalledFromTarballs, packInto, publishablePackages, workspaces } from './check/packages.mjs';
import { run, startUntil } from './check/processes.mjs';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const EXAMPLE = path.join(REPO, 'examples', 'embedding');
const DOC_NAME = 'team-notes'; // what both pages of the example open
const VANILLA_TEXT = 'Typed on the vanilla page.';
const REACT_TEXT = ' Typed on the React page.';
/** npm is pointed here for the `@tandem` scope, so that asking a registry for it shows (and fetches nothing). */
const NO_REGISTRY = 'http://127.0.0.1:9/';

const started = performance.now();
const timings = [];
async function step(name, fn) {
  const t0 = performance.now();
  const result = await fn();
  const seconds = (performance.now() - t0) / 1000;
  timings.push([name, seconds]);
  console.log(`examples: ${name} (${seconds.toFixed(1)} s)`);
  return result;
}

/** The README's embedding section shows the example's code as it is. */
function checkReadmeShowsTheExample() {
  const readme = readFileSync(path.join(REPO, 'README.md'), 'utf8');
  for (const file of ['src/vanilla.ts', 'src/react.tsx']) {
    if (!readme.includes(readFileSync(path.join(EXAMPLE, file), 'utf8'))) throw new Error(`README.md does not show examples/embedding/${file} as it is`);
  }
}

/** A folder outside the workspace with no node_modules above it, so nothing resolves to the workspace. */
function scratchFolder() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tandem-example-'));
  if (!path.relative(REPO, dir).startsWith('..')) throw new Error(`${dir} is inside the repository`);
  for (let up = path.dirname(dir); up !== path.dirname(up); up = path.dirname(up)) {
    if (existsSync(path.join(up, 'node_modules'))) throw new Error(`${up}/node_modules would leak into the example`);
  }
  return dir;
}

/** Type `text` at the end of the page's editor and wait until the server says it is saved. */
async function typeAndSave(page, text) {
  const editor = page.locator('.ProseMirror');
  await editor.click();
  await page.keyboard.press('Control+End');
  await page.keyboard.type(text);
  await page.locator('.tandem-status', { hasText: 'All changes saved' }).waitFor({ timeout: 20_000 });
}

async function openPage(browser, url, errors) {
  const context = await browser.newContext({ viewport: { width: 1200, height: 800 } });
  const page = await context.newPage();
  page.on('pageerror', (error) => errors.push(`${url}: ${error.message}`));
  await page.goto(url);
  await page.locator('.tandem-status', { hasText: 'All changes saved' }).waitFor({ timeout: 20_000 });
  return page;
}

/** The document's text as the sync server has it, read by a stock y-websocket client. */
async function textOnServer(syncUrl) {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(syncUrl, DOC_NAME, doc, { WebSocketPolyfill: WebSocket, disableBc: true });
  try {
    await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the stock client did not sync')), 10_000);
      provider.once('sync', () => (clearTimeout(timer), resolve()));
    });
    return doc.getXmlFragment('prosemirror').toString();
  } finally {
    provider.destroy();
    doc.destroy(); // and with it the awareness, whose timer would keep this process alive
  }
}

async function main() {
  const all = workspaces(REPO);
  const packages = publishablePackages(all);
  console.log(`examples: publishable packages: ${packages.map((p) => `${p.name}@${p.version}`).join(', ')}`);
  checkReadmeShowsTheExample();
  checkExampleDependencies(JSON.parse(readFileSync(path.join(EXAMPLE, 'package.json'), 'utf8')), packages, all);

  const scratch = scratchFolder();
  const app = path.join(scratch, 'app');
  const cleanups = [];
  try {
    cpSync(EXAMPLE, app, { recursive: true, filter: (source) => !/[\\/](node_modules|dist)$/.test(source) });
    await step('npm pack', () => packInto(REPO, packages, app));

    const npm = { cwd: app, env: { ...process.env, npm_config_update_notifier: 'false' } };
    const installLog = await step('npm install (tarballs + example dependencies)', () =>
      run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=http', `--@tandem:registry=${NO_REGISTRY}`], npm),
    );
    if (installLog.includes(NO_REGISTRY.slice(0, -1))) throw new Error(`npm asked a registry for a @tandem package:\n${installLog}`);
    checkInstalledFromTarballs(JSON.parse(readFileSync(path.join(app, 'package-lock.json'), 'utf8')), packages);

    const bin = path.join(REPO, 'sync-server', 'bin', 'tandem-sync-server.mjs');
    const sync = await step('start the sync server', () =>
      startUntil(process.execPath, [bin, '--host', '127.0.0.1', '--port', '0', '--data-dir', path.join(scratch, 'data')], {}, /listening on (ws:\/\/\S+?)"/),
    );
    cleanups.push(async () => {
      const code = await sync.stop();
      if (code !== 0) throw new Error(`the sync server exited with ${code} on SIGTERM:\n${sync.output()}`);
    });

    await step('npm run build (tsc + vite)', () => run('npm', ['run', 'build'], { ...npm, env: { ...npm.env, VITE_TANDEM_SYNC_URL: sync.url } }));
    const vite = path.join(app, 'node_modules', 'vite', 'bin', 'vite.js');
    const site = await step('start vite preview', () =>
      startUntil(process.execPath, [vite, 'preview', '--host', '127.0.0.1', '--port', '0', '--strictPort'], { cwd: app }, /Local:\s+(http:\/\/\S+?)\/?\s/),
    );
    cleanups.push(() => site.stop());

    const browser = await chromium.launch(CHROMIUM_LAUNCH_OPTIONS);
    cleanups.push(() => browser.close());
    const errors = [];
    await step('type into the vanilla page and the React page', async () => {
      const vanilla = await openPage(browser, `${site.url}/vanilla.html`, errors);
      await typeAndSave(vanilla, VANILLA_TEXT);
      // Another browser context: the React page hears of the text from the server, not from a tab.
      const react = await openPage(browser, `${site.url}/react.html`, errors);
      await react.locator('.ProseMirror', { hasText: VANILLA_TEXT }).waitFor({ timeout: 10_000 });
      await typeAndSave(react, REACT_TEXT);
      await vanilla.locator('.ProseMirror', { hasText: VANILLA_TEXT + REACT_TEXT }).waitFor({ timeout: 10_000 });
    });
    if (errors.length) throw new Error(`the pages threw:\n  ${errors.join('\n  ')}`);

    const stored = await step('read the document back with a stock y-websocket client', () => textOnServer(sync.url));
    if (!stored.includes(VANILLA_TEXT + REACT_TEXT)) throw new Error(`the sync server has ${JSON.stringify(stored)}, not both pages' text`);
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup();
    if (process.env.KEEP) console.log(`examples: kept ${scratch}`);
    else rmSync(scratch, { recursive: true, force: true });
  }
}

main().then(
  () => {
    const total = (performance.now() - started) / 1000;
    console.log(`examples: the embedding example works from the packed packages (${total.toFixed(1)} s in all)`);
  },
  (error) => {
    console.error(`examples: FAILED: ${error.stack ?? error}`);
    console.error(`examples: steps so far: ${timings.map(([n, s]) => `${n} ${s.toFixed(1)} s`).join('; ')}`);
    process.exit(1);
  },
);
