import { describe, expect, it } from 'vitest';
import { isPlainObject, jsonDepth } from './presenceState.js';

const nested = (levels: number): unknown => {
  let value: unknown = 1;
  for (let i = 0; i < levels; i++) value = i % 2 ? [value] : { d: value };
  return value;
};

describe('presence state helpers', () => {
  it('tells plain objects from null, arrays and scalars', () => {
    expect(isPlainObject({})).toBe(true);
    for (const other of [null, [], 'x', 1, undefined]) expect(isPlainObject(other)).toBe(false);
  });

  it('counts nesting through objects and arrays, scalars being level 0', () => {
    expect(jsonDepth(7)).toBe(0);
    expect(jsonDepth({})).toBe(1);
    expect(jsonDepth({ a: [1, { b: 2 }], c: 3 })).toBe(3);
    expect(jsonDepth(nested(5))).toBe(5);
  });

  it('counts 100,000 levels without overflowing the stack, and stops early when asked', () => {
    expect(jsonDepth(nested(100_000))).toBe(100_000);
    expect(jsonDepth(nested(100_000), 16)).toBe(17);
  });
});
