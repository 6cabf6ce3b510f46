import { test as base, expect, type Browser, type BrowserContext, type Page, type WebSocket as PageSocket } from '@playwright/test';
import { decodeTokenMessage } from '@tandem/protocol';
import { WebSocket as NodeWebSocket } from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { authStackForFile } from '../support/authStack.js';
import { TYPING_DELAY } from '../support/fixtures.js';

/**
 * The app with TANDEM_AUTH_SECRET: links with keys, tokens minted by the app, view-only links,
 * refused tampering, token renewal. Tokens live TTL seconds here, so every test also runs through
 * several expiries, each renewed on the open connection before it comes.
 */
const TTL = 4;

const stack = authStackForFile(TTL);

interface Person {
  context: BrowserContext;
  page: Page;
  editor: ReturnType<Page['locator']>;
  /**
   * Every WebSocket this page opened to the sync server, with the time it was opened and the
   * tokens it sent (token messages), each with the time it was sent.
   */
  sockets: Array<{ url: string; openedAt: number; socket: PageSocket; tokens: Array<{ token: string; sentAt: number }> }>;
  /** Open a path of the auth app and wait until the document is loaded. */
  open(path: string): Promise<void>;
}

const test = base.extend<{ docName: string; person: (name: string, color?: string) => Promise<Person> }>({
  docName: async ({}, use, testInfo) => use(`auth-${testInfo.testId.slice(0, 8)}-${Date.now().toString(36)}`),
  person: async ({ browser }, use) => {
    const people: Person[] = [];
    await use(async (name, color = '#3e63dd') => {
      const p = await makePerson(browser, name, color);
      people.push(p);
      return p;
    });
    await Promise.all(people.map((p) => p.context.close()));
    // Whatever the test did, no token ever travelled in a WebSocket URL (proxies and access logs keep those).
    for (const p of people) for (const { url } of p.sockets) expect(new URL(url).searchParams.get('token'), url).toBeNull();
  },
});

async function makePerson(browser: Browser, name: string, color: string): Promise<Person> {
  const context = await browser.newContext({ baseURL: stack().appUrl });
  await context.addInitScript(([n, c]) => window.localStorage.setItem('tandem:user', JSON.stringify({ name: n, color: c })), [name, color]);
  const page = await context.newPage();
  const sockets: Person['sockets'] = [];
  page.on('websocket', (socket) => {
    if (!socket.url().startsWith(stack().syncUrl)) return;
    const record: Person['sockets'][number] = { url: socket.url(), openedAt: Date.now(), socket, tokens: [] };
    sockets.push(record);
    socket.on('framesent', ({ payload }) => {
      const token = typeof payload === 'string' ? undefined : decodeTokenMessage(new Uint8Array(payload));
      if (token !== undefined) record.tokens.push({ token, sentAt: Date.now() });
    });
  });
  const editor = page.locator('.ProseMirror');
  if (process.env.TANDEM_E2E_DEBUG) {
    const t0 = Date.now();
    const log = (...a: unknown[]) => console.log(name, ((Date.now() - t0) / 1000).toFixed(1), ...a);
    page.on('console', (m) => log('console', m.type(), m.text().slice(0, 200)));
    page.on('response', (r) => r.url().includes('/api/token') && log('token', r.status()));
    page.on('websocket', (ws) => { log('ws open'); ws.on('close', () => log('ws close')); });
  }
  return {
    context,
    page,
    editor,
    sockets,
    async open(path) {
      const response = await page.goto(path);
      expect(response?.status()).toBe(200);
      await expectLoaded(page);
    },
  };
}

/** The document is loaded and the connection up (whatever the status words are). */
async function expectLoaded(page: Page) {
  await expect(page.getByTestId('status')).toHaveAttribute('data-state', /^(saved|synced)$/, { timeout: 15_000 });
}

/** The token a socket opened with: its first token message (none travels in a URL). */
const firstToken = (socket: Person['sockets'][number]) => {
  expect(new URL(socket.url).searchParams.get('token')).toBeNull();
  return socket.tokens[0]!.token;
};
const claimsOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;

