// Browser benchmark (not a test): `npm run bench:browser -w @tandem/e2e` after `npm run build`.
//
// 1. Keystroke-to-remote-render latency: one page types 300 characters into a document; a
//    second page (another browser context, so another socket) records when each character
//    appears in its DOM. Both pages stamp events with performance.timeOrigin + now().
// 2. Large-document keystroke: the full text of the automerge-paper trace (sync-server/traces)
//    is loaded into a document, then keydown → DOM updated is timed for keystrokes in the
//    middle of it.
//
// Starts its own sync server and app on free ports (or uses APP_URL and SYNC_URL if set).
import { chromium } from '@playwright/test';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { applyPatchesToString, readTrace, tracePatches } from '../sync-server/traces/traces.mjs';
import { CHROMIUM_LAUNCH_OPTIONS } from './chromium.mjs';

const REPO = resolve(fileURLToPath(new URL('..', import.meta.url)));
const KEYSTROKES = 300;
const LARGE_DOC_KEYSTROKES = 60;
const TYPING_INTERVAL_MS = 40; // 25 keys/s: a fast typist, and under the server's message limit

const children = [];
let dataDir;

function freePort() {
  return new Promise((res, rej) => {
    const server = createServer();
    server.once('error', rej);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => res(port));
    });
  });
}

async function waitForHttp(url, child, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`process for ${url} exited with ${child.exitCode}`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (response.status < 500) return;
    } catch {
      // not yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not answer in time`);
}

async function startStack() {
  if (process.env.APP_URL && process.env.SYNC_URL) return { appUrl: process.env.APP_URL, syncUrl: process.env.SYNC_URL };
  const main = join(REPO, 'sync-server/dist/main.js');
  if (!existsSync(main) || !existsSync(join(REPO, 'app/.next/BUILD_ID'))) throw new Error('Run `npm run build` at the repository root first.');
  dataDir = mkdtempSync(join(tmpdir(), 'tandem-bench-'));
  const [syncPort, appPort] = [await freePort(), await freePort()];
  const sync = spawn(process.execPath, [main, '--host', '127.0.0.1', '--port', String(syncPort), '--data-dir', dataDir, '--log-level', 'warn'], { stdio: 'ignore' });
  children.push(sync);
  await waitForHttp(`http://127.0.0.1:${syncPort}/healthz`, sync);
  const syncUrl = `ws://127.0.0.1:${syncPort}`;
  const app = spawn(process.execPath, [join(REPO, 'node_modules/next/dist/bin/next'), 'start', '--port', String(appPort), '--hostname', '127.0.0.1'], {
    cwd: join(REPO, 'app'),
    env: { ...process.env, NEXT_PUBLIC_SYNC_URL: syncUrl, NEXT_TELEMETRY_DISABLED: '1' },
    stdio: 'ignore',
  });
  children.push(app);
  await waitForHttp(`http://127.0.0.1:${appPort}/`, app);
  return { appUrl: `http://127.0.0.1:${appPort}`, syncUrl };
}

function stopStack() {
  for (const child of children) child.kill('SIGTERM');
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
}

const percentile = (values, p) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
};
const fmt = (ms) => `${ms.toFixed(1)} ms`;

async function openPerson(browser, appUrl, name, docName) {
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
  await context.addInitScript((n) => localStorage.setItem('tandem:user', JSON.stringify({ name: n, color: '#3e63dd' })), name);
  const page = await context.newPage();
  await page.goto(`${appUrl}/d/${docName}`);
  await page.getByTestId('status').filter({ hasText: 'All changes saved' }).waitFor({ timeout: 60_000 });
  return { context, page };
}

/** The text of the automerge-paper trace, replayed patch by patch. */
function traceText() {
  const trace = readTrace('automerge-paper');
  const text = applyPatchesToString(trace.startContent, tracePatches(trace));
  if (text !== trace.endContent) throw new Error('replaying the trace did not give its endContent');
  return text;
}

/** Put `text` into the document as one paragraph per line, through a plain Yjs client. */
async function seedDocument(syncUrl, docName, text) {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(syncUrl, docName, doc, { WebSocketPolyfill: WebSocket, disableBc: true });
  await new Promise((res) => provider.once('sync', res));
  const fragment = doc.getXmlFragment('prosemirror');
  doc.transact(() => {
    fragment.insert(
      0,
      text.split('\n').map((line) => {
        const paragraph = new Y.XmlElement('paragraph');
        if (line) paragraph.insert(0, [new Y.XmlText(line)]);
        return paragraph;
      }),
    );
    doc.getMap('meta').set('title', 'automerge-paper (benchmark)');
  });
  // The update is sent at once; wait until the server has it by reading it back.
  const check = new Y.Doc();
  const reader = new WebsocketProvider(syncUrl, docName, check, { WebSocketPolyfill: WebSocket, disableBc: true });
  const deadline = Date.now() + 30_000;
  while (check.getXmlFragment('prosemirror').length !== fragment.length) {
    if (Date.now() > deadline) throw new Error('seeded document did not reach the server');
    await new Promise((r) => setTimeout(r, 100));
  }
  reader.destroy();
  provider.destroy();
  return fragment.length;
}

