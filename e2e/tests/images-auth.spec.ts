import { readFile } from 'node:fs/promises';
import { test as base, expect, type Page } from '@playwright/test';
import { authStackForFile } from '../support/authStack.js';
import { pastePng } from '../support/images.js';

/**
 * Images and export with TANDEM_AUTH_SECRET: the app's short-lived tokens (4 s here, so they
 * expire between steps) authorise uploads, image fetches and exports; nobody without one gets in.
 */
const TTL = 4;

const stack = authStackForFile(TTL);

const test = base.extend<{ docName: string }>({
  docName: async ({}, use, testInfo) => use(`img-${testInfo.testId.slice(0, 8)}-${Date.now().toString(36)}`),
});

async function open(page: Page, path: string): Promise<void> {
  expect((await page.goto(`${stack().appUrl}${path}`))?.status()).toBe(200);
  await expect(page.getByTestId('status')).toHaveAttribute('data-state', /^(saved|synced)$/, { timeout: 15_000 });
}

const loaded = (page: Page) => page.locator('.ProseMirror .tandem-image[data-phase="ready"] img');

test('with a secret, images upload and show with the page\'s tokens, through their expiry, and stay private', async ({ browser, docName, request }) => {
  const ada = await (await browser.newContext()).newPage();
  const vic = await (await browser.newContext()).newPage();
  await open(ada, stack().editPath(docName));
  await ada.locator('.ProseMirror').click();
  await pastePng(ada, '#3e63dd');
  await expect(loaded(ada)).toHaveCount(1);

  await open(vic, stack().viewPath(docName));
  await expect(loaded(vic)).toHaveCount(1);

  // After the tokens the pages started with have expired, a new image still goes up and reaches the viewer.
  await ada.waitForTimeout((TTL + 1) * 1000);
  await pastePng(ada, '#e5484d');
  await expect(loaded(ada)).toHaveCount(2);
  await expect(loaded(vic)).toHaveCount(2);

  // Nobody without a token gets the file or the export.
  const src = await ada.evaluate(() => JSON.stringify((document.querySelector('.ProseMirror') as HTMLElement & { pmViewDesc?: { node: { toJSON(): unknown } } }).pmViewDesc!.node.toJSON()));
  const id = /tandem-file:([0-9a-f]{64})/.exec(src)![1]!;
  const httpUrl = stack().syncUrl.replace(/^ws/, 'http');
  expect((await request.get(`${httpUrl}/api/docs/${docName}/files/${id}`)).status()).toBe(401);
  expect((await request.get(`${httpUrl}/api/docs/${docName}/export?format=md`)).status()).toBe(401);

  // The viewer may export, with the image in it.
  await vic.getByTestId('file-menu').click();
  const [download] = await Promise.all([vic.waitForEvent('download'), vic.getByTestId('export-md').click()]);
  expect(await readFile(await download.path(), 'utf8')).toMatch(/!\[\]\(data:image\/png;base64,/);
  await vic.context().close();
  await ada.context().close();
});