test('the edit link edits; tokens carry write access for this document only', async ({ person, docName }) => {
  const ada = await person('Ada');
  const bob = await person('Bob', '#e5484d');
  await ada.open(stack().editPath(docName));
  await bob.open(stack().editPath(docName));
  await ada.editor.click();
  await ada.page.keyboard.type('Written by Ada', { delay: TYPING_DELAY });
  await expect(bob.editor).toHaveText('Written by Ada');
  await bob.editor.click();
  await bob.page.keyboard.press('End');
  await bob.page.keyboard.type(', and Bob', { delay: TYPING_DELAY });
  await expect(ada.editor).toHaveText('Written by Ada, and Bob');
  await expect(ada.page.getByTestId('presence').locator('[data-name="Bob"]')).toBeVisible();
  await expect(ada.page.getByTestId('view-only')).toHaveCount(0);

  const token = firstToken(ada.sockets[0]!);
  const claims = claimsOf(token);
  expect(claims).toMatchObject({ doc: docName, access: 'write', name: 'Ada' });
  expect(claims.sub).toMatch(/^u-/);
  expect((claims.exp as number) - (claims.iat as number)).toBe(TTL);
  // The share menu offers both links, each with its own key.
  await ada.page.getByTestId('share').click();
  await expect(ada.page.getByTestId('share-edit-link')).toHaveValue(`${stack().appUrl}${stack().editPath(docName)}`);
  await expect(ada.page.getByTestId('share-view-link')).toHaveValue(`${stack().appUrl}${stack().viewPath(docName)}`);
});

test('the view-only link shows text and presence, and nothing typed there reaches anyone', async ({ person, docName }) => {
  const ada = await person('Ada');
  await ada.open(stack().editPath(docName));
  await ada.editor.click();
  await ada.page.keyboard.type('Read me', { delay: TYPING_DELAY });
  await ada.page.getByTestId('title').fill('Plans');

  const viola = await person('Viola', '#8e4ec6');
  await viola.open(stack().viewPath(docName));
  await expect(viola.editor).toHaveText('Read me');
  await expect(viola.page.getByTestId('title')).toHaveValue('Plans');
  await expect(viola.page.getByTestId('view-only')).toHaveText('View only');
  await expect(viola.editor).toHaveAttribute('contenteditable', 'false');
  await expect(viola.page.getByTestId('title')).toHaveAttribute('readonly', '');
  // Presence both ways: the viewer is seen, and sees the writer.
  await expect(ada.page.getByTestId('presence').locator('[data-name="Viola"]')).toBeVisible();
  await expect(viola.page.getByTestId('presence').locator('[data-name="Ada"]')).toBeVisible();
  // Typing in the view page changes nothing, there or anywhere.
  await viola.editor.click();
  await viola.page.keyboard.type('XX', { delay: TYPING_DELAY });
  await viola.page.getByTestId('title').click();
  await viola.page.keyboard.type('YY');
  await expect(viola.editor).toHaveText('Read me');
  await expect(viola.page.getByTestId('title')).toHaveValue('Plans');
  // The view page's tokens are read tokens...
  const viewToken = firstToken(viola.sockets.at(-1)!);
  expect(claimsOf(viewToken)).toMatchObject({ doc: docName, access: 'read' });
  // ...and the server drops what such a connection sends, even from a client that ignores the UI.
  const metricsUrl = `${stack().syncUrl.replace(/^ws/, 'http')}/metrics`;
  const readOnlyDrops = async (): Promise<number> =>
    Number(/tandem_rejected_total\{reason="read-only"\} (\d+)/.exec(await (await fetch(metricsUrl)).text())?.[1] ?? 0);
  const dropsBefore = await readOnlyDrops();
  const forged = new Y.Doc();
  const provider = new WebsocketProvider(stack().syncUrl, docName, forged, {
    params: { token: viewToken },
    WebSocketPolyfill: NodeWebSocket as unknown as typeof WebSocket,
    disableBc: true,
  });
  try {
    await expect.poll(() => provider.synced, { timeout: 5000 }).toBe(true);
    expect(forged.getXmlFragment('prosemirror').toString()).toContain('Read me');
    forged.getMap('meta').set('title', 'Hacked');
    const paragraph = new Y.XmlElement('paragraph');
    paragraph.insert(0, [new Y.XmlText('Injected')]);
    forged.getXmlFragment('prosemirror').insert(0, [paragraph]);
    // Both changes reached the server and were dropped there (counted in its metrics). Its sync
    // step 2 carried nothing new, so it is not counted as an attempt to change the document.
    await expect.poll(readOnlyDrops, { timeout: 5000 }).toBeGreaterThanOrEqual(dropsBefore + 2);
  } finally {
    provider.destroy();
    forged.destroy();
  }
  await ada.editor.click();
  await ada.page.keyboard.press('End');
  await ada.page.keyboard.type('!', { delay: TYPING_DELAY });
  await expect(viola.editor).toHaveText('Read me!');
  const reader = await person('Reader');
  await reader.open(stack().viewPath(docName));
  await expect(reader.editor).toHaveText('Read me!');
  await expect(reader.page.getByTestId('title')).toHaveValue('Plans');
  await expect(ada.editor).toHaveText('Read me!');
});

