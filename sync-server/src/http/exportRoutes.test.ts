import { docxToHtml, markdownParser, schema } from '@tandem/document';
import { BODY_FRAGMENT, TITLE_TEXT, fileReference } from '@tandem/protocol';
import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { prosemirrorToYXmlFragment } from 'y-prosemirror';
import { connectProvider, waitForSynced } from '../test-support/clients.js';
import { makePng } from '../test-support/images.js';
import { type TestServer, startTestServer, waitFor } from '../test-support/server.js';
import { TEST_SECRET, mintToken } from '../test-support/tokens.js';

let server: TestServer;
afterEach(async () => {
  await server?.dispose();
});

const PNG = makePng(6, 4, 200);
const PNG_ID = createHash('sha256').update(PNG).digest('hex');
const PNG_DATA_URL = `data:image/png;base64,${Buffer.from(PNG).toString('base64')}`;

/** Write a titled document with a heading, marks, a link and the uploaded image, as an editor would; wait until it is stored. */
async function writeDocument(docName: string, params: Record<string, string> = {}, headers: Record<string, string> = {}): Promise<void> {
  const uploaded = await fetch(`${server.httpUrl}/api/docs/${docName}/files`, { method: 'POST', body: PNG, headers });
  expect(uploaded.status).toBe(201);
  const client = connectProvider(server.url, docName, { params });
  await waitForSynced(client);
  const { nodes, marks } = schema;
  const body = nodes.doc.create(null, [
    nodes.heading.create({ level: 1 }, schema.text('Q3 plan')),
    nodes.paragraph.create(null, [
      schema.text('Ship '),
      schema.text('it', [marks.bold.create()]),
      schema.text(' <script>alert(1)</script> '),
      schema.text('docs', [marks.link.create({ href: 'https://example.com/docs' })]),
    ]),
    nodes.paragraph.create(null, [nodes.image.create({ src: fileReference(PNG_ID), alt: 'Burn-down chart' })]),
    nodes.paragraph.create(null, [nodes.image.create({ src: fileReference('e'.repeat(64)), alt: 'never uploaded' })]),
  ]);
  client.doc.transact(() => {
    prosemirrorToYXmlFragment(body, client.doc.getXmlFragment(BODY_FRAGMENT));
    client.doc.getText(TITLE_TEXT).insert(0, 'Quarterly: plan/ünïcode');
  });
  await waitFor(async () => (await server.server.store.load(docName)).updates.length > 0, { what: 'document stored' });
  client.destroy();
}

const exportAs = (docName: string, format: string, headers: Record<string, string> = {}) =>
  fetch(`${server.httpUrl}/api/docs/${docName}/export?format=${format}`, { headers });

/** An open server holding the written document 'plan', exported as `format`: 200, of `contentType`. */
async function exportPlan(format: string, contentType: string): Promise<Response> {
  server = await startTestServer();
  await writeDocument('plan');
  const res = await exportAs('plan', format);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe(contentType);
  return res;
}

describe('GET /api/docs/<doc>/export', () => {
  it('Markdown: the body with the image embedded, as a download named after the title', async () => {
    const res = await exportPlan('md', 'text/markdown; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="Quarterly plan _n_code.md"; filename*=UTF-8''${encodeURIComponent('Quarterly plan ünïcode.md')}`);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const markdown = await res.text();
    expect(markdown).toContain('# Q3 plan');
    expect(markdown).toContain('Ship **it**');
    expect(markdown).toContain('[docs](https://example.com/docs)');
    expect(markdown).toContain(`![Burn-down chart](${PNG_DATA_URL})`);
    expect(markdown).not.toContain('never uploaded'); // a missing file is left out, never linked
    // And it reads back as the same content.
    const back = markdownParser.parse(markdown);
    expect(back.child(0).textContent).toBe('Q3 plan');
    expect(back.child(2).child(0).attrs.src).toBe(PNG_DATA_URL);
  });

  it('HTML: a standalone, sanitised page with the image embedded, which cannot run anything if opened from the server', async () => {
    const res = await exportPlan('html', 'text/html; charset=utf-8');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    const html = await res.text();
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).toContain('<title>Quarterly: plan/ünïcode</title>');
    expect(html).toContain('<h1>Q3 plan</h1>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toContain('<script');
    const images = html.match(/<img [^>]*>/g)!;
    expect(images).toHaveLength(1); // the file never uploaded is left out
    expect(images[0]).toContain(`src="${PNG_DATA_URL}"`);
    expect(images[0]).toContain('alt="Burn-down chart"');
  });

  it('DOCX: a Word file that mammoth opens, with the text, the link and the embedded picture', async () => {
    const res = await exportPlan('docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    expect(res.headers.get('content-disposition')).toContain('.docx');
    const { html } = await docxToHtml(new Uint8Array(await res.arrayBuffer()));
    expect(html).toContain('<h1>Q3 plan</h1>');
    expect(html).toContain('Ship <strong>it</strong>');
    expect(html).toContain('<a href="https://example.com/docs">docs</a>');
    expect(html).toContain(`<img alt="Burn-down chart" src="${PNG_DATA_URL}" />`);
  });

  it('HEAD answers the headers only; an unknown format is 400, a document never written 404', async () => {
    server = await startTestServer();
    await writeDocument('plan');
    const head = await fetch(`${server.httpUrl}/api/docs/plan/export?format=md`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(Number(head.headers.get('content-length'))).toBeGreaterThan(100);
    expect((await exportAs('plan', 'pdf')).status).toBe(400);
    expect((await fetch(`${server.httpUrl}/api/docs/plan/export`)).status).toBe(400);
    expect((await exportAs('nothing-here', 'md')).status).toBe(404);
    expect((await fetch(`${server.httpUrl}/api/docs/plan/export?format=md`, { method: 'POST' })).status).toBe(405);
  });

  it('needs read access to the document: none 401, another document 403, a read token or ?token= 200', async () => {
    server = await startTestServer({ authSecret: TEST_SECRET });
    const writer = await mintToken({ doc: 'secret-plan' });
    await writeDocument('secret-plan', { token: writer }, { authorization: `Bearer ${writer}` });
    for (const format of ['md', 'html', 'docx']) {
      expect((await exportAs('secret-plan', format)).status).toBe(401);
      expect((await exportAs('secret-plan', format, { authorization: `Bearer ${await mintToken({ doc: 'other' })}` })).status).toBe(403);
      const reader = await mintToken({ doc: 'secret-plan', access: 'read' });
      expect((await exportAs('secret-plan', format, { authorization: `Bearer ${reader}` })).status).toBe(200);
      expect((await fetch(`${server.httpUrl}/api/docs/secret-plan/export?format=${format}&token=${reader}`)).status).toBe(200);
    }
    // Refused before anything is read: an outsider cannot tell a document that exists from one that does not.
    expect((await exportAs('no-such-doc', 'md', { authorization: `Bearer ${await mintToken({ doc: 'other' })}` })).status).toBe(403);
  });
});
