// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { buildCursor, buildSelection } from './cursors.js';

describe('remote cursors', () => {
  it("carry the person's name and colour as data, not as document text", () => {
    const cursor = buildCursor({ name: 'Ada', color: '#3E63DD' }, 7);
    expect(cursor.textContent).toBe('');
    expect(cursor.dataset.name).toBe('Ada');
    expect(cursor.style.getPropertyValue('--tandem-peer-color')).toBe('#3e63dd');
    expect(cursor.getAttribute('aria-hidden')).toBe('true');
  });

  it('never trust the name or colour they are given', () => {
    const cursor = buildCursor({ name: '<b>x</b>', color: 'red;background:url(evil)' }, 1234);
    expect(cursor.children.length).toBe(0);
    expect(cursor.dataset.name).toBe('<b>x</b>');
    expect(cursor.style.getPropertyValue('--tandem-peer-color')).toMatch(/^#[0-9a-f]{6}$/);
    expect(buildCursor({}, 1234).dataset.name).toBe('Guest 234');
    expect(buildSelection({ color: 'url(x)' }).style).toMatch(/^background-color: #[0-9a-f]{6}33$/);
  });
});
