import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test, TYPING_DELAY } from '../support/fixtures.js';
import { REPO_ROOT } from '../support/processes.js';

/** Rich documents (issue 17): pasted tables and office documents, task lists, find, links — with two people and a viewer. */

/** Our own crafted copy of what Google Docs puts on the clipboard (the document package's fixture). */
const GOOGLE_DOCS = readFileSync(join(REPO_ROOT, 'packages/document/fixtures/clipboard/google-docs.html'), 'utf8');

/** Paste as the browser does on Ctrl+V: a paste event on the focused editor carrying a DataTransfer. */
async function paste(page: Page, data: { html?: string; text?: string }): Promise<void> {
  await page.locator('.ProseMirror').evaluate((editor, { html, text }) => {
    const transfer = new DataTransfer();
    if (html) transfer.setData('text/html', html);
    if (text) transfer.setData('text/plain', text);
    editor.dispatchEvent(new ClipboardEvent('paste', { clipboardData: transfer, bubbles: true, cancelable: true }));
  }, data);
}

/** The text of each cell, row by row, of the first table `page` shows. */
const cells = (page: Page) =>
  page.locator('.ProseMirror table').first().evaluate((table) => Array.from(table.querySelectorAll('tr'), (row) => Array.from(row.querySelectorAll('td, th'), (cell) => cell.textContent)));

test('a table pasted from a web page keeps its rows and cells, for the other person too', async ({ person, docName }) => {
  const ada = await person('Ada');
  const bob = await person('Bob');
  await ada.open(docName);
  await bob.open(docName);
  await ada.editor.click();
  await paste(ada.page, {
    html: '<table><thead><tr><th>Name</th><th>Qty</th></tr></thead><tbody><tr><td>Apples</td><td>3</td></tr><tr><td>Pears</td><td>5</td></tr></tbody></table>',
    text: 'Name\tQty\nApples\t3\nPears\t5',
  });
  const expected = [['Name', 'Qty'], ['Apples', '3'], ['Pears', '5']];
  await expect.poll(() => cells(ada.page)).toEqual(expected);
  await expect.poll(() => cells(bob.page)).toEqual(expected);
  await expect(bob.editor.locator('th')).toHaveCount(2);
  await expect(bob.editor.locator('tr')).toHaveCount(3);
});

test('a Google Docs clipboard keeps headings, nested lists, the table, the checklist and the formatting', async ({ person, docName }) => {
  const ada = await person('Ada');
  const bob = await person('Bob');
  await ada.open(docName);
  await bob.open(docName);
  await ada.editor.click();
  await paste(ada.page, { html: GOOGLE_DOCS, text: 'Quarterly plan' });
  for (const { editor } of [ada, bob]) {
    await expect(editor.locator('h1')).toHaveText('Quarterly plan');
    await expect(editor.locator('strong')).toContainText(['on time']);
    await expect(editor.locator('em')).toHaveText('carefully');
    await expect(editor.locator('u')).toHaveText('together');
    await expect(editor.locator('mark')).toHaveText(' (really)');
    await expect(editor.locator('a[href="https://example.com/roadmap"]')).toHaveText('the roadmap');
    await expect(editor.locator('ul:not([data-task-list]) ul li')).toHaveText(['Sketches', 'Review']);
    await expect(editor.locator('table tr')).toHaveCount(2);
    await expect(editor.locator('li[data-checked="true"]')).toHaveText('Book the room');
    // Google Docs' wrapper is not bold: the plain words are not.
    await expect(editor.locator('p', { hasText: 'We ship' }).locator('strong')).toHaveText('on time');
  }
});

test('Markdown pasted as plain text becomes headings, lists, tasks and tables', async ({ person, docName }) => {
  const ada = await person('Ada');
  await ada.open(docName);
  await ada.editor.click();
  await paste(ada.page, { text: '## Launch\n\n- [ ] write notes\n- [x] **book** room\n\n| who | what |\n|---|---|\n| Ada | docs |' });
  await expect(ada.editor.locator('h2')).toHaveText('Launch');
  await expect(ada.editor.locator('li[data-task]')).toHaveCount(2);
  await expect(ada.editor.locator('li[data-checked="true"] strong')).toHaveText('book');
  await expect.poll(() => cells(ada.page)).toEqual([['who', 'what'], ['Ada', 'docs']]);
});

