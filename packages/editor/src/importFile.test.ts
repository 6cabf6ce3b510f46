// @vitest-environment jsdom
import { File as NodeFile } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import { ImportError, importFormatOf, parseImportFile } from './importFile.js';

// jsdom's File cannot be read (no text() or arrayBuffer()); Node's can, as a browser's.
const file = (content: string, name: string, type = '') => new NodeFile([content], name, { type }) as unknown as File;

describe('importing files', () => {
  it('knows Markdown, HTML and Word files by their name or type, and nothing else', () => {
    expect(importFormatOf({ name: 'notes.MD', type: '' })).toBe('md');
    expect(importFormatOf({ name: 'page.htm', type: '' })).toBe('html');
    expect(importFormatOf({ name: 'download', type: 'text/html' })).toBe('html');
    expect(importFormatOf({ name: 'report.docx', type: '' })).toBe('docx');
    expect(importFormatOf({ name: 'report.doc', type: 'application/msword' })).toBeUndefined();
    expect(importFormatOf({ name: 'logo.svg', type: 'image/svg+xml' })).toBeUndefined();
  });

  it('takes a Markdown file\'s title from its name, an HTML page\'s from its <title>, and keeps no script', async () => {
    const markdown = await parseImportFile(file('# Plan\n\nShip **it**.', 'Q3 plan.md'));
    expect(markdown.title).toBe('Q3 plan');
    expect(markdown.body.child(0).type.name).toBe('heading');
    const html = await parseImportFile(file('<title>Notes</title><p onclick="x()">Hi<script>alert(1)</script></p>', 'x.html', 'text/html'));
    expect(html.title).toBe('Notes');
    expect(html.body.childCount).toBe(1);
    expect(html.body.textContent).toBe('Hi');
    expect(JSON.stringify(html.body.toJSON())).not.toMatch(/onclick|script|alert/);
  });

  it('refuses other files and broken Word files with a reason to show', async () => {
    await expect(parseImportFile(file('x', 'photo.png'))).rejects.toThrow(new ImportError('“photo.png” is not a Markdown, HTML or Word (.docx) file.'));
    await expect(parseImportFile(file('not a zip', 'report.docx'))).rejects.toThrow(new ImportError('“report.docx” could not be read as a Word (.docx) file.'));
  });
});
