import { createServer, type Server } from 'node:http';
import type { Browser, ConsoleMessage, Page } from '@playwright/test';
import { WebSocket as NodeWebSocket } from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { authStackForFile } from '../support/authStack.js';
import { expect, test, TYPING_DELAY } from '../support/fixtures.js';

/**
 * The app's security in Chromium: pages work under their Content-Security-Policy (nothing is
 * blocked, the service worker registers, only /embed can be framed by another site), and a
 * read-only embed cannot write even when it carries an edit key.
 */

/** Every CSP violation a page or its frames report (the DOM event and the console), across navigations. */
async function watchViolations(page: Page): Promise<() => string[]> {
  const seen: string[] = [];
  page.on('console', (message: ConsoleMessage) => {
    if (/Content Security Policy|Refused to/i.test(message.text())) seen.push(message.text());
  });
  await page.exposeFunction('__reportViolation', (violation: string) => void seen.push(violation));
  await page.addInitScript(() => {
    const report = (window as unknown as { __reportViolation: (v: string) => void }).__reportViolation;
    document.addEventListener('securitypolicyviolation', (event) => report(`${event.violatedDirective} ${event.blockedURI}`));
  });
  return () => [...seen];
}

/** A page on another origin (localhost, where the app is 127.0.0.1) that frames `src`. */
async function hostPage(src: string): Promise<{ url: string; close: () => void }> {
  const host: Server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' }).end(`<!doctype html><title>Host</title><iframe id="framed" src="${src}" style="width:900px;height:500px"></iframe>`);
  });
  await new Promise<void>((resolve) => host.listen(0, '127.0.0.1', resolve));
  return { url: `http://localhost:${(host.address() as { port: number }).port}/`, close: () => host.close() };
}

test.describe('Content-Security-Policy in the browser', () => {
  test('the list and the editor work under the policy: typing syncs, the service worker registers, nothing is blocked', async ({ person, docName }) => {
    const ada = await person('Ada');
    const violations = await watchViolations(ada.page);
    await ada.page.goto('/');
    await expect(ada.page.getByRole('heading', { name: 'Documents', exact: true })).toBeVisible();
    await ada.open(docName);
    await ada.page.getByTestId('title').fill('Under a policy');
    await ada.editor.click();
    await ada.page.keyboard.type('Typed under a strict CSP', { delay: TYPING_DELAY });
    await expect(ada.page.getByTestId('status')).toHaveText('All changes saved');
    // The WebSocket to the sync server is allowed: someone else sees the text.
    const bob = await person('Bob');
    await bob.open(docName);
    await expect(bob.editor).toHaveText('Typed under a strict CSP');
    await expect(ada.page.getByTestId('presence').locator('[data-name="Bob"]')).toBeVisible();
    // Bob's cursor and selection, drawn in Ada's editor with his colour.
    await bob.editor.click();
    await bob.page.keyboard.press('End');
    await bob.page.keyboard.press('Shift+Home');
    await expect(ada.editor.locator('.tandem-cursor, .ProseMirror-yjs-cursor').first()).toBeVisible();
    // The service worker (worker-src 'self') registered and cached the page.
    await expect(ada.page.locator('html')).toHaveAttribute('data-offline-ready', 'true');
    expect(await ada.page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.active?.scriptURL)).toMatch(/\/sw\.js$/);
    // A page the app has no route for is rendered per request too, with the nonce.
    expect((await ada.page.goto('/no-such-page'))?.status()).toBe(404);
    await expect(ada.page.getByRole('heading', { name: 'Nothing here' })).toBeVisible();
    expect(violations()).toEqual([]);
  });

  test('another site may frame /embed but not the document page', async ({ person, docName, stack }) => {
    const visitor = await person('Visitor');
    const violations = await watchViolations(visitor.page);
    const embed = await hostPage(`${stack.appUrl}/embed/${docName}?name=Ivy`);
    try {
      await visitor.page.goto(embed.url);
      const frame = visitor.page.frameLocator('#framed');
      await expect(frame.locator('.tandem-status')).toHaveText('All changes saved');
      await frame.locator('.ProseMirror').click();
      await visitor.page.keyboard.type('From an embed', { delay: TYPING_DELAY });
      await expect(frame.locator('.tandem-status')).toHaveText('All changes saved');
      expect(violations()).toEqual([]);
    } finally {
      embed.close();
    }

    const page = await hostPage(`${stack.appUrl}/d/${docName}`);
    try {
      const refused = visitor.page.waitForEvent('console', (message) => message.text().includes("frame-ancestors 'self'"));
      await visitor.page.goto(page.url);
      await refused;
      await expect(visitor.page.frameLocator('#framed').locator('.ProseMirror')).toHaveCount(0);
    } finally {
      page.close();
    }
  });
});

