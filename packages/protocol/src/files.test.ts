import { describe, expect, it } from 'vitest';
import { exportUrl, fileIdOf, fileReference, filesUrl, syncHttpBase } from './files.js';

const ID = '0123456789abcdef'.repeat(4);

describe('file references and URLs', () => {
  it('a reference is tandem-file: and a SHA-256 in lowercase hex, nothing else', () => {
    expect(fileReference(ID)).toBe(`tandem-file:${ID}`);
    expect(fileIdOf(`tandem-file:${ID}`)).toBe(ID);
    for (const bad of [`tandem-file:${ID.toUpperCase()}`, `tandem-file:${ID}x`, 'tandem-file:../x', `https://x/${ID}`, null, 42]) {
      expect(fileIdOf(bad), String(bad)).toBeUndefined();
    }
    expect(() => fileReference('../../etc/passwd')).toThrow('invalid file id');
  });

  it('the HTTP API lives on the sync server\'s port', () => {
    expect(syncHttpBase('ws://localhost:1234/')).toBe('http://localhost:1234');
    expect(syncHttpBase('wss://sync.example.com')).toBe('https://sync.example.com');
    expect(filesUrl('http://h:1', 'team notes')).toBe('http://h:1/api/docs/team%20notes/files');
    expect(filesUrl('http://h:1', 'doc', ID)).toBe(`http://h:1/api/docs/doc/files/${ID}`);
    expect(exportUrl('https://h', 'doc', 'docx')).toBe('https://h/api/docs/doc/export?format=docx');
  });
});
