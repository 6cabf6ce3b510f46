import { test as base, expect, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { authStackForFile } from '../support/authStack.js';
import { REPO_ROOT } from '../support/processes.js';
import { TYPING_DELAY } from '../support/fixtures.js';

/**
 * Revoking one document's share links from the Share menu (issue 18), in auth mode: the old link
 * stops opening the document at once and its open pages are told; the document's other link and
 * other documents' links go on.
 */
const stack = authStackForFile(900);

interface Person {
  context: BrowserContext;
  page: Page;
  editor: ReturnType<Page['locator']>;
  open(path: string): Promise<void>;
}

const test = base.extend<{ docName: string; person: (name: string) => Promise<Person> }>({
  docName: async ({}, use, testInfo) => use(`links-${testInfo.testId.slice(0, 8)}-${Date.now().toString(36)}`),
  person: async ({ browser }, use) => {
    const people: Person[] = [];
    await use(async (name) => {
      const p = await makePerson(browser, name);
      people.push(p);
      return p;
    });
    await Promise.all(people.map((p) => p.context.close()));
  },
});

async function makePerson(browser: Browser, name: string): Promise<Person> {
  const context = await browser.newContext({ baseURL: stack().appUrl });
  await context.addInitScript((n) => window.localStorage.setItem('tandem:user', JSON.stringify({ name: n, color: '#3e63dd' })), name);
  const page = await context.newPage();
  return {
    context,
    page,
    editor: page.locator('.ProseMirror'),
    async open(path) {
      const response = await page.goto(path);
      expect(response?.status()).toBe(200);
      await expect(page.getByTestId('status')).toHaveAttribute('data-state', 'saved', { timeout: 15_000 });
    },
  };
}

/** What `npm run links` prints for `docName` against the stack. */
function printedLinks(docName: string): string {
  return execFileSync(process.execPath, [join(REPO_ROOT, 'app/scripts/links.mjs'), '--url', stack().appUrl, docName], {
    env: { ...process.env, TANDEM_AUTH_SECRET: stack().secret, NEXT_PUBLIC_SYNC_URL: stack().syncUrl },
    encoding: 'utf8',
  });
}

test('resetting the view-only link: its readers are told, the old link is refused, the new one and everything else still open', async ({ person, docName }) => {
  const ada = await person('Ada');
  await ada.open(stack().editPath(docName));
  await ada.editor.click();
  await ada.page.keyboard.type('Shared with care', { delay: TYPING_DELAY });
  const viola = await person('Viola');
  const oldView = stack().viewPath(docName);
  await viola.open(oldView);
  await expect(viola.editor).toHaveText('Shared with care');
  const victor = await person('Victor');
  const otherView = stack().viewPath(`${docName}-other`);
  await victor.open(otherView);

  await ada.page.getByTestId('share').click();
  await expect(ada.page.getByTestId('share-view-link')).toHaveValue(`${stack().appUrl}${oldView}`);
  await ada.page.getByTestId('share-reset-view').click();
  await expect(ada.page.getByTestId('confirm-dialog')).toContainText('stops working at once');
  await ada.page.getByTestId('confirm').click();
  const newViewUrl = ada.page.getByTestId('share-view-link');
  await expect(newViewUrl).not.toHaveValue(`${stack().appUrl}${oldView}`);
  const newView = (await newViewUrl.inputValue()).slice(stack().appUrl.length);
  expect(newView).toMatch(new RegExp(`^/v/${docName}\\?key=[A-Za-z0-9_-]{22}$`));
  await expect(ada.page.getByTestId('share-edit-link')).toHaveValue(`${stack().appUrl}${stack().editPath(docName)}`);

  // The reader on the old link is disconnected and told why.
  await expect(viola.page.getByTestId('document-gone')).toHaveAttribute('data-reason', 'revoked');
  await expect(viola.editor).toHaveAttribute('contenteditable', 'false');
  // The old link opens nothing; the new one does.
  expect((await viola.page.goto(oldView))?.status()).toBe(403);
  await viola.open(newView);
  await expect(viola.editor).toHaveText('Shared with care');
  expect(printedLinks(docName)).toContain(`view: ${stack().appUrl}${newView}`);

  // The editor and the other document's reader never noticed.
  await ada.page.keyboard.press('Escape');
  await ada.editor.click();
  await ada.page.keyboard.press('End');
  await ada.page.keyboard.type(', still', { delay: TYPING_DELAY });
  await expect(viola.editor).toHaveText('Shared with care, still');
  await expect(victor.page.getByTestId('status')).toHaveAttribute('data-state', 'saved');
  await expect(victor.page.getByTestId('document-gone')).toHaveCount(0);
  expect((await victor.page.goto(otherView))?.status()).toBe(200);
});

test('resetting the edit link: this page moves to the new link, other editors on the old one are told and refused', async ({ person, docName }) => {
  const ada = await person('Ada');
  const oldEdit = stack().editPath(docName);
  await ada.open(oldEdit);
  const bob = await person('Bob');
  await bob.open(oldEdit);

  await ada.page.getByTestId('share').click();
  await ada.page.getByTestId('share-reset-edit').click();
  await ada.page.getByTestId('confirm').click();
  await expect(ada.page).not.toHaveURL(`${stack().appUrl}${oldEdit}`);
  await expect(ada.page.getByTestId('status')).toHaveAttribute('data-state', 'saved', { timeout: 15_000 });
  await ada.editor.click();
  await ada.page.keyboard.type('After the reset', { delay: TYPING_DELAY });
  await expect(ada.page.getByTestId('status')).toHaveText('All changes saved');

  await expect(bob.page.getByTestId('document-gone')).toHaveAttribute('data-reason', 'revoked');
  expect((await bob.page.goto(oldEdit))?.status()).toBe(403);
  await bob.open(new URL(ada.page.url()).pathname + new URL(ada.page.url()).search);
  await expect(bob.editor).toHaveText('After the reset');
});
