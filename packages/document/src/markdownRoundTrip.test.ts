import { describe, expect, it } from 'vitest';
import { markdownParser, markdownSerializer } from './markdown.js';
import { schema } from './schema.js';
import { everythingDocument } from './test-support/everything.js';

describe('Markdown', () => {
  it('export then import gives the same document, for a document that uses every node and mark', () => {
    const doc = everythingDocument();
    const markdown = markdownSerializer.serialize(doc);
    expect(markdown).toContain('**bold**');
    expect(markdown).toContain(`![A chart](tandem-file:${'a'.repeat(64)} "Sales")`);
    const back = markdownParser.parse(markdown);
    expect(back.toJSON()).toEqual(doc.toJSON());
  });

  it('an imported javascript: link is not a link', () => {
    const doc = markdownParser.parse('[click](javascript:alert(1)) and <script>alert(2)</script>');
    let links = 0;
    doc.descendants((node) => void (links += node.marks.filter((mark) => mark.type === schema.marks.link).length));
    expect(links).toBe(0);
    expect(doc.textContent).toContain('<script>alert(2)</script>'); // as text: html is off
  });
});
