import { describe, expect, it } from 'vitest';
import { type Listable, type ListingQuery, listingPage, parseListingQuery } from './listing.js';

const doc = (name: string, title: string | null, minute: number): Listable => ({ name, title, updatedAt: `2025-01-01T10:${String(minute).padStart(2, '0')}:00.000Z` });

const docs: Listable[] = [
  doc('a', 'Zebra notes', 1),
  doc('b', 'apple pie', 5),
  doc('c', null, 3),
  doc('d', 'Apple crumble', 5),
  doc('e', 'Meeting 10', 2),
  doc('f', 'Meeting 9', 4),
  doc('g', '   ', 6),
];

const query = (params: string, trash = false): ListingQuery => {
  const parsed = parseListingQuery(new URLSearchParams(params), trash);
  if ('error' in parsed) throw new Error(parsed.error);
  return parsed;
};

/** Every page, following the cursors. */
function allPages(entries: Listable[], params: string): string[][] {
  const pages: string[][] = [];
  let cursor: string | null = '';
  while (cursor !== null) {
    const result: { page: Listable[]; nextCursor: string | null } = listingPage(entries, query(`${params}${cursor ? `&cursor=${cursor}` : ''}`));
    pages.push(result.page.map((entry) => entry.name));
    cursor = result.nextCursor;
  }
  return pages;
}

describe('document listing pages', () => {
  it('orders by last edit, newest first, names breaking ties', () => {
    expect(allPages(docs, 'limit=3')).toEqual([['g', 'b', 'd'], ['f', 'c', 'e'], ['a']]);
  });

  it('orders by title A–Z, ignoring case, numbers by value, untitled last', () => {
    expect(allPages(docs, 'sort=title&limit=10')).toEqual([['d', 'b', 'f', 'e', 'a', 'c', 'g']]);
  });

  it('searches titles and names, case-insensitively', () => {
    expect(allPages(docs, 'q=APPLE&sort=title')).toEqual([['d', 'b']]);
    expect(allPages(docs, 'q=c')).toEqual([['d', 'c']]);
    expect(allPages(docs, 'q=nothing-like-it')).toEqual([[]]);
  });

  it('a cursor names a place, not an offset: entries added or removed before it do not shift the next page', () => {
    const first = listingPage(docs, query('limit=3'));
    expect(first.page.map((e) => e.name)).toEqual(['g', 'b', 'd']);
    const changed = [...docs.filter((e) => e.name !== 'g'), doc('new', 'Fresh', 9)];
    expect(listingPage(changed, query(`limit=3&cursor=${first.nextCursor}`)).page.map((e) => e.name)).toEqual(['f', 'c', 'e']);
  });

  it('lists the trash last deleted first', () => {
    const trashed = [{ ...docs[0]!, deletedAt: '2025-02-01T00:00:00Z' }, { ...docs[1]!, deletedAt: '2025-03-01T00:00:00Z' }];
    expect(listingPage(trashed, query('', true)).page.map((e) => e.name)).toEqual(['b', 'a']);
  });

  it('refuses bad queries with a reason', () => {
    for (const params of ['sort=size', 'limit=0', 'limit=501', 'limit=ten', 'limit=-1', `q=${'x'.repeat(201)}`, 'cursor=garbage', `cursor=${listingPage(docs, query('limit=1&sort=title')).nextCursor}`]) {
      expect(parseListingQuery(new URLSearchParams(params), false), params).toHaveProperty('error');
    }
  });
});
