// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { documentToHtml, htmlToDocument } from './html.js';
import { replaceImageSources } from './imageSources.js';
import { schema } from './schema.js';
import { parsePage } from './test-support/domRoundTrip.js';
import { everythingDocument } from './test-support/everything.js';
import { PNG_3X2_DATA_URL } from './test-support/images.js';

const blankPage = () => document.implementation.createHTMLDocument('');

describe('HTML export', () => {
  it('is a whole page whose body parses back to the same document, width and embedded image included', () => {
    const doc = everythingDocument({ width: 240 });
    const embedded = replaceImageSources(doc, () => PNG_3X2_DATA_URL);
    const html = documentToHtml(embedded, { title: 'Q3 <plan>', document: blankPage() });
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).toContain('<title>Q3 &lt;plan&gt;</title>');
    expect(html).toContain(`<img src="${PNG_3X2_DATA_URL}" alt="A chart" title="Sales" width="240">`);
    const back = htmlToDocument(parsePage(html));
    expect(back.title).toBe('Q3 <plan>');
    expect(back.body.toJSON()).toEqual(embedded.toJSON());
  });

  it('is sanitised: script text is text, unsafe links and images from elsewhere are left out', () => {
    // What a hostile client could have written into the Yjs document, bypassing the editor.
    const hostile = schema.nodeFromJSON({
      type: 'doc',
      content: [
        {
          type: 'paragraph',
          content: [
            { type: 'text', text: '<script>alert(1)</script>' },
            { type: 'text', text: 'click', marks: [{ type: 'link', attrs: { href: 'javascript:alert(2)', title: null } }] },
            { type: 'image', attrs: { src: 'https://tracker.example/pixel.png', alt: 'x" onerror="alert(3)', title: null, width: null } },
            { type: 'image', attrs: { src: 'data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=', alt: null, title: null, width: null } },
          ],
        },
      ],
    });
    const html = documentToHtml(hostile, { title: '</title><script>alert(4)</script>', document: blankPage() });
    const page = parsePage(html);
    expect(page.querySelectorAll('script')).toHaveLength(0);
    expect(html).not.toContain('javascript:');
    expect(html).not.toContain('tracker.example');
    expect(html).not.toContain('svg');
    expect(page.querySelector('img')!.getAttribute('onerror')).toBeNull();
    expect(page.body.textContent).toContain('<script>alert(1)</script>');
  });
});

describe('HTML import', () => {
  it('keeps what the schema knows and drops scripts, handlers, frames, styles and javascript: links', () => {
    const { title, body } = htmlToDocument(
      parsePage(
        '<html><head><title> Notes </title><style>p{color:red}</style></head><body>' +
          '<h2 onclick="alert(1)">Heading</h2><script>alert(2)</script><iframe src="https://evil.example"></iframe>' +
          '<p>Go <a href="javascript:alert(3)">here</a> or <a href="https://ok.example/">there</a>' +
          '<img src="x" onerror="alert(4)"></p></body></html>',
      ),
    );
    expect(title).toBe('Notes');
    const json = JSON.stringify(body.toJSON());
    expect(json).not.toMatch(/alert|evil|javascript|onerror|onclick|color/);
    expect(body.child(0).type.name).toBe('heading');
    expect(body.textContent).toBe('HeadingGo here or there');
    expect(json).toContain('https://ok.example/');
  });
});
