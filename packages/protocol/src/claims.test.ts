import { describe, expect, it } from 'vitest';
import { isAccess, MIN_SECRET_LENGTH, secretProblem } from './claims.js';

describe('token claims', () => {
  it('knows the two access levels and nothing else', () => {
    expect(isAccess('read')).toBe(true);
    expect(isAccess('write')).toBe(true);
    for (const other of ['admin', 'READ', '', null, undefined, 1]) expect(isAccess(other)).toBe(false);
  });

  it('refuses a secret shorter than 16 characters', () => {
    expect(MIN_SECRET_LENGTH).toBe(16);
    expect(secretProblem('a'.repeat(15))).toBe('must be at least 16 characters (32 random bytes is better)');
    expect(secretProblem('')).toMatch(/at least 16/);
    expect(secretProblem('a'.repeat(16))).toBeUndefined();
  });
});
