import type { Browser, Page } from '@playwright/test';
import { expect, test, TYPING_DELAY } from '../support/fixtures.js';

/** Open `/d/<docName>` in a fresh context (empty localStorage, as for someone who has never been here), run `visit`, close it. */
async function firstVisit(browser: Browser, appUrl: string, docName: string, visit: (page: Page) => Promise<void>): Promise<void> {
  const context = await browser.newContext({ baseURL: appUrl });
  try {
    const page = await context.newPage();
    await page.goto(`/d/${docName}`);
    await page.locator('.ProseMirror').waitFor();
    await visit(page);
  } finally {
    await context.close();
  }
}

/** The name this browser remembers (the app invents one on a first visit). */
const storedName = async (page: Page): Promise<string | undefined> =>
  page.evaluate(() => (JSON.parse(localStorage.getItem('tandem:user') ?? '{}') as { name?: string }).name);

test('a first visit: what the person types at once goes into the document, not into their name', async ({ browser, stack, docName }) => {
  await firstVisit(browser, stack.appUrl, docName, async (page) => {
    const editor = page.locator('.ProseMirror');
    const invented = await storedName(page);
    expect(invented).toBeTruthy();
    // Type at once, without clicking anywhere.
    await page.keyboard.type('Meeting notes', { delay: TYPING_DELAY });
    await page.keyboard.press('Enter');
    await page.keyboard.type('Agenda', { delay: TYPING_DELAY });
    await expect(editor.locator('p')).toHaveText(['Meeting notes', 'Agenda']);
    await expect(page.getByTestId('status')).toHaveText('All changes saved');
    expect(await storedName(page)).toBe(invented);
    await expect(page.getByTestId('identity')).toContainText(invented!);
    await expect(page.getByRole('dialog')).toHaveCount(0);
    // The invitation to pick a name is on screen, and did not take the keystrokes.
    const hint = page.getByTestId('identity-hint');
    await expect(hint).toBeVisible();
    await expect(hint).toContainText(invented!);
  });
});

test('a first visit: the invitation to pick a name is reachable by keyboard, and a new name is remembered', async ({ browser, stack, docName }) => {
  await firstVisit(browser, stack.appUrl, docName, async (page) => {
    await expect(page.locator('.ProseMirror')).toBeFocused();
    // Shift+Tab from the text reaches the invitation's button.
    const change = page.getByTestId('identity-hint').getByRole('button', { name: 'Change name' });
    for (let i = 0; i < 12 && !(await change.evaluate((el) => el === document.activeElement)); i++) await page.keyboard.press('Shift+Tab');
    await expect(change).toBeFocused();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Your name and colour' });
    await expect(dialog.getByLabel('Your name')).toBeFocused();
    await page.keyboard.type('Grace');
    await page.keyboard.press('Enter');
    await expect(dialog).toBeHidden();
    await expect(page.getByTestId('identity')).toContainText('Grace');
    await expect(page.getByTestId('identity-hint')).toHaveCount(0);
    await page.reload();
    await page.locator('.ProseMirror').waitFor();
    await expect(page.getByTestId('identity')).toContainText('Grace');
    await expect(page.getByTestId('identity-hint')).toHaveCount(0);
    expect(await storedName(page)).toBe('Grace');
  });
});

test('a first visit: the invitation can be dismissed, keeping the invented name', async ({ browser, stack, docName }) => {
  await firstVisit(browser, stack.appUrl, docName, async (page) => {
    const invented = await storedName(page);
    await page.getByTestId('identity-hint').getByRole('button', { name: 'Keep this name' }).click();
    await expect(page.getByTestId('identity-hint')).toHaveCount(0);
    await expect(page.locator('.ProseMirror')).toBeFocused();
    expect(await storedName(page)).toBe(invented);
  });
});
