import { describe, expect, it } from 'vitest';
import { docClaimCovers } from './docClaim.js';

describe('docClaimCovers', () => {
  it('covers the named document only, or every document under a prefix ending in *', () => {
    expect(docClaimCovers('plans', 'plans')).toBe(true);
    expect(docClaimCovers('plans', 'plans-2')).toBe(false);
    expect(docClaimCovers('team-*', 'team-notes')).toBe(true);
    expect(docClaimCovers('team-*', 'other')).toBe(false);
    expect(docClaimCovers('*', 'anything')).toBe(true);
  });
});