test('a task ticked by one person is ticked for the other; a viewer sees it and cannot change it', async ({ person, docName }) => {
  const ada = await person('Ada');
  const bob = await person('Bob');
  const viewer = await person('Vera');
  await ada.open(docName);
  await ada.editor.click();
  await ada.page.keyboard.type('[ ] Ship the release', { delay: TYPING_DELAY });
  await bob.open(docName);
  const bobBox = bob.editor.locator('li[data-task] input[type="checkbox"]');
  await expect(bobBox).toBeEnabled();
  await bobBox.click();
  await expect(ada.editor.locator('li[data-task]')).toHaveAttribute('data-checked', 'true');
  await expect(ada.editor.locator('li[data-task] input')).toBeChecked();

  await viewer.page.goto(`/v/${docName}`);
  const viewerBox = viewer.editor.locator('li[data-task] input[type="checkbox"]');
  await expect(viewerBox).toBeChecked();
  await expect(viewerBox).toBeDisabled();
  await viewerBox.click({ force: true });
  await expect(viewerBox).toBeChecked();
  // Keyboard: Mod-Enter in the task unticks it, for everyone but the viewer's own say.
  await ada.editor.locator('li[data-task] p').click();
  await ada.page.keyboard.press('ControlOrMeta+Enter');
  await expect(bob.editor.locator('li[data-task]')).toHaveAttribute('data-checked', 'false');
  await expect(viewerBox).not.toBeChecked();
});

test('two people editing one table at once end with the same table', async ({ person, docName }) => {
  const ada = await person('Ada');
  const bob = await person('Bob');
  await ada.open(docName);
  await bob.open(docName);
  await ada.editor.click();
  await ada.page.locator('[data-command="table"]').click();
  await expect(bob.editor.locator('table tr')).toHaveCount(3);
  await bob.editor.locator('tr').nth(2).locator('td').last().click();
  // Ada fills the header row while Bob types in the last cell and Tabs out of it, which adds a row.
  /** Type the words into cell after cell, pressing Tab between them. */
  const fill = async (page: Page, words: string[]) => {
    for (const [i, word] of words.entries()) {
      if (i > 0) await page.keyboard.press('Tab');
      await page.keyboard.type(word, { delay: TYPING_DELAY });
    }
  };
  await Promise.all([fill(ada.page, ['Name', 'Qty', 'Price']), fill(bob.page, ['9.50', 'Total'])]);
  const expected = [['Name', 'Qty', 'Price'], ['', '', ''], ['', '', '9.50'], ['Total', '', '']];
  await expect.poll(() => cells(ada.page)).toEqual(expected);
  await expect.poll(() => cells(bob.page)).toEqual(expected);
});

test('Mod-F in the editor opens the find bar: count, next/previous, Esc; elsewhere it is the browser’s', async ({ person, docName }) => {
  const ada = await person('Ada');
  await ada.open(docName);
  await ada.editor.click();
  await ada.page.keyboard.type('one fish two fish red fish', { delay: 5 });
  const bar = ada.page.locator('.tandem-find');
  await expect(bar).toBeHidden();
  await ada.page.keyboard.press('ControlOrMeta+f');
  await expect(bar).toBeVisible();
  await ada.page.keyboard.type('FISH');
  await expect(bar.locator('.tandem-find-count')).toHaveText('1 of 3');
  await expect(ada.editor.locator('.tandem-find-match')).toHaveCount(3);
  await ada.page.keyboard.press('Enter');
  await expect(bar.locator('.tandem-find-count')).toHaveText('2 of 3');
  await ada.page.keyboard.press('Shift+Enter');
  await ada.page.keyboard.press('Shift+Enter');
  await expect(bar.locator('.tandem-find-count')).toHaveText('3 of 3');
  await ada.page.keyboard.press('Escape');
  await expect(bar).toBeHidden();
  await expect(ada.editor.locator('.tandem-find-match')).toHaveCount(0);
  // Typing goes on where the last match was.
  await expect(ada.editor).toBeFocused();
  // Outside the editor Mod-F is left to the browser.
  await ada.page.locator('body').click({ position: { x: 5, y: 5 } });
  await ada.page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  const prevented = await ada.page.evaluate(() => {
    const event = new KeyboardEvent('keydown', { key: 'f', ctrlKey: true, bubbles: true, cancelable: true });
    document.body.dispatchEvent(event);
    return event.defaultPrevented;
  });
  expect(prevented).toBe(false);
  await expect(bar).toBeHidden();
});

