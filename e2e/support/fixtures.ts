import { test as base, expect, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { readState, type E2EState } from './processes.js';

export { expect };

/** A person in their own browser context (own storage, own socket), with a name and colour. */
export interface Person {
  name: string;
  context: BrowserContext;
  page: Page;
  /** The editable text. */
  editor: ReturnType<Page['locator']>;
  /** Open `/d/<docName>` and wait until the document is loaded from the server. */
  open(docName: string): Promise<void>;
  /** The document's text as this person sees it (block texts joined, cursors excluded). */
  text(): Promise<string>;
}

export async function makePerson(browser: Browser, appUrl: string, name: string, color: string): Promise<Person> {
  const context = await browser.newContext({ baseURL: appUrl });
  await context.addInitScript(([n, c]) => window.localStorage.setItem('tandem:user', JSON.stringify({ name: n, color: c })), [name, color]);
  const page = await context.newPage();
  const editor = page.locator('.ProseMirror');
  return {
    name,
    context,
    page,
    editor,
    async open(docName) {
      await page.goto(`/d/${docName}`);
      await expect(page.getByTestId('status')).toHaveText('All changes saved');
    },
    text: () => editor.evaluate((el) => el.textContent ?? ''),
  };
}

type Fixtures = {
  stack: E2EState;
  docName: string;
  person: (name: string, color?: string) => Promise<Person>;
};

let docCounter = 0;

export const test = base.extend<Fixtures>({
  stack: async ({}, use) => use(readState()),
  docName: async ({}, use, testInfo) => {
    await use(`e2e-${testInfo.workerIndex}-${Date.now().toString(36)}-${++docCounter}`);
  },
  person: async ({ browser, stack }, use) => {
    const people: Person[] = [];
    const colors = ['#3e63dd', '#e5484d', '#30a46c', '#8e4ec6'];
    await use(async (name, color) => {
      const p = await makePerson(browser, stack.appUrl, name, color ?? colors[people.length % colors.length]!);
      people.push(p);
      return p;
    });
    await Promise.all(people.map((p) => p.context.close()));
  },
});

/** Keystrokes at a brisk human pace (well under the server's per-connection message limit). */
export const TYPING_DELAY = 15;

/** True when `needle`'s characters appear in `haystack` in order (not necessarily together). */
export function isSubsequence(needle: string, haystack: string): boolean {
  let i = 0;
  for (const char of haystack) if (char === needle[i]) i++;
  return i === needle.length;
}
