import { chromium } from '@playwright/test';
import { CHROMIUM_LAUNCH_OPTIONS } from '../chromium.mjs';
const appUrl = process.env.APP_URL;
const out = '/tmp/shots';
const browser = await chromium.launch(CHROMIUM_LAUNCH_OPTIONS);
const ctx = async (name, color, width, scheme) => {
  const c = await browser.newContext({ viewport: { width, height: 800 }, colorScheme: scheme });
  await c.addInitScript(([n, col]) => localStorage.setItem('tandem:user', JSON.stringify({ name: n, color: col })), [name, color]);
  return c.newPage();
};
// Seed documents.
const seed = await ctx('Ada Lovelace', '#3e63dd', 1200, 'light');
for (const [i, title] of ['Quarterly planning notes', 'Release checklist', 'Design review', ''].entries()) {
  await seed.goto(`${appUrl}/d/seed-${i}`);
  await seed.getByTestId('status').filter({ hasText: 'All changes saved' }).waitFor();
  if (title) await seed.getByTestId('title').fill(title);
  await seed.locator('.ProseMirror').click();
  await seed.keyboard.type('Some words here. ');
  await seed.getByTestId('status').filter({ hasText: 'All changes saved' }).waitFor();
}
await seed.waitForTimeout(1500);
for (const scheme of ['light', 'dark']) {
  for (const width of [1200, 390]) {
    const p = await ctx('Ada Lovelace', '#3e63dd', width, scheme);
    await p.goto(`${appUrl}/`);
    await p.screenshot({ path: `${out}/list-${scheme}-${width}.png`, fullPage: true });
    await p.goto(`${appUrl}/d/seed-0`);
    await p.getByTestId('status').filter({ hasText: 'All changes saved' }).waitFor();
    await p.screenshot({ path: `${out}/doc-${scheme}-${width}.png` });
    await p.getByTestId('document-menu').click();
    await p.screenshot({ path: `${out}/menu-${scheme}-${width}.png` });
    await p.keyboard.press('Escape');
    await p.keyboard.press('Control+/');
    await p.waitForTimeout(200);
    await p.screenshot({ path: `${out}/help-${scheme}-${width}.png` });
    await p.keyboard.press('Escape');
    await p.goto(`${appUrl}/d/seed-0`);
    await p.getByTestId('status').filter({ hasText: 'All changes saved' }).waitFor();
    await p.getByTestId('document-menu').click();
    await p.getByRole('menuitem', { name: 'Move to trash' }).click();
    await p.screenshot({ path: `${out}/confirm-${scheme}-${width}.png` });
    await p.getByTestId('confirm').click();
    await p.getByTestId('document-gone').waitFor();
    await p.screenshot({ path: `${out}/gone-${scheme}-${width}.png` });
    await p.goto(`${appUrl}/d/seed-0`);
    await p.screenshot({ path: `${out}/deleted-${scheme}-${width}.png` });
    await p.goto(`${appUrl}/trash`);
    await p.screenshot({ path: `${out}/trash-${scheme}-${width}.png`, fullPage: true });
    await p.locator('.trash-item[data-doc="seed-0"]').getByTestId('restore').click();
    await p.locator('.trash-item[data-doc="seed-0"]').waitFor({ state: 'detached' });
    await p.goto(`${appUrl}/`);
    await p.locator('.doc-list-item').first().getByTestId('doc-actions').click();
    await p.screenshot({ path: `${out}/rowmenu-${scheme}-${width}.png` });
    await p.getByRole('menuitem', { name: 'Rename' }).click();
    await p.screenshot({ path: `${out}/rename-${scheme}-${width}.png` });
    await p.context().close();
  }
}
await browser.close();
