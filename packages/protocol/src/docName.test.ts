import { describe, expect, it } from 'vitest';
import { docNameFromPath, isValidDocName } from './docName.js';

describe('document names', () => {
  it('accepts 1–200 characters of letters, digits, dot, underscore and dash', () => {
    expect(isValidDocName('a')).toBe(true);
    expect(isValidDocName('My-doc_1.2')).toBe(true);
    expect(isValidDocName('x'.repeat(200))).toBe(true);
  });

  it('refuses empty, too long, path tricks, NUL and unicode look-alikes', () => {
    for (const bad of ['', 'x'.repeat(201), '../etc', 'a/b', '..', '.', 'a\u0000b', 'аbc', 'a b', 'a%2Fb', 'x'.repeat(10_000)]) {
      expect(isValidDocName(bad), JSON.stringify(bad)).toBe(false);
    }
  });

  it('reads the name from a request path and ignores the query', () => {
    expect(docNameFromPath('/notes?token=abc')).toBe('notes');
    expect(docNameFromPath('/notes')).toBe('notes');
    expect(docNameFromPath('/a/b')).toBeUndefined();
    expect(docNameFromPath('/%2e%2e')).toBeUndefined();
    expect(docNameFromPath('notes')).toBeUndefined();
  });
});
