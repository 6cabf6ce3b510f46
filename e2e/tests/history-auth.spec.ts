import { test as base, expect, type Browser, type Page } from '@playwright/test';
import { authStackForFile } from '../support/authStack.js';
import { TYPING_DELAY } from '../support/fixtures.js';

/**
 * Version history with TANDEM_AUTH_SECRET: the panel calls the version API through the app with
 * the page's short-lived tokens (4 s here, so they expire and are replaced while the panel is
 * used). The edit link names and restores; the view-only link lists and views only, and its token
 * cannot restore even when asked directly.
 */
const TTL = 4;
const authStack = authStackForFile(TTL);

const test = base.extend<{ docName: string }>({
  docName: async ({}, use, testInfo) => use(`hist-auth-${testInfo.testId.slice(0, 8)}-${Date.now().toString(36)}`),
});

async function open(browser: Browser, name: string, path: string): Promise<Page> {
  const context = await browser.newContext({ baseURL: authStack().appUrl });
  await context.addInitScript((n) => window.localStorage.setItem('tandem:user', JSON.stringify({ name: n, color: '#3e63dd' })), name);
  const page = await context.newPage();
  expect((await page.goto(path))?.status()).toBe(200);
  await expect(page.getByTestId('status')).toHaveAttribute('data-state', /^(saved|synced)$/, { timeout: 15_000 });
  return page;
}

test('the edit link names and restores with its tokens; the view link only reads', async ({ browser, docName, request }) => {
  const stack = authStack();
  const editor = await open(browser, 'Ada', stack.editPath(docName));
  const text = editor.getByRole('textbox', { name: 'Document text' });
  await text.click();
  await editor.keyboard.type('Signed text.', { delay: TYPING_DELAY });
  await editor.getByTestId('history').click();
  await editor.getByTestId('name-version').click();
  await editor.getByTestId('version-label').fill('Signed');
  await editor.keyboard.press('Enter');
  // (Tokens expire every 4 s and close the editor's connection; a document left without one unloads
  // and keeps an automatic version too, so other versions may appear beside the named one.)
  await expect(editor.getByTestId('version-item').filter({ hasText: 'Signed' })).toContainText('Ada');
  await editor.keyboard.press('Escape');
  await text.click();
  await editor.keyboard.press('ControlOrMeta+End');
  await editor.keyboard.type(' Changed later.', { delay: TYPING_DELAY });
  await expect(editor.getByTestId('status')).toHaveText('All changes saved');

  // Past the first token's life: the panel gets a fresh one.
  await editor.waitForTimeout((TTL + 1) * 1000);
  await editor.getByTestId('history').click();
  await editor.getByTestId('version-item').filter({ hasText: 'Signed' }).click();
  await expect(editor.getByTestId('version-preview').locator('del.history-removed')).toHaveText(' Changed later.');
  await editor.getByTestId('restore').click();
  await editor.getByTestId('confirm-restore').click();
  await expect(editor.getByTestId('history-notice')).toContainText('Restored');
  await editor.keyboard.press('Escape');
  await expect(text).toHaveText('Signed text.');

  const viewer = await open(browser, 'Vera', stack.viewPath(docName));
  await viewer.getByTestId('history').click();
  await expect(viewer.getByTestId('version-item').first()).toContainText('Before a restore');
  await viewer.getByTestId('version-item').filter({ hasText: 'Signed' }).click();
  await expect(viewer.getByTestId('restore')).toHaveCount(0);
  await expect(viewer.getByTestId('version-preview')).toContainText('Signed text.');

  // The API through the app: nothing without a token, and a view token cannot restore.
  const versionsPath = `/api/docs/${docName}/versions`;
  expect((await request.get(`${stack.appUrl}${versionsPath}`)).status()).toBe(401);
  const minted = await request.post(`${stack.appUrl}/api/token`, {
    data: { doc: docName, key: new URL(stack.viewPath(docName), stack.appUrl).searchParams.get('key'), access: 'read' },
  });
  const { token } = (await minted.json()) as { token: string };
  const listed = await request.get(`${stack.appUrl}${versionsPath}`, { headers: { authorization: `Bearer ${token}` } });
  expect(listed.status()).toBe(200);
  const [newest] = (await listed.json()) as Array<{ id: string }>;
  const refused = await request.post(`${stack.appUrl}${versionsPath}/${newest!.id}/restore`, { headers: { authorization: `Bearer ${token}` } });
  expect(refused.status()).toBe(403);
  await Promise.all([editor.context().close(), viewer.context().close()]);
});