test.describe('a read-only embed with an edit key', () => {
  const stack = authStackForFile(60);

  const claimsOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;

  /** Open an embed of the auth app in a fresh context, once connected; collect every token /api/token hands it. */
  async function openEmbed(browser: Browser, path: string) {
    const context = await browser.newContext({ baseURL: stack().appUrl });
    const page = await context.newPage();
    const tokens: Array<{ access: string; token: string }> = [];
    page.on('response', async (response) => {
      if (new URL(response.url()).pathname === '/api/token' && response.ok()) tokens.push((await response.json()) as { access: string; token: string });
    });
    await page.goto(path);
    await expect(page.locator('.tandem-status')).toHaveAttribute('data-status', 'connected', { timeout: 15_000 });
    return { context, page, editor: page.locator('.ProseMirror'), tokens };
  }

  test('gets read tokens only, and nothing typed or forged through it reaches the server', async ({ browser, docName }) => {
    const key = (path: string) => new URL(path, stack().appUrl).searchParams.get('key')!;
    const editKey = key(stack().editPath(docName));
    const writer = await openEmbed(browser, `/embed/${docName}?key=${editKey}&name=Writer`);
    const viewer = await openEmbed(browser, `/embed/${docName}?key=${editKey}&readonly=1&name=Viewer`);
    try {
      await writer.editor.click();
      await writer.page.keyboard.type('Original', { delay: TYPING_DELAY });
      await expect(viewer.editor).toHaveText('Original');

      // The same key without readonly=1 edits: it is an edit key.
      expect(writer.tokens.map((t) => t.access)).toEqual(['write']);
      // With readonly=1 the embed asked for, and got, read tokens only.
      expect(viewer.tokens.length).toBeGreaterThan(0);
      for (const { access, token } of viewer.tokens) {
        expect(access).toBe('read');
        expect(claimsOf(token)).toMatchObject({ doc: docName, access: 'read' });
      }
      await expect(viewer.editor).toHaveAttribute('contenteditable', 'false');
      await viewer.editor.click();
      await viewer.page.keyboard.type('Typed', { delay: TYPING_DELAY });

      // Someone who pulls the embed's token out of the page and writes with a stock client is refused by the server.
      const metricsUrl = `${stack().syncUrl.replace(/^ws/, 'http')}/metrics`;
      const readOnlyDrops = async () => Number(/tandem_rejected_total\{reason="read-only"\} (\d+)/.exec(await (await fetch(metricsUrl)).text())?.[1] ?? 0);
      const before = await readOnlyDrops();
      const forged = new Y.Doc();
      const forger = new WebsocketProvider(stack().syncUrl, docName, forged, {
        params: { token: viewer.tokens.at(-1)!.token },
        WebSocketPolyfill: NodeWebSocket as unknown as typeof WebSocket,
        disableBc: true,
      });
      try {
        await expect.poll(() => forger.synced, { timeout: 5000 }).toBe(true);
        const paragraph = new Y.XmlElement('paragraph');
        paragraph.insert(0, [new Y.XmlText('Injected')]);
        forged.getXmlFragment('prosemirror').insert(0, [paragraph]);
        await expect.poll(readOnlyDrops, { timeout: 5000 }).toBeGreaterThan(before);
      } finally {
        forger.destroy();
        forged.destroy();
      }

      // What the server holds: a fresh reader with a token of its own sees only the writer's text.
      await writer.editor.press('End');
      await writer.page.keyboard.type('!', { delay: TYPING_DELAY });
      const reader = await openEmbed(browser, `/embed/${docName}?key=${key(stack().viewPath(docName))}`);
      try {
        await expect(reader.editor).toHaveText('Original!');
      } finally {
        await reader.context.close();
      }
      await expect(viewer.editor).toHaveText('Original!');
      await expect(writer.editor).toHaveText('Original!');
    } finally {
      await Promise.all([writer.context.close(), viewer.context.close()]);
    }
  });
});
