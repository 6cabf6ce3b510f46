// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { isImageSource } from './schema.js';
import { parseHtml as parse, roundTripHtml as serialize } from './test-support/domRoundTrip.js';

const REFERENCE = `tandem-file:${'0123456789abcdef'.repeat(4)}`;

describe('the image node', () => {
  it('is inline, with alt text, title and a width in pixels read from the attribute or the style', () => {
    const doc = parse(`<p>a<img src="${REFERENCE}" alt="Chart" title="Q3" width="320">b<img src="${REFERENCE}" style="width: 120.4px"></p>`);
    const images: Array<Record<string, unknown>> = [];
    doc.descendants((node) => void (node.type.name === 'image' && images.push(node.attrs)));
    expect(images).toEqual([
      { src: REFERENCE, alt: 'Chart', title: 'Q3', width: 320 },
      { src: REFERENCE, alt: null, title: null, width: 120 },
    ]);
    expect(serialize(`<p><img src="${REFERENCE}" alt="Chart" width="320"></p>`)).toBe(`<p><img src="${REFERENCE}" alt="Chart" width="320"></p>`);
  });

  it('writes out only file references and embedded images of the allowed types', () => {
    expect(isImageSource(REFERENCE)).toBe(true);
    expect(isImageSource('data:image/png;base64,iVBORw0KGgo=')).toBe(true);
    for (const bad of ['https://example.com/a.png', 'blob:https://x/1', 'javascript:alert(1)', 'data:image/svg+xml;base64,PHN2Zz4=', 'tandem-file:../../x', 'data:text/html,<script>']) {
      expect(isImageSource(bad), bad).toBe(false);
    }
    expect(serialize('<p><img src="https://tracker.example/p.png" alt="t"></p>')).toBe('<p><img alt="t"></p>');
  });
});
