import { createServer, type Server } from 'node:http';
import { expect, test, TYPING_DELAY } from '../support/fixtures.js';

test('the embed page works inside an iframe on a page from another origin', async ({ person, docName, stack }) => {
  // The host page is served by its own server and reached as localhost; the app is 127.0.0.1.
  const host: Server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' }).end(
      `<!doctype html><title>Host</title><h1>Someone else's site</h1>` +
        `<iframe id="tandem" src="${stack.appUrl}/embed/${docName}?name=Iframe%20Ivy&color=%2312a594" style="width:900px;height:500px"></iframe>`,
    );
  });
  await new Promise<void>((resolve) => host.listen(0, '127.0.0.1', resolve));
  try {
    const ada = await person('Ada');
    await ada.open(docName);
    const visitor = await person('Visitor');
    const hostUrl = `http://localhost:${(host.address() as { port: number }).port}/`;
    await visitor.page.goto(hostUrl);
    const frame = visitor.page.frameLocator('#tandem');
    await expect(frame.locator('.tandem-status')).toHaveText('All changes saved');
    await frame.locator('.ProseMirror').click();
    await visitor.page.keyboard.type('Written from an iframe', { delay: TYPING_DELAY });
    await expect(ada.editor).toHaveText('Written from an iframe');
    await expect(ada.page.getByTestId('presence').locator('[data-name="Iframe Ivy"]')).toBeVisible();
    await ada.editor.click();
    await ada.page.keyboard.press('End');
    await ada.page.keyboard.type(' and back', { delay: TYPING_DELAY });
    await expect(frame.locator('.ProseMirror')).toHaveText('Written from an iframe and back');
    await expect(frame.locator('.tandem-avatar[title="Ada"]')).toBeVisible();
    expect(new URL(hostUrl).origin).not.toBe(new URL(stack.appUrl).origin);
  } finally {
    host.close();
  }
});

test('"New document" opens a fresh document page; invalid names are a 404', async ({ person }) => {
  const ada = await person('Ada');
  await ada.page.goto('/');
  await expect(ada.page.getByRole('heading', { name: 'Documents' })).toBeVisible();
  await ada.page.getByTestId('new-document').click();
  await expect(ada.page).toHaveURL(/\/d\/[a-z0-9]{10}$/);
  await expect(ada.page.getByTestId('status')).toHaveText('All changes saved');
  await expect(ada.editor).toHaveAttribute('contenteditable', 'true');
  const first = ada.page.url();
  await ada.page.goto('/new');
  expect(ada.page.url()).not.toBe(first);

  const response = await ada.page.goto('/d/not..a%20name');
  expect(response?.status()).toBe(404);
  await expect(ada.page.getByRole('heading', { name: 'Nothing here' })).toBeVisible();
});
