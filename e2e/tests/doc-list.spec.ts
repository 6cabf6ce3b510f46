import type { Page } from '@playwright/test';
import { expect, test, TYPING_DELAY } from '../support/fixtures.js';

/** The document list for real use (issue 18): search by title, sort, rename in place, duplicate, who last edited. */

/** A document titled `title`, written by `page`'s person and saved. */
async function writeDocument(page: Page, docName: string, title: string, text: string): Promise<void> {
  await page.goto(`/d/${docName}`);
  await expect(page.getByTestId('status')).toHaveText('All changes saved');
  await page.getByTestId('title').fill(title);
  await page.locator('.ProseMirror').click();
  await page.keyboard.type(text, { delay: TYPING_DELAY });
  await expect(page.getByTestId('status')).toHaveText('All changes saved');
}

/** The titles the list shows now. */
const titles = (page: Page) => page.getByTestId('doc-list').getByTestId('doc-title').allTextContents();

test('search by title, sort by title, and see who last edited', async ({ person, docName }) => {
  const ada = await person('Ada Lovelace');
  const tag = docName.replace(/[^a-z0-9]/gi, '').slice(-6);
  await writeDocument(ada.page, `${docName}-1`, `Zeppelin ${tag} notes`, 'z');
  await writeDocument(ada.page, `${docName}-2`, `apple ${tag} pie`, 'a');
  await writeDocument(ada.page, `${docName}-3`, `Unrelated`, 'u');

  await expect(async () => {
    await ada.page.goto('/');
    await ada.page.getByTestId('doc-search').fill(tag);
    await ada.page.getByTestId('doc-search').press('Enter');
    await expect(ada.page).toHaveURL(new RegExp(`[?&]q=${tag}`));
    expect(await titles(ada.page)).toEqual([`apple ${tag} pie`, `Zeppelin ${tag} notes`]);
  }).toPass({ timeout: 15_000 });

  await ada.page.getByTestId('doc-sort').selectOption('title');
  await expect(ada.page).toHaveURL(/sort=title/);
  expect(await titles(ada.page)).toEqual([`apple ${tag} pie`, `Zeppelin ${tag} notes`]);
  await expect(ada.page.locator(`.doc-list-item[data-item="${docName}-1"]`).getByTestId('doc-editor')).toHaveText(' · edited by Ada Lovelace');

  await ada.page.getByTestId('doc-search').fill(`nothing-called-${tag}`);
  await ada.page.getByTestId('doc-search').press('Enter');
  await expect(ada.page.getByTestId('no-results')).toBeVisible();
});

test('rename in place reaches someone editing the document; duplicate makes a copy', async ({ person, docName }) => {
  const ada = await person('Ada');
  await writeDocument(ada.page, docName, 'First draft', 'Body text');
  const bob = await person('Bob');
  await bob.open(docName);
  await expect(bob.page.getByTestId('title')).toHaveValue('First draft');

  const row = ada.page.locator(`.doc-list-item[data-item="${docName}"]`);
  await expect(async () => {
    await ada.page.goto('/');
    await expect(row).toBeVisible({ timeout: 1000 });
  }).toPass({ timeout: 10_000 });
  await row.getByTestId('doc-actions').click();
  await ada.page.getByRole('menuitem', { name: 'Rename' }).click();
  await expect(row.getByTestId('rename-field')).toBeFocused();
  await row.getByTestId('rename-field').fill('Final version');
  await row.getByTestId('rename-field').press('Enter');
  await expect(row.getByTestId('doc-title')).toHaveText('Final version');
  await expect(bob.page.getByTestId('title')).toHaveValue('Final version');
  await expect(bob.page).toHaveTitle('Final version · Tandem');

  await row.getByTestId('doc-actions').click();
  await ada.page.getByRole('menuitem', { name: 'Duplicate' }).click();
  const copy = ada.page.getByTestId('doc-list').getByTestId('doc-title').filter({ hasText: 'Final version (copy)' });
  await expect(copy).toHaveCount(1);
  await copy.click();
  await expect(ada.page.getByTestId('status')).toHaveText('All changes saved');
  await expect(ada.editor).toHaveText('Body text');
  await expect(ada.page.getByTestId('title')).toHaveValue('Final version (copy)');
});