test('the link popover opens, edits and removes a link; Mod-click opens it in a new tab without an opener', async ({ person, docName, stack }) => {
  const ada = await person('Ada');
  await ada.open(docName);
  await ada.editor.click();
  await ada.page.keyboard.type('Read the guide today', { delay: 5 });
  const target = `${stack.appUrl}/`;
  const answers = [target, `${stack.appUrl}/?edited=1`];
  ada.page.on('dialog', (dialog) => void dialog.accept(answers.shift() ?? ''));
  // Select "the guide" and link it.
  await ada.editor.evaluate((el) => {
    const text = el.querySelector('p')!.firstChild!;
    const range = document.createRange();
    range.setStart(text, 5);
    range.setEnd(text, 14);
    getSelection()!.removeAllRanges();
    getSelection()!.addRange(range);
  });
  await ada.page.keyboard.press('ControlOrMeta+k');
  const link = ada.editor.locator('a');
  await expect(link).toHaveText('the guide');
  await link.click();
  const popover = ada.page.locator('.tandem-link-popover');
  await expect(popover).toBeVisible();
  await expect(popover.locator('.tandem-link-address')).toHaveAttribute('href', target);

  // Clicks land on different spots of the link: two quick clicks on one spot are a double click
  // to the browser (three select the paragraph), which is not what this test is about.
  const [popup] = await Promise.all([ada.context.waitForEvent('page'), ada.editor.locator('a').click({ modifiers: ['ControlOrMeta'], position: { x: 4, y: 4 } })]);
  await popup.waitForLoadState('domcontentloaded');
  expect(popup.url()).toBe(target);
  expect(await popup.evaluate(() => window.opener)).toBeNull();
  await popup.close();

  await ada.editor.locator('a').click();
  await popover.getByRole('button', { name: 'Edit' }).click();
  await expect(ada.editor.locator('a')).toHaveAttribute('href', `${stack.appUrl}/?edited=1`);
  // Back in the text, still in the link: the popover stays, showing the new address.
  await expect(popover.locator('.tandem-link-address')).toHaveAttribute('href', `${stack.appUrl}/?edited=1`);
  await popover.getByRole('button', { name: 'Remove' }).click();
  await expect(ada.editor.locator('a')).toHaveCount(0);
  await expect(ada.editor).toHaveText('Read the guide today');
});

/** A document with every kind of content, as HTML on the clipboard. */
const EVERYTHING = `
<h1>Launch plan</h1>
<p>Plain, <strong>bold</strong>, <em>italic</em>, <u>underlined</u>, <s>struck</s>, <mark>highlighted</mark>, <code>code</code>, E = mc<sup>2</sup>, H<sub>2</sub>O and <a href="https://example.com">a link</a>.</p>
<h2>Tasks</h2>
<ul data-task-list><li data-task data-checked="true"><p>Book the venue</p></li><li data-task data-checked="false"><p>Send the invitations</p></li></ul>
<h2>Budget</h2>
<table><tr><th>Item</th><th>Owner</th><th>Quarter</th><th>Cost</th><th>Status</th><th>Notes</th></tr>
<tr><td>Venue</td><td>Ada</td><td>Q1</td><td>4 000</td><td>Booked</td><td>Deposit paid in January</td></tr>
<tr><td>Catering</td><td>Bob</td><td>Q2</td><td>2 500</td><td>Quoted</td><td>Vegetarian options confirmed</td></tr></table>
<h3>Steps</h3>
<ol><li><p>Draft</p><ul><li><p>Outline</p></li></ul></li><li><p>Review</p></li></ol>
<blockquote><p>Ship it when it is ready.</p></blockquote>
<pre><code>npm run build</code></pre>
<hr><p>The end.</p>`;

test('a document with everything, at desktop and phone width: a wide table scrolls inside the text, the page does not', async ({ person, docName }) => {
  const ada = await person('Ada');
  await ada.open(docName);
  await ada.editor.click();
  await paste(ada.page, { html: EVERYTHING });
  await expect(ada.editor.locator('table tr')).toHaveCount(3);
  const dir = process.env.TANDEM_SHOTS_DIR;
  const shot = async (name: string) => {
    if (!dir) return;
    mkdirSync(dir, { recursive: true });
    await ada.page.evaluate(() => window.scrollTo(0, 0));
    await ada.page.screenshot({ path: join(dir, `${name}.png`), animations: 'disabled' });
  };
  for (const width of [1200, 390]) {
    await ada.page.setViewportSize({ width, height: 1500 });
    // Cursor in the table: its controls show in the toolbar.
    await ada.editor.locator('td', { hasText: 'Catering' }).click();
    await expect(ada.page.locator('[data-command="row-after"]')).toBeVisible();
    const overflow = await ada.page.evaluate(() => {
      const wrapper = document.querySelector<HTMLElement>('.tableWrapper')!;
      return { page: document.documentElement.scrollWidth - document.documentElement.clientWidth, table: wrapper.scrollWidth - wrapper.clientWidth };
    });
    expect(overflow.page, `page overflow at ${width}`).toBeLessThanOrEqual(0);
    if (width === 390) expect(overflow.table, 'the table scrolls sideways on a phone').toBeGreaterThan(0);
    await shot(`rich-content-${width}`);
    // The link popover, then the find bar.
    await ada.editor.locator('a', { hasText: 'a link' }).click();
    await expect(ada.page.locator('.tandem-link-popover')).toBeVisible();
    await shot(`rich-link-${width}`);
    await ada.page.keyboard.press('ControlOrMeta+f');
    await ada.page.keyboard.type('the');
    await expect(ada.page.locator('.tandem-find-count')).toHaveText(/of 3$/);
    await shot(`rich-find-${width}`);
    await ada.page.keyboard.press('Escape');
  }
});
