import type { Page } from '@playwright/test';
import { expect, test } from '../support/fixtures.js';
import { pastePng } from '../support/images.js';

/** The editor's images that show a loaded picture. */
const shownImages = (page: Page) => page.locator('.ProseMirror .tandem-image[data-phase="ready"] img');

async function expectLoaded(page: Page, count: number): Promise<void> {
  await expect(shownImages(page)).toHaveCount(count);
  await expect
    .poll(() => shownImages(page).evaluateAll((images) => images.every((img) => (img as HTMLImageElement).naturalWidth === 40)))
    .toBe(true);
}

test.describe('images', () => {
  test('a pasted PNG uploads, the other person sees it, and both still see it after a reload', async ({ person, docName }) => {
    const ada = await person('Ada');
    const bob = await person('Bob');
    await ada.open(docName);
    await bob.open(docName);
    await ada.editor.click();
    await ada.page.keyboard.type('Before the chart ');
    await pastePng(ada.page, '#3e63dd');
    await expectLoaded(ada.page, 1);
    await expectLoaded(bob.page, 1);
    // The document holds a reference to the file's hash, never a URL or a token.
    const src = await ada.page.evaluate(() => {
      const view = (document.querySelector('.ProseMirror') as HTMLElement & { pmViewDesc?: { node: { toJSON(): unknown } } }).pmViewDesc!.node;
      return JSON.stringify(view.toJSON());
    });
    expect(src).toMatch(/"src":"tandem-file:[0-9a-f]{64}"/);
    expect(src).not.toMatch(/token|http/);
    await bob.page.reload();
    await expect(bob.page.getByTestId('status')).toHaveText('All changes saved');
    await expectLoaded(bob.page, 1);
    await ada.page.reload();
    await expectLoaded(ada.page, 1);
  });

  test('pasted offline, the image waits in the browser, survives a reload, and uploads when the connection is back', async ({ person, docName }) => {
    const ada = await person('Ada');
    const bob = await person('Bob');
    await ada.open(docName);
    await bob.open(docName);
    await expect(ada.page.locator('html')).toHaveAttribute('data-offline-ready', 'true');
    await ada.editor.click();
    await ada.context.setOffline(true);
    await pastePng(ada.page, '#e5484d');
    // Ada sees her picture at once, marked as waiting.
    const waiting = ada.page.locator('.tandem-image[data-phase="uploading"] .tandem-image-status');
    await expect(waiting).toHaveText('Waiting to upload…');
    await expect.poll(() => ada.page.locator('.tandem-image img').evaluate((img) => (img as HTMLImageElement).naturalWidth)).toBe(40);

    // A reload without a network keeps it: the document and the bytes wait in IndexedDB.
    ada.page.on('dialog', (dialog) => void dialog.accept());
    await ada.page.reload();
    await expect(waiting).toHaveText('Waiting to upload…');
    await expect.poll(() => ada.page.locator('.tandem-image img').evaluate((img) => (img as HTMLImageElement).naturalWidth)).toBe(40);
    await expect(bob.editor.locator('.tandem-image')).toHaveCount(0);

    await ada.context.setOffline(false);
    await expectLoaded(ada.page, 1);
    await expectLoaded(bob.page, 1);
  });

  test('a file that is not an allowed image is refused with a notice, and a refused upload says so', async ({ person, docName }) => {
    const ada = await person('Ada');
    await ada.open(docName);
    await ada.editor.click();
    await ada.page.evaluate(() => {
      const data = new DataTransfer();
      data.items.add(new File(['<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'], 'logo.svg', { type: 'image/svg+xml' }));
      document.querySelector('.ProseMirror')!.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
    });
    await expect(ada.page.locator('.tandem-image-notice')).toContainText('“logo.svg” was not added: not a PNG, JPEG, GIF or WebP image.');
    await expect(ada.editor.locator('.tandem-image')).toHaveCount(0);

    // The server refuses this one (as it would a file over its size limit): the image says so.
    await ada.page.route('**/api/docs/**/files', (route) => route.fulfill({ status: 413, contentType: 'application/json', body: '{"error":"the file is larger than the limit of 10485760 bytes"}' }));
    await pastePng(ada.page, '#30a46c');
    await expect(ada.page.locator('.tandem-image[data-phase="failed"] .tandem-image-status')).toHaveText(
      'Upload failed: Too large: the file is larger than the limit of 10485760 bytes.',
    );
    await ada.page.locator('.tandem-image-remove').click();
    await expect(ada.editor.locator('.tandem-image')).toHaveCount(0);
  });

  test('alt text and a dragged width reach the other person; a read-only viewer sees the image but no controls', async ({ person, docName }) => {
    const ada = await person('Ada');
    const bob = await person('Bob');
    await ada.open(docName);
    await ada.editor.click();
    await pastePng(ada.page, '#8e4ec6');
    await expectLoaded(ada.page, 1);
    await bob.open(docName);
    await expectLoaded(bob.page, 1);

    ada.page.once('dialog', (dialog) => void dialog.accept('Quarterly chart'));
    await ada.page.locator('.tandem-image').hover();
    await ada.page.locator('.tandem-image-alt').click();
    await expect(bob.page.locator('.tandem-image img')).toHaveAttribute('alt', 'Quarterly chart');

    const handle = ada.page.locator('.tandem-image-handle');
    await ada.page.locator('.tandem-image').hover();
    const box = (await handle.boundingBox())!;
    await ada.page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await ada.page.mouse.down();
    await ada.page.mouse.move(box.x + 120, box.y + 60, { steps: 5 });
    await ada.page.mouse.up();
    await expect(bob.page.locator('.tandem-image img')).toHaveCSS('width', /^1[45]\dpx$/);

    const viewer = await person('Vic');
    await viewer.page.goto(`/v/${docName}`);
    await expectLoaded(viewer.page, 1);
    await expect(viewer.page.locator('.tandem-image-handle, .tandem-image-alt')).toHaveCount(0);
  });

  test('images in pasted HTML become Tandem files: an embedded one, one from a site the page may fetch; one it may not is left out with a notice', async ({ person, docName, stack }) => {
    const ada = await person('Ada');
    await ada.open(docName);
    await ada.editor.click();
    const sourceUrl = `${stack.syncUrl.replace(/^ws/, 'http')}/api/docs/${docName}-elsewhere/files`;
    await ada.page.evaluate(async (source) => {
      const picture = (fill: string) => {
        const canvas = document.createElement('canvas');
        canvas.width = 40;
        canvas.height = 30;
        const context = canvas.getContext('2d')!;
        context.fillStyle = fill;
        context.fillRect(0, 0, 40, 30);
        return canvas;
      };
      // A picture published elsewhere, by a server that lets any page fetch it (CORS).
      const blob = await new Promise<Blob>((resolve) => picture('#30a46c').toBlob((b) => resolve(b!), 'image/png'));
      const { id } = (await (await fetch(source, { method: 'POST', body: blob })).json()) as { id: string };
      const embedded = picture('#8e4ec6').toDataURL('image/png');
      const html =
        `<p>Pasted <img src="${embedded}" alt="embedded"> <img src="${source}/${id}" alt="fetched"> ` +
        '<img src="https://images.example.invalid/x.png" alt="blocked"></p>';
      const data = new DataTransfer();
      data.setData('text/html', html);
      data.setData('text/plain', 'Pasted');
      document.querySelector('.ProseMirror')!.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
    }, sourceUrl);
    await expectLoaded(ada.page, 2);
    expect(await ada.page.locator('.tandem-image img').evaluateAll((images) => images.map((img) => img.getAttribute('alt')))).toEqual(['embedded', 'fetched']);
    await expect(ada.page.locator('.tandem-image-notice')).toContainText('An image from images.example.invalid was left out');
    const json = await ada.page.evaluate(() => JSON.stringify((document.querySelector('.ProseMirror') as HTMLElement & { pmViewDesc?: { node: { toJSON(): unknown } } }).pmViewDesc!.node.toJSON()));
    expect(json.match(/"src":"[^"]*"/g)).toEqual([expect.stringMatching(/^"src":"tandem-file:[0-9a-f]{64}"$/), expect.stringMatching(/^"src":"tandem-file:[0-9a-f]{64}"$/)]);
  });
});
