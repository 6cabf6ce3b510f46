import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect, test, TYPING_DELAY } from '../support/fixtures.js';

/**
 * Dark mode (issue 18): the pages follow the system setting, the theme button pins light or dark
 * (remembered), and neither theme has a colour-contrast violation (axe-core) on the document list,
 * the editor (with someone else's cursor in it), its menus, or the trash.
 */

/** The colour-contrast violations axe finds on the page now, as readable lines. */
async function contrastProblems(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withRules(['color-contrast']).analyze();
  return results.violations.flatMap((violation) => violation.nodes.map((node) => `${node.target.join(' ')}: ${node.failureSummary?.replace(/\s+/g, ' ')}`));
}

/** The page's background colour (resolved): dark or light. */
const background = (page: Page) => page.evaluate(() => getComputedStyle(document.body).backgroundColor);

for (const scheme of ['light', 'dark'] as const) {
  test(`${scheme}: the list, the editor with a remote cursor, its menu and the trash pass axe's contrast check`, async ({ browser, person, docName, stack }, testInfo) => {
    const bob = await person('Bob Marley', '#ffc53d');
    await bob.open(docName);
    await bob.page.getByTestId('title').fill('Contrast check');
    await bob.editor.click();
    await bob.page.keyboard.type('Some text with **bold** and a cursor.', { delay: TYPING_DELAY });
    await expect(bob.page.getByTestId('status')).toHaveText('All changes saved');

    const context = await browser.newContext({ baseURL: stack.appUrl, colorScheme: scheme });
    await context.addInitScript(() => localStorage.setItem('tandem:user', JSON.stringify({ name: 'Ada Lovelace', color: '#3e63dd' })));
    const page = await context.newPage();
    await page.goto('/');
    expect(await background(page)).toBe(scheme === 'dark' ? 'rgb(22, 23, 27)' : 'rgb(255, 255, 255)');
    expect(await contrastProblems(page)).toEqual([]);
    await page.screenshot({ path: testInfo.outputPath(`list-${scheme}.png`) });

    await page.goto(`/d/${docName}`);
    await expect(page.getByTestId('status')).toHaveText('All changes saved');
    await expect(page.locator('.tandem-cursor[data-name="Bob Marley"]')).toBeVisible();
    expect(await contrastProblems(page)).toEqual([]);
    await page.screenshot({ path: testInfo.outputPath(`editor-${scheme}.png`) });
    await page.getByTestId('document-menu').click();
    expect(await contrastProblems(page)).toEqual([]);
    await page.keyboard.press('Escape');

    await page.goto('/trash');
    expect(await contrastProblems(page)).toEqual([]);
    await context.close();
  });
}

test('the theme button pins a theme, remembered across pages, and back to the system', async ({ person }) => {
  const ada = await person('Ada');
  await ada.page.emulateMedia({ colorScheme: 'light' });
  await ada.page.goto('/');
  const toggle = ada.page.getByTestId('theme-toggle');
  await expect(toggle).toHaveAttribute('data-choice', 'system');
  await toggle.click();
  await expect(toggle).toHaveAttribute('data-choice', 'light');
  await toggle.click();
  await expect(toggle).toHaveAttribute('data-choice', 'dark');
  expect(await background(ada.page)).toBe('rgb(22, 23, 27)');
  // Remembered: the server renders the next page dark from its first byte, whatever the system says.
  const response = await ada.page.goto('/trash');
  expect(await response?.text()).toContain('data-theme="dark"');
  expect(await background(ada.page)).toBe('rgb(22, 23, 27)');
  await ada.page.getByTestId('theme-toggle').click();
  await expect(ada.page.getByTestId('theme-toggle')).toHaveAttribute('data-choice', 'system');
  expect(await background(ada.page)).toBe('rgb(255, 255, 255)');
  await ada.page.reload();
  await expect(ada.page.getByTestId('theme-toggle')).toHaveAttribute('data-choice', 'system');
});

test('on a phone the document header and its panels fit with four other people in it, and the theme is in the ⋯ menu', async ({ browser, person, docName, stack }) => {
  for (const name of ['Ann', 'Ben', 'Cy', 'Di']) await (await person(name)).open(docName);
  const context = await browser.newContext({ baseURL: stack.appUrl, viewport: { width: 390, height: 800 }, colorScheme: 'light' });
  await context.addInitScript(() => localStorage.setItem('tandem:user', JSON.stringify({ name: 'Ada Lovelace', color: '#3e63dd' })));
  const page = await context.newPage();
  await page.goto(`/d/${docName}`);
  await expect(page.getByTestId('presence').locator('li')).toHaveCount(4);
  // Every control of the header is on screen, and none covers the logo.
  const boxes = await page.evaluate(() => {
    const box = (element: Element) => element.getBoundingClientRect();
    return { logoRight: box(document.querySelector('.topbar-start > *')!).right, controls: Array.from(document.querySelectorAll('.topbar-end > *')).filter((e) => box(e).width > 1).map((e) => ({ name: e.className, left: box(e).left, right: box(e).right })) };
  });
  for (const control of boxes.controls) {
    expect(control.left, control.name).toBeGreaterThanOrEqual(boxes.logoRight);
    expect(control.right, control.name).toBeLessThanOrEqual(390);
  }
  await expect(page.getByTestId('theme-toggle')).toBeHidden();
  await page.getByTestId('document-menu').click();
  await page.getByRole('menuitem', { name: /Change theme/ }).click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  await page.getByTestId('document-menu').click();
  await page.getByRole('menuitem', { name: /Change theme/ }).click();
  expect(await background(page)).toBe('rgb(22, 23, 27)');
  // The panels the header's buttons open are on screen too (Export's began 10 px off the left edge).
  for (const [button, panel] of [['file-menu', '.file-panel'], ['identity', '.identity-panel']] as const) {
    await page.getByTestId(button).click();
    const box = (await page.locator(panel).boundingBox())!;
    expect(box.x, panel).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width, panel).toBeLessThanOrEqual(390);
    await page.keyboard.press('Escape');
    await expect(page.locator(panel)).toBeHidden();
  }
  await context.close();
});