test('tampered links are refused with a clear page; the token route refuses them too', async ({ person, docName, request }) => {
  const eve = await person('Eve');
  const viewKey = new URL(stack().viewPath(docName), stack().appUrl).searchParams.get('key')!;
  const editKey = new URL(stack().editPath(docName), stack().appUrl).searchParams.get('key')!;
  const refused = [
    `/v/${docName}`, // key removed
    `/v/${docName}?key=`, // key emptied
    `/v/${docName}?key=${viewKey.slice(0, -1)}${viewKey.endsWith('A') ? 'B' : 'A'}`, // key changed
    `/d/${docName}?key=${viewKey}`, // view key on the edit path
    `/d/${docName}`, // edit page without a key
    `/v/other-${docName}?key=${viewKey}`, // key for another document
    `/v/${docName}?key=${editKey}`, // the edit key is not a view key either
    `/new`, // not the operator
    `/operator?key=${viewKey}`,
  ];
  for (const path of refused) {
    const response = await eve.page.goto(path);
    expect(response?.status(), path).toBe(403);
    await expect(eve.page.getByTestId('refused')).toBeVisible();
    await expect(eve.page.getByRole('heading', { name: 'This link doesn’t open anything' })).toBeVisible();
    await expect(eve.editor).toHaveCount(0);
  }
  expect(eve.sockets).toHaveLength(0);
  // The home page is private for everyone but the operator.
  await eve.page.goto('/');
  await expect(eve.page.getByTestId('private-home')).toBeVisible();
  await expect(eve.page.getByTestId('doc-list')).toHaveCount(0);

  const token = (data: object) => request.post(`${stack().appUrl}/api/token`, { data });
  expect((await token({ doc: docName, key: viewKey, access: 'write' })).status()).toBe(403);
  expect((await token({ doc: docName, key: 'nope', access: 'read' })).status()).toBe(403);
  expect((await token({ doc: `other-${docName}`, key: viewKey, access: 'read' })).status()).toBe(403);
  const ok = await token({ doc: docName, key: viewKey, access: 'read' });
  expect(ok.status()).toBe(200);
  expect(claimsOf(((await ok.json()) as { token: string }).token)).toMatchObject({ access: 'read', doc: docName });
});

test('the operator link opens the document list (with edit links) and "New document"', async ({ person, docName }) => {
  const ada = await person('Ada');
  await ada.open(stack().editPath(docName));
  await ada.page.getByTestId('title').fill('Operator test');
  await ada.editor.click();
  await ada.page.keyboard.type('x');
  const op = await person('Olive');
  await op.page.goto(stack().operatorPath());
  await expect(op.page).toHaveURL(`${stack().appUrl}/`);
  const row = op.page.locator(`[data-doc="${docName}"]`);
  await expect(row).toContainText('Operator test');
  // The list does not ask every document for its link generation: /open/<doc> goes to the current edit link.
  expect(await row.getAttribute('href')).toBe(`/open/${docName}`);
  await row.click();
  await expect(op.page).toHaveURL(`${stack().appUrl}${stack().editPath(docName)}`);
  await op.page.goto('/');
  await op.page.getByTestId('new-document').click();
  await expect(op.page).toHaveURL(/\/d\/[a-z0-9]{10}\?key=[A-Za-z0-9_-]{22}$/);
  await expectLoaded(op.page);
  await expect(op.editor).toHaveAttribute('contenteditable', 'true');
});

test('the secret never reaches the browser: not in any HTML, script, style or data', async ({ person, docName }) => {
  const ada = await person('Ada');
  const bodies: Array<{ url: string; body: string }> = [];
  const pending: Array<Promise<void>> = [];
  ada.page.on('response', (response) => {
    // A body that never arrives (a navigation cut short) is skipped after a while, not awaited forever.
    const skip = new Promise<void>((resolve) => setTimeout(resolve, 5000));
    const read = response
      .body()
      .then((body) => void bodies.push({ url: response.url(), body: body.toString('latin1') }))
      .catch(() => {});
    pending.push(Promise.race([read, skip]));
  });
  await ada.page.goto(stack().operatorPath());
  await expect(ada.page.getByTestId('doc-list').or(ada.page.locator('.empty'))).toBeVisible();
  await ada.open(stack().editPath(docName));
  await ada.page.getByTestId('share').click();
  await expect(ada.page.getByTestId('share-panel')).toBeVisible();
  await ada.open(stack().viewPath(docName));
  await ada.page.goto(`/v/${docName}?key=wrong`);
  await ada.page.goto(`/embed/${docName}?key=${new URL(stack().viewPath(docName), stack().appUrl).searchParams.get('key')}`);
  await expect(ada.page.locator('.tandem-status')).toBeVisible();
  await Promise.all(pending);
  const scripts = bodies.filter((b) => /\.js(\?|$)/.test(b.url));
  expect(scripts.length).toBeGreaterThan(3);
  expect(bodies.filter((b) => b.body.includes('<html')).length).toBeGreaterThanOrEqual(4);
  const secretForms = [stack().secret, Buffer.from(stack().secret).toString('base64'), Buffer.from(stack().secret).toString('base64url'), Buffer.from(stack().secret).toString('hex')];
  for (const { url, body } of bodies) {
    for (const form of secretForms) expect(body.includes(form), `${url} contains the secret`).toBe(false);
  }
});

