import { describe, expect, it } from 'vitest';
import { PresenceClaims } from './PresenceClaims.js';

describe('server-wide presence claims', () => {
  it('remember who set a client ID, and its clock, after the holder let go', () => {
    const claims = new PresenceClaims();
    claims.hold('doc', 7, 'user:alice', 3);
    claims.release('doc', 7, 4);
    expect(claims.get('doc', 7)).toMatchObject({ person: 'user:alice', clock: 4, held: false });
    expect(claims.get('other-doc', 7)).toBeUndefined(); // per document: client IDs are per Y.Doc
  });

  it('forget a released claim once the TTL has passed, but never a held one', () => {
    let now = 0;
    const claims = new PresenceClaims(100, 1000, () => now);
    claims.hold('doc', 1, 'user:alice', 1);
    claims.hold('doc', 2, 'user:bob', 1);
    claims.release('doc', 2, 2);
    now = 1001;
    expect(claims.get('doc', 2)).toBeUndefined();
    expect(claims.get('doc', 1)?.person).toBe('user:alice');
  });

  it('past the bound, evict the least recently used released claims first and keep the held ones', () => {
    let now = 0;
    const claims = new PresenceClaims(3, 60_000, () => now++);
    claims.hold('doc', 1, 'user:held', 1); // held, and the oldest
    claims.hold('doc', 2, 'user:a', 1);
    claims.release('doc', 2, 1);
    claims.hold('doc', 3, 'user:b', 1);
    claims.release('doc', 3, 1);
    claims.hold('doc', 4, 'user:c', 1); // one over
    expect(claims.size).toBe(3);
    expect(claims.get('doc', 1)?.person).toBe('user:held');
    expect(claims.get('doc', 2)).toBeUndefined(); // the least recently used released claim
    expect(claims.get('doc', 3)?.person).toBe('user:b');
    claims.hold('doc', 5, 'user:d', 1);
    expect(claims.get('doc', 3)).toBeUndefined();
    expect(claims.get('doc', 1)?.person).toBe('user:held');
  });

  it('keeps every held claim even when they alone pass the bound', () => {
    const claims = new PresenceClaims(2);
    for (let id = 1; id <= 4; id++) claims.hold('doc', id, `user:${id}`, 1);
    for (let id = 1; id <= 4; id++) expect(claims.get('doc', id)?.person).toBe(`user:${id}`);
  });
});
