import { describe, expect, it } from 'vitest';
import { CREATION_WINDOW_MS, DocumentCreations } from './documentCreations.js';

describe('documents created per token', () => {
  it('allows up to the cap, counts each document once, and refuses the next', () => {
    const creations = new DocumentCreations(2);
    expect(creations.tryCreate('alice', 'a')).toBe(true);
    expect(creations.tryCreate('alice', 'a')).toBe(true); // reopening it is not creating another
    expect(creations.tryCreate('alice', 'b')).toBe(true);
    expect(creations.tryCreate('alice', 'c')).toBe(false);
    expect(creations.tryCreate('alice', 'b')).toBe(true);
    expect(creations.tryCreate('bob', 'c')).toBe(true); // per token
  });

  it('counts over a sliding window', () => {
    let now = 0;
    const creations = new DocumentCreations(1, () => now);
    expect(creations.tryCreate('alice', 'a')).toBe(true);
    now = CREATION_WINDOW_MS / 2;
    expect(creations.tryCreate('alice', 'b')).toBe(false);
    now = CREATION_WINDOW_MS + 1;
    expect(creations.tryCreate('alice', 'b')).toBe(true);
  });

  it('0 means unlimited', () => {
    const creations = new DocumentCreations(0);
    for (let i = 0; i < 1000; i++) expect(creations.tryCreate('alice', `doc-${i}`)).toBe(true);
  });
});
