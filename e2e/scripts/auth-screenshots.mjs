// Screenshots of the auth-mode pages: share menu, view-only page, refused link, private home.
// Usage (after `npm run build` at the root): node scripts/auth-screenshots.mjs [outDir]
// Starts its own sync server + app pair with a throwaway TANDEM_AUTH_SECRET, and stops them.
import { chromium } from '@playwright/test';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { linkKey } from '@tandem/app/lib/linkKeys.mjs';
import { CHROMIUM_LAUNCH_OPTIONS } from '../chromium.mjs';

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const outDir = process.argv[2] ?? 'screenshots';
mkdirSync(outDir, { recursive: true });

const freePort = () =>
  new Promise((res) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => res(port));
    });
  });
const waitFor = async (url) => {
  for (let i = 0; i < 300; i++) {
    try {
      if ((await fetch(url)).status < 500) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not answer`);
};

const secret = randomBytes(32).toString('base64');
const key = (purpose, doc = '') => linkKey(secret, purpose, doc);
const dataDir = mkdtempSync(join(tmpdir(), 'tandem-shots-'));
const [syncPort, appPort] = [await freePort(), await freePort()];
const env = { ...process.env, TANDEM_AUTH_SECRET: secret, NEXT_TELEMETRY_DISABLED: '1', NEXT_PUBLIC_SYNC_URL: `ws://127.0.0.1:${syncPort}` };
const children = [
  spawn(process.execPath, [join(root, 'sync-server/dist/main.js'), '--host', '127.0.0.1', '--port', String(syncPort), '--data-dir', dataDir], { env, stdio: 'ignore' }),
  spawn(process.execPath, [join(root, 'app/server.mjs')], { cwd: join(root, 'app'), env: { ...env, APP_PORT: String(appPort), TANDEM_APP_HOST: '127.0.0.1' }, stdio: 'ignore' }),
];
const appUrl = `http://127.0.0.1:${appPort}`;
let browser;
try {
  await waitFor(`http://127.0.0.1:${syncPort}/healthz`);
  await waitFor(`${appUrl}/refused`);
  browser = await chromium.launch(CHROMIUM_LAUNCH_OPTIONS);
  const person = async (name, color, viewport = { width: 1280, height: 800 }) => {
    const context = await browser.newContext({ viewport, deviceScaleFactor: 1 });
    await context.addInitScript(([n, c]) => localStorage.setItem('tandem:user', JSON.stringify({ name: n, color: c })), [name, color]);
    return context.newPage();
  };
  const doc = `plans-${Date.now().toString(36)}`;
  const loaded = (page) => page.locator('[data-testid="status"][data-state="saved"]').waitFor({ timeout: 20_000 });

  const ada = await person('Ada Lovelace', '#3e63dd');
  await ada.goto(`${appUrl}/d/${doc}?key=${key('write', doc)}`);
  await loaded(ada);
  await ada.getByTestId('title').fill('Launch plan');
  await ada.locator('.ProseMirror').click();
  const type = (text) => ada.keyboard.type(text, { delay: 2 });
  await type('# What ships on Monday\n');
  await type('The editor, the sync server and **view-only links** for everyone outside the team. ');
  await type('Reviewers get a link that shows the text and who is here, and _cannot change a word_.\n');
  await type('## Checklist\n- Secret set on both servers\nTLS in front of the sync server\nOperator link saved somewhere safe\n\n');
  await type('> Links are keys: share them like passwords.\n');

  const viola = await person('Viola Reviewer', '#8e4ec6');
  await viola.goto(`${appUrl}/v/${doc}?key=${key('read', doc)}`);
  await loaded(viola);
  await viola.locator('.ProseMirror h2').waitFor();
  await ada.locator('.ProseMirror h1').click();
  await ada.getByTestId('presence').locator('[data-name="Viola Reviewer"]').waitFor();
  await viola.getByTestId('presence').locator('[data-name="Ada Lovelace"]').waitFor();
  await ada.getByTestId('share').click();
  await ada.getByTestId('share-panel').waitFor();
  await ada.waitForTimeout(200);
  await ada.screenshot({ path: join(outDir, 'auth-share-menu.png') });
  await viola.waitForTimeout(300);
  await viola.screenshot({ path: join(outDir, 'auth-view-only.png') });

  const phone = await person('Viola Reviewer', '#8e4ec6', { width: 390, height: 760 });
  await phone.goto(`${appUrl}/v/${doc}?key=${key('read', doc)}`);
  await loaded(phone);
  await phone.screenshot({ path: join(outDir, 'auth-view-only-phone.png') });

  const eve = await person('Eve', '#e5484d');
  await eve.goto(`${appUrl}/d/${doc}?key=${key('read', doc)}`);
  await eve.screenshot({ path: join(outDir, 'auth-refused.png') });
  await eve.goto(`${appUrl}/`);
  await eve.screenshot({ path: join(outDir, 'auth-private-home.png') });
  await eve.goto(`${appUrl}/operator?key=${key('operator')}`);
  await eve.getByTestId('doc-list').waitFor();
  await eve.screenshot({ path: join(outDir, 'auth-operator-home.png') });
  // An embed the sync server would refuse (no key, no token): it says so, at three widths.
  for (const width of [1200, 600, 390]) {
    const visitor = await person('Visitor', '#12a594', { width, height: 600 });
    await visitor.goto(`${appUrl}/embed/${doc}`);
    await visitor.getByTestId('access-refused').waitFor();
    await visitor.screenshot({ path: join(outDir, `auth-embed-refused-${width}.png`) });
  }
  console.log(`screenshots in ${outDir}`);
} finally {
  await browser?.close();
  for (const child of children) child.kill('SIGTERM');
  await Promise.all(children.map((c) => new Promise((r) => (c.exitCode !== null ? r() : c.once('exit', r)))));
  rmSync(dataDir, { recursive: true, force: true });
}
