// Screenshots of every page, desktop and phone width, for looking at the product.
// Usage: APP_URL=http://127.0.0.1:3000 node scripts/screenshots.mjs [outDir]
// Needs the app and the sync server running (npm start at the root).
import { chromium } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { CHROMIUM_LAUNCH_OPTIONS } from '../chromium.mjs';

const appUrl = process.env.APP_URL ?? 'http://127.0.0.1:3000';
const outDir = process.argv[2] ?? 'screenshots';
mkdirSync(outDir, { recursive: true });

const browser = await chromium.launch(CHROMIUM_LAUNCH_OPTIONS);
const doc = `shots-${Date.now().toString(36)}`;

async function person(name, color, viewport) {
  const context = await browser.newContext({ viewport, deviceScaleFactor: 1 });
  await context.addInitScript(([n, c]) => localStorage.setItem('tandem:user', JSON.stringify({ name: n, color: c })), [name, color]);
  return context.newPage();
}

const ada = await person('Ada Lovelace', '#3e63dd', { width: 1280, height: 860 });
await ada.goto(`${appUrl}/`);
await ada.screenshot({ path: join(outDir, 'home-desktop.png') });

await ada.goto(`${appUrl}/d/${doc}`);
await ada.getByTestId('status').filter({ hasText: 'All changes saved' }).waitFor();
await ada.getByTestId('title').fill('Quarterly planning notes');
await ada.locator('.ProseMirror').click();
const type = (text) => ada.keyboard.type(text, { delay: 2 });
await type('# Goals for the quarter\n');
await type('We want a calmer release rhythm and **fewer surprises** for the people who use Tandem every day. ');
await type('This page collects what we agreed on, in _plain words_.\n');
await type('## What we will ship\n');
await type('- Offline editing that survives a reload\n');
await type('Presence that feels instant\n');
await ada.keyboard.press('Tab');
await type('Cursor names that fade when idle\n');
await ada.keyboard.press('Shift+Tab');
await type('A document list people actually use\n\n');
await type('> Make the thing people would choose, not the thing that merely works.\n\n');
await type('## Open questions\n1. Who owns the sync server upgrade?\nDo we need `read` links in v1?\n\n');
await type('```');
await type('npm start   # app on :3000, sync server on :1234');

const bob = await person('Grace Hopper', '#e5484d', { width: 1280, height: 860 });
await bob.goto(`${appUrl}/d/${doc}`);
await bob.locator('.ProseMirror h2').first().waitFor();
await bob.locator('.ProseMirror p').first().click();
await bob.keyboard.press('End');
const ed = await person('Edsger Dijkstra', '#30a46c', { width: 1280, height: 860 });
await ed.goto(`${appUrl}/d/${doc}`);
await ed.locator('.ProseMirror li').first().waitFor();
await ed.locator('.ProseMirror li p').nth(1).dblclick();
await ada.locator('.tandem-cursor').first().waitFor();
await ada.locator('.ProseMirror h1').click();
await ada.waitForTimeout(300);
await ada.screenshot({ path: join(outDir, 'doc-desktop.png') });
await bob.screenshot({ path: join(outDir, 'doc-desktop-other.png'), fullPage: true });

await ada.getByTestId('identity').click();
await ada.screenshot({ path: join(outDir, 'identity-desktop.png'), clip: { x: 640, y: 0, width: 640, height: 420 } });
await ada.keyboard.press('Escape');

const narrow = await person('Alan Turing', '#8e4ec6', { width: 600, height: 844 });
await narrow.goto(`${appUrl}/d/${doc}`);
await narrow.locator('.ProseMirror h2').first().waitFor();
await narrow.screenshot({ path: join(outDir, 'doc-600.png') });

const phone = await person('Alan Turing', '#8e4ec6', { width: 390, height: 844 });
await phone.goto(`${appUrl}/d/${doc}`);
await phone.locator('.ProseMirror h2').first().waitFor();
await phone.screenshot({ path: join(outDir, 'doc-mobile.png') });
await phone.goto(`${appUrl}/embed/${doc}?readonly=1`);
await phone.locator('.ProseMirror h2').first().waitFor();
await phone.screenshot({ path: join(outDir, 'embed-readonly-mobile.png') });
await narrow.goto(`${appUrl}/embed/${doc}`);
await narrow.locator('.ProseMirror h2').first().waitFor();
await narrow.screenshot({ path: join(outDir, 'embed-600.png') });
await phone.goto(`${appUrl}/`);
await phone.screenshot({ path: join(outDir, 'home-mobile.png') });

await ada.goto(`${appUrl}/`);
await ada.screenshot({ path: join(outDir, 'home-list-desktop.png') });

// A first visit: the invented name, offered for change without taking the keyboard.
for (const [width, name] of [[1280, 'first-visit-desktop.png'], [390, 'first-visit-mobile.png']]) {
  const fresh = await browser.newContext({ viewport: { width, height: 800 } });
  const first = await fresh.newPage();
  await first.goto(`${appUrl}/d/${doc}-fresh`);
  await first.getByTestId('identity-hint').waitFor();
  await first.keyboard.type('Typed at once', { delay: 2 });
  await first.screenshot({ path: join(outDir, name) });
  await fresh.close();
}

const host = await browser.newContext({ viewport: { width: 1100, height: 700 } });
const hostPage = await host.newPage();
// The host page comes from another origin: its own little server, reached as localhost.
const hostServer = createServer((_req, res) => {
  res.writeHead(200, { 'content-type': 'text/html' }).end(`<body style="margin:0;font:16px sans-serif;background:#f3f4f6;padding:32px">
  <h2 style="margin:0 0 16px">A page on another site</h2>
  <iframe src="${appUrl}/embed/${doc}?name=Embedded%20Guest&color=%2312a594" style="width:100%;height:520px;border:1px solid #ddd;border-radius:10px;background:#fff"></iframe></body>`);
});
await new Promise((resolve) => hostServer.listen(0, '127.0.0.1', resolve));
await hostPage.goto(`http://localhost:${hostServer.address().port}/`);
await hostPage.frameLocator('iframe').locator('.ProseMirror h1').waitFor();
await hostPage.screenshot({ path: join(outDir, 'embed-desktop.png') });
await hostPage.locator('iframe').evaluate((frame, src) => (frame.src = src), `${appUrl}/embed/${doc}?readonly=1&name=Reader`);
await hostPage.frameLocator('iframe').locator('.ProseMirror[contenteditable="false"] h1').waitFor();
await hostPage.screenshot({ path: join(outDir, 'embed-readonly-desktop.png') });

await phone.goto(`${appUrl}/d/not a valid name`);
await phone.screenshot({ path: join(outDir, 'not-found-mobile.png') });

await browser.close();
hostServer.close();
console.log(`screenshots in ${outDir} (document ${doc})`);
