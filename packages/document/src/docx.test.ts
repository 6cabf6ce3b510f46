// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { documentToDocx, docxToHtml } from './docx.js';
import { htmlToDocument } from './html.js';
import { readImageInfo } from './imageBytes.js';
import { replaceImageSources } from './imageSources.js';
import { schema } from './schema.js';
import { parsePage } from './test-support/domRoundTrip.js';
import { everythingDocument } from './test-support/everything.js';
import { PNG_3X2, PNG_3X2_DATA_URL, WEBP_3X2 } from './test-support/images.js';

const embedding = (bytes: Uint8Array) => (src: string) => (src.startsWith('tandem-file:') ? { data: bytes, info: readImageInfo(bytes)! } : undefined);

describe('DOCX', () => {
  it('export, read back with mammoth, keeps headings, marks, links, lists, quotes, code and the embedded image', async () => {
    const doc = everythingDocument();
    const docx = await documentToDocx(doc, { title: 'Plan', image: embedding(PNG_3X2) });
    expect(docx.subarray(0, 2)).toEqual(new Uint8Array([0x50, 0x4b])); // a zip
    const { html } = await docxToHtml(docx);
    expect(html).toContain('<h1>Plan</h1>');
    expect(html).toContain('<h3>Third level</h3>');
    expect(html).toContain('<strong>bold</strong>');
    expect(html).toContain('<em>italic</em>');
    expect(html).toContain('<s>struck</s>');
    expect(html).toContain('<code>code()</code>');
    expect(html).toContain('<a href="https://example.com/a?b=c">a link</a>');
    expect(html).toContain(`<img alt="A chart" src="${PNG_3X2_DATA_URL}" />`);
    expect(html).toContain('<blockquote><p>');
    expect(html).toContain('<pre>const x = 1;\n  return x * 2;</pre>');

    // Imported again: the same document but for what mammoth does not read back — the rule, the
    // image's title and where a numbered list starts.
    const back = htmlToDocument(parsePage(html)).body;
    const expected = replaceImageSources(doc, () => PNG_3X2_DATA_URL).toJSON() as { content: Array<{ type: string }> };
    expected.content = expected.content.filter((block) => block.type !== 'horizontal_rule');
    const json = JSON.stringify(expected).replace('"title":"Sales"', '"title":null').replace('"order":3', '"order":1');
    expect(back.toJSON()).toEqual(JSON.parse(json));
  });

  it('writes a WebP image, which the docx format library cannot embed, as its alt text', async () => {
    const doc = schema.node('doc', null, [schema.node('paragraph', null, [schema.node('image', { src: `tandem-file:${'b'.repeat(64)}`, alt: 'Logo' })])]);
    const { html } = await docxToHtml(await documentToDocx(doc, { title: '', image: embedding(WEBP_3X2) }));
    expect(html).toBe('<p>[Logo]</p>');
  });

  it('says so when the bytes are not a Word file', async () => {
    await expect(docxToHtml(new TextEncoder().encode('not a zip'))).rejects.toThrow();
  });
});