async function measureRemoteLatency(browser, appUrl) {
  const docName = `bench-latency-${Date.now().toString(36)}`;
  const writer = await openPerson(browser, appUrl, 'Writer', docName);
  const reader = await openPerson(browser, appUrl, 'Reader', docName);
  await reader.page.evaluate(() => {
    const editor = document.querySelector('.ProseMirror');
    window.__seen = [];
    let last = editor.textContent.length;
    new MutationObserver(() => {
      const length = editor.textContent.length;
      const now = performance.timeOrigin + performance.now();
      for (let l = last + 1; l <= length; l++) window.__seen.push({ length: l, at: now });
      last = Math.max(last, length);
    }).observe(editor, { subtree: true, childList: true, characterData: true });
  });
  await writer.page.locator('.ProseMirror').click();
  await writer.page.evaluate(() => {
    window.__keydowns = [];
    document.addEventListener('keydown', () => window.__keydowns.push(performance.timeOrigin + performance.now()), true);
  });
  const alphabet = 'the quick brown fox jumps over the lazy dog ';
  for (let i = 0; i < KEYSTROKES; i++) {
    await writer.page.keyboard.press(alphabet[i % alphabet.length] === ' ' ? 'Space' : alphabet[i % alphabet.length]);
    await new Promise((r) => setTimeout(r, TYPING_INTERVAL_MS));
  }
  await reader.page.waitForFunction((n) => window.__seen.length >= n, KEYSTROKES, { timeout: 30_000 });
  const keydowns = await writer.page.evaluate(() => window.__keydowns);
  const seen = await reader.page.evaluate(() => window.__seen);
  const byLength = new Map(seen.map((s) => [s.length, s.at]));
  const latencies = keydowns.slice(0, KEYSTROKES).map((t, i) => byLength.get(i + 1) - t);
  await writer.context.close();
  await reader.context.close();
  return latencies;
}

async function measureLargeDocument(browser, appUrl, syncUrl) {
  const t0 = Date.now();
  const text = traceText();
  const replayMs = Date.now() - t0;
  const docName = `bench-large-${Date.now().toString(36)}`;
  const blocks = await seedDocument(syncUrl, docName, text);
  const loadStart = Date.now();
  const person = await openPerson(browser, appUrl, 'Typist', docName);
  await person.page.waitForFunction((n) => document.querySelectorAll('.ProseMirror > p').length >= n, blocks, { timeout: 60_000 });
  const loadMs = Date.now() - loadStart;
  // Put the cursor at the end of a paragraph in the middle of the document.
  await person.page.evaluate(() => {
    const paragraphs = [...document.querySelectorAll('.ProseMirror > p')].filter((p) => p.textContent.length > 20);
    const target = paragraphs[Math.floor(paragraphs.length / 2)];
    target.scrollIntoView({ block: 'center' });
    const range = document.createRange();
    range.selectNodeContents(target);
    range.collapse(false);
    const selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    document.querySelector('.ProseMirror').focus();
    window.__timings = [];
    let pending;
    const editor = document.querySelector('.ProseMirror');
    document.addEventListener('keydown', () => (pending = performance.now()), true);
    new MutationObserver(() => {
      if (pending === undefined) return;
      window.__timings.push(performance.now() - pending);
      pending = undefined;
    }).observe(editor, { subtree: true, childList: true, characterData: true });
  });
  for (let i = 0; i < LARGE_DOC_KEYSTROKES; i++) {
    await person.page.keyboard.press('x');
    await new Promise((r) => setTimeout(r, TYPING_INTERVAL_MS));
  }
  await person.page.waitForFunction((n) => window.__timings.length >= n, LARGE_DOC_KEYSTROKES);
  const timings = await person.page.evaluate(() => window.__timings);
  await person.context.close();
  return { timings, characters: text.length, blocks, replayMs, loadMs };
}

/** Write the figures beside the server's (sync-server/bench/RESULTS.md), with the date and machine. */
function saveResults(chromiumVersion, reportLines) {
  const cpu = /model name\s*:\s*(.*)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? cpus()[0]?.model;
  const when = new Date().toISOString().slice(0, 16).replace('T', ' ');
  const file = resolve(REPO, 'sync-server/bench/RESULTS-browser.md');
  const text = `# Tandem browser benchmark\n\n${when} UTC · ${availableParallelism()} CPUs (${cpu}) · Chromium ${chromiumVersion} (headless) · Node ${process.version}\n\n` +
    `Command: \`npm run bench:browser -- --save\`\n\n\`\`\`\n${reportLines.join('\n').trim()}\n\`\`\`\n`;
  writeFileSync(file, text);
  console.log(`\nwrote ${file}`);
}

const stack = await startStack();
const browser = await chromium.launch(CHROMIUM_LAUNCH_OPTIONS);
const lines = [];
const report = (line) => {
  console.log(line);
  lines.push(line);
};
try {
  console.log(`Tandem browser benchmark — Chromium ${browser.version()}, app ${stack.appUrl}, sync ${stack.syncUrl}`);
  const latencies = await measureRemoteLatency(browser, stack.appUrl);
  report(`\nkeystroke → remote render, ${latencies.length} keystrokes (two browser contexts, loopback):`);
  report(`  median ${fmt(percentile(latencies, 50))}   p95 ${fmt(percentile(latencies, 95))}   max ${fmt(Math.max(...latencies))}   target: median ≤ 25 ms`);

  const large = await measureLargeDocument(browser, stack.appUrl, stack.syncUrl);
  report(`\nlarge document: automerge-paper trace, ${large.characters.toLocaleString('en')} characters in ${large.blocks} paragraphs`);
  report(`  (trace replayed in ${large.replayMs} ms; page opened and rendered it in ${large.loadMs} ms)`);
  report(`  keydown → DOM updated, ${large.timings.length} keystrokes: median ${fmt(percentile(large.timings, 50))}   p95 ${fmt(percentile(large.timings, 95))}   max ${fmt(Math.max(...large.timings))}   target: ≤ 16 ms`);
  report('\nTrace: automerge-paper from the editing-traces collection by Joseph Gentle (CC BY 4.0).');
  if (process.argv.includes('--save')) saveResults(browser.version(), lines);
} finally {
  await browser.close();
  stopStack();
}
// The Node-side Yjs clients leave lib0 timers behind; nothing else is pending.
process.exit(0);