test('tokens are renewed before they expire: one connection each, always saved, nobody ever leaves the presence list', async ({ person, docName }) => {
  test.setTimeout(45_000);
  const ada = await person('Ada');
  const bob = await person('Bob', '#e5484d');
  // Every change of the status line and of the presence count, as the pages saw them.
  for (const p of [ada, bob]) {
    await p.page.addInitScript(() => {
      const seen: string[] = [];
      (window as unknown as { seen: string[] }).seen = seen;
      let last = '';
      new MutationObserver(() => {
        const status = document.querySelector('[data-testid="status"]')?.getAttribute('data-state') ?? '-';
        const presence = document.querySelector('[data-testid="presence"]')?.getAttribute('aria-label') ?? '-';
        const now = `${status} | ${presence}`;
        if (now !== last) seen.push((last = now));
      }).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-state', 'aria-label'] });
    });
  }
  await ada.open(stack().editPath(docName));
  await bob.open(stack().editPath(docName));
  // The list shows the others: each sees one person here.
  await expect(ada.page.getByTestId('presence')).toHaveAttribute('aria-label', '1 person here');
  await expect(bob.page.getByTestId('presence')).toHaveAttribute('aria-label', '1 person here');
  const seenFrom = await Promise.all([ada, bob].map((p) => p.page.evaluate(() => (window as unknown as { seen: string[] }).seen.length)));

  // Tokens last TTL seconds: let three of Ada's expire (the first, and two after it).
  const firstExpiry = (claimsOf(firstToken(ada.sockets[0]!)).exp as number) * 1000;
  await expect.poll(() => Date.now(), { timeout: (TTL * 3 + 5) * 1000, intervals: [250] }).toBeGreaterThan(firstExpiry + 2 * TTL * 1000);
  await ada.editor.click();
  await ada.page.keyboard.type('Still here after expiry', { delay: TYPING_DELAY });
  await expect(bob.editor).toHaveText('Still here after expiry');
  await bob.editor.click();
  await bob.page.keyboard.press('End');
  await bob.page.keyboard.type(' (Bob too)', { delay: TYPING_DELAY });
  await expect(ada.editor).toHaveText('Still here after expiry (Bob too)');
  await expect(ada.page.getByTestId('status')).toHaveAttribute('data-state', 'saved');

  // Since both were in: the status line said saved or saving, and each listed the other, at every moment.
  for (const [i, p] of [ada, bob].entries()) {
    const seen = (await p.page.evaluate(() => (window as unknown as { seen: string[] }).seen)).slice(seenFrom[i]! - 1);
    for (const moment of seen) expect(moment, `${p === ada ? 'Ada' : 'Bob'} saw ${seen.join(', ')}`).toMatch(/^(saved|saving) \| 1 person here$/);
  }
  // One connection each, never closed; each token sent before the one before it expired; one person throughout.
  expect(ada.sockets).toHaveLength(1);
  expect(bob.sockets).toHaveLength(1);
  expect(ada.sockets[0]!.socket.isClosed()).toBe(false);
  const sent = ada.sockets[0]!.tokens;
  expect(sent.length).toBeGreaterThanOrEqual(4);
  expect(new Set(sent.map((t) => t.token)).size).toBe(sent.length);
  for (let i = 1; i < sent.length; i++) {
    expect(sent[i]!.sentAt).toBeLessThan((claimsOf(sent[i - 1]!.token).exp as number) * 1000);
    expect(claimsOf(sent[i]!.token).exp as number).toBeGreaterThan(claimsOf(sent[i - 1]!.token).exp as number);
  }
  expect(new Set(sent.map((t) => claimsOf(t.token).sub)).size).toBe(1);
});
