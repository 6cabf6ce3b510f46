import { describe, expect, it } from 'vitest';
import { isRevokedLink, readLinkClaim } from './linkClaim.js';

describe('the link claim', () => {
  it('is absent from a token minted without a link', () => {
    expect(readLinkClaim({ sub: 'a', doc: 'x' })).toBeUndefined();
  });

  it('names a purpose and a whole-number generation', () => {
    expect(readLinkClaim({ link: { purpose: 'read', generation: 0 } })).toEqual({ purpose: 'read', generation: 0 });
    expect(readLinkClaim({ link: { purpose: 'write', generation: 7 } })).toEqual({ purpose: 'write', generation: 7 });
  });

  it('is invalid (not ignored) when malformed', () => {
    for (const link of [null, 'read', 3, {}, { purpose: 'admin', generation: 1 }, { purpose: 'read', generation: -1 }, { purpose: 'read', generation: 1.5 }, { purpose: 'read', generation: '2' }, { purpose: 'read', generation: 2 ** 40 }]) {
      expect(readLinkClaim({ link })).toBe('invalid');
    }
  });

  it('is revoked once its purpose has a newer generation, whatever the other purpose has', () => {
    expect(isRevokedLink({ purpose: 'read', generation: 1 }, { read: 1, write: 5 })).toBe(false);
    expect(isRevokedLink({ purpose: 'read', generation: 1 }, { read: 2, write: 0 })).toBe(true);
    expect(isRevokedLink({ purpose: 'write', generation: 0 }, { read: 3, write: 0 })).toBe(false);
  });
});
