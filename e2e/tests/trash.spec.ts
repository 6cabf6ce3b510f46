import type { Page } from '@playwright/test';
import { expect, test, TYPING_DELAY } from '../support/fixtures.js';

/**
 * Deleting documents in Chromium (issue 18): from the list while someone has the document open,
 * from the editor, restoring from the Trash and from the deleted notice, deleting for good.
 */

/** Page errors of `page`, collected from now on: deleting a document must crash nothing. */
function pageErrors(page: Page): Error[] {
  const errors: Error[] = [];
  page.on('pageerror', (error) => errors.push(error));
  return errors;
}

/** Open the list and find the row of `docName` (after its summary reached the listing). */
async function listRow(page: Page, docName: string) {
  await expect(async () => {
    await page.goto('/');
    await expect(page.locator(`.doc-list-item[data-item="${docName}"]`)).toBeVisible({ timeout: 1000 });
  }).toPass({ timeout: 10_000 });
  return page.locator(`.doc-list-item[data-item="${docName}"]`);
}

test('deleting from the list while another person has the document open: they are told, nothing crashes, and the Trash restores it whole', async ({ person, docName }) => {
  const ada = await person('Ada');
  const errors = pageErrors(ada.page);
  await ada.open(docName);
  await ada.page.getByTestId('title').fill('Doomed plans');
  await ada.editor.click();
  await ada.page.keyboard.type('Words worth keeping.', { delay: TYPING_DELAY });
  await expect(ada.page.getByTestId('status')).toHaveText('All changes saved');

  const owner = await person('Olga');
  const row = await listRow(owner.page, docName);
  await expect(row.getByTestId('doc-title')).toHaveText('Doomed plans');
  await row.getByTestId('doc-actions').click();
  await owner.page.getByRole('menuitem', { name: 'Move to trash' }).click();
  await owner.page.getByTestId('confirm').click();
  await expect(owner.page.locator(`.doc-list-item[data-item="${docName}"]`)).toHaveCount(0);

  const notice = ada.page.getByTestId('document-gone');
  await expect(notice).toHaveAttribute('data-reason', 'deleted');
  await expect(notice).toContainText('This document was deleted');
  await expect(ada.editor).toHaveAttribute('contenteditable', 'false');
  await expect(ada.editor).toContainText('Words worth keeping.');
  expect(errors).toEqual([]);

  await owner.page.getByTestId('trash-link').click();
  const trashed = owner.page.locator(`.trash-item[data-doc="${docName}"]`);
  await expect(trashed.getByTestId('doc-title')).toHaveText('Doomed plans');
  await expect(trashed).toContainText('Deleted just now by Olga');
  await trashed.getByTestId('restore').click();
  await expect(trashed).toHaveCount(0);

  await ada.page.reload();
  await expect(ada.page.getByTestId('status')).toHaveText('All changes saved');
  await expect(ada.editor).toHaveText('Words worth keeping.');
  await expect(ada.page.getByTestId('title')).toHaveValue('Doomed plans');
  await listRow(owner.page, docName);
  expect(errors).toEqual([]);
});

test('moving a document to the trash from the editor, then restoring it from the notice', async ({ person, docName }) => {
  const ada = await person('Ada');
  await ada.open(docName);
  await ada.editor.click();
  await ada.page.keyboard.type('Second thoughts.', { delay: TYPING_DELAY });
  await expect(ada.page.getByTestId('status')).toHaveText('All changes saved');

  await ada.page.getByTestId('document-menu').click();
  await ada.page.getByRole('menuitem', { name: 'Move to trash' }).click();
  await ada.page.getByTestId('confirm').click();
  await expect(ada.page.getByTestId('document-gone')).toHaveAttribute('data-reason', 'deleted');

  // A fresh page of the trashed document says so, with a way back.
  const bob = await person('Bob');
  await bob.page.goto(`/d/${docName}`);
  await expect(bob.page.getByTestId('deleted-document')).toContainText('It was moved to the trash by Ada');

  await ada.page.getByTestId('document-gone').getByTestId('restore').click();
  await expect(ada.page.getByTestId('status')).toHaveText('All changes saved');
  await expect(ada.editor).toHaveText('Second thoughts.');
  await expect(ada.page.getByTestId('document-gone')).toHaveCount(0);
});

test('deleting for good from the Trash, after asking', async ({ person, docName }) => {
  const ada = await person('Ada');
  await ada.open(docName);
  await ada.editor.click();
  await ada.page.keyboard.type('Gone soon.', { delay: TYPING_DELAY });
  await expect(ada.page.getByTestId('status')).toHaveText('All changes saved');
  const row = await listRow(ada.page, docName);
  await row.getByTestId('doc-actions').click();
  await ada.page.getByRole('menuitem', { name: 'Move to trash' }).click();
  await ada.page.getByTestId('confirm').click();
  await expect(row).toHaveCount(0);

  await ada.page.goto('/trash');
  const trashed = ada.page.locator(`.trash-item[data-doc="${docName}"]`);
  await trashed.getByTestId('delete-for-good').click();
  await expect(ada.page.getByTestId('confirm-dialog')).toContainText('This cannot be undone');
  await ada.page.getByTestId('confirm').click();
  await expect(trashed).toHaveCount(0);

  // The name is free again, and holds nothing (for a browser that kept no copy of its own).
  const bob = await person('Bob');
  await bob.open(docName);
  await expect(bob.editor).toHaveText('');
});
