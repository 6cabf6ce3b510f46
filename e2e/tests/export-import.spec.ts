import { readFile } from 'node:fs/promises';
import type { Page } from '@playwright/test';
import { docxToHtml } from '@tandem/document';
import { expect, test, type Person } from '../support/fixtures.js';
import { pastePng } from '../support/images.js';

/** Write a titled document with a heading, bold text, a list and a pasted picture. */
async function writeDocument(ada: Person): Promise<void> {
  await ada.page.getByTestId('title').fill('Launch plan');
  await ada.editor.click();
  const type = (text: string) => ada.page.keyboard.type(text, { delay: 5 });
  await type('# Goals\nShip the ');
  await ada.page.keyboard.press('Control+b');
  await type('first');
  await ada.page.keyboard.press('Control+b');
  await type(' release.\n- one\ntwo\n\n');
  await pastePng(ada.page, '#17181c', { name: 'chart.png' });
  await expect(ada.editor.locator('.tandem-image[data-phase="ready"]')).toHaveCount(1);
  await expect(ada.page.getByTestId('status')).toHaveText('All changes saved');
}

/** Export from the page's menu; the downloaded file's name and path. */
async function exportAs(page: Page, format: 'md' | 'html' | 'docx'): Promise<{ name: string; path: string }> {
  await page.getByTestId('file-menu').click();
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId(`export-${format}`).click()]);
  return { name: download.suggestedFilename(), path: await download.path() };
}

/** What an imported document must hold: the heading, the bold word, the list and the picture, loaded. */
async function expectImported(page: Page): Promise<void> {
  const editor = page.locator('.ProseMirror');
  await expect(editor.locator('h1')).toHaveText('Goals');
  await expect(editor.locator('strong')).toHaveText('first');
  await expect(editor.locator('ul li')).toHaveText(['one', 'two']);
  await expect(editor.locator('.tandem-image[data-phase="ready"] img')).toHaveCount(1);
  await expect.poll(() => editor.locator('.tandem-image img').evaluate((img) => (img as HTMLImageElement).naturalWidth)).toBe(40);
}

test.describe('export and import', () => {
  test('Markdown and Word downloaded from the menu hold the document, and each imports back as a new document', async ({ person, docName }) => {
    const ada = await person('Ada');
    await ada.open(docName);
    await writeDocument(ada);

    const markdown = await exportAs(ada.page, 'md');
    expect(markdown.name).toBe('Launch plan.md');
    const text = await readFile(markdown.path, 'utf8');
    expect(text).toContain('# Goals');
    expect(text).toContain('Ship the **first** release.');
    expect(text).toMatch(/- one\n\n?- two/);
    expect(text).toMatch(/!\[\]\(data:image\/png;base64,[A-Za-z0-9+/=]+\)/);

    const word = await exportAs(ada.page, 'docx');
    expect(word.name).toBe('Launch plan.docx');
    const { html } = await docxToHtml(new Uint8Array(await readFile(word.path)));
    expect(html).toContain('<h1>Goals</h1>');
    expect(html).toContain('Ship the <strong>first</strong> release.');
    expect(html).toContain('<li>one</li><li>two</li>');
    expect(html).toMatch(/<img src="data:image\/png;base64,/);

    for (const file of [markdown, word]) {
      await ada.page.goto('/');
      await ada.page.getByTestId('import-document-input').setInputFiles({ name: file.name, mimeType: 'application/octet-stream', buffer: await readFile(file.path) });
      await expect(ada.page).toHaveURL(/\/d\/[a-z0-9]+$/);
      await expectImported(ada.page);
      await expect(ada.page.getByTestId('title')).toHaveValue('Launch plan');
      await expect(ada.page.getByTestId('status')).toHaveText('All changes saved');
      // And it is stored: a reload shows the same.
      await ada.page.reload();
      await expectImported(ada.page);
    }
  });

  test('a file imported from the editor goes in at the cursor, for the other person too; HTML is sanitised', async ({ person, docName }) => {
    const ada = await person('Ada');
    const bob = await person('Bob');
    await ada.open(docName);
    await bob.open(docName);
    await ada.editor.click();
    await ada.page.keyboard.type('Intro.');
    await ada.page.getByTestId('file-menu').click();
    const page = '<html><head><title>Notes</title><script>window.pwned = 1</script></head><body><h2 onclick="window.pwned = 2">Imported</h2><p>Text <a href="javascript:window.pwned=3">bad link</a> <img src="x" onerror="window.pwned = 4"></p></body></html>';
    await ada.page.getByTestId('import-into-input').setInputFiles({ name: 'notes.html', mimeType: 'text/html', buffer: Buffer.from(page) });
    await expect(bob.editor.locator('h2')).toHaveText('Imported');
    await expect(bob.editor).toContainText('Intro.');
    await expect(bob.editor.locator('a')).toHaveCount(0);
    await expect(ada.page.locator('.file-message')).toContainText('An image was left out');
    expect(await ada.page.evaluate(() => (window as { pwned?: number }).pwned)).toBeUndefined();
    expect(await bob.page.evaluate(() => (window as { pwned?: number }).pwned)).toBeUndefined();
  });

  test('a view-only page exports but offers no import', async ({ person, docName }) => {
    const ada = await person('Ada');
    await ada.open(docName);
    await ada.editor.click();
    await ada.page.keyboard.type('Read me.');
    await expect(ada.page.getByTestId('status')).toHaveText('All changes saved');
    const vic = await person('Vic');
    await vic.page.goto(`/v/${docName}`);
    await expect(vic.editor).toHaveText('Read me.');
    const exported = await exportAs(vic.page, 'html');
    expect(await readFile(exported.path, 'utf8')).toContain('<p>Read me.</p>');
    await expect(vic.page.getByTestId('import-into')).toHaveCount(0);
  });
});
