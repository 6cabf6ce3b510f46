/**
 * Pages of the document list and of the trash: search by title, order by last edit or by title,
 * and a cursor that names the last entry of the page before (not an offset), so paging stays right
 * while documents are created, edited and deleted between two pages.
 *
 * A page is cut from the whole listing (DocStore.list) each time: one read of every document's
 * summary, which the benchmark measures at 10,000 documents (bench/workloads/listing.mjs).
 */
import { DEFAULT_DOC_PAGE_SIZE, DOC_SORTS, type DocSort, MAX_DOC_PAGE_SIZE, MAX_DOC_QUERY_LENGTH } from '@tandem/protocol';

/** How a listing is ordered: the document list's two orders, and the trash's (last deleted first). */
export type ListingOrder = DocSort | 'deleted';

export interface ListingQuery {
  order: ListingOrder;
  /** Lower-cased search, '' for everything. */
  search: string;
  limit: number;
  /** The sort key of the last entry of the page before. */
  after: string[] | undefined;
}

/** What an entry must have to be listed. */
export interface Listable {
  name: string;
  title: string | null;
  updatedAt: string;
  /** ISO time it was trashed: the trash's order. */
  deletedAt?: string;
}

const titleCollator = new Intl.Collator('en', { sensitivity: 'base', numeric: true });

/**
 * The query of a listing request, or the reason it is invalid. `order` is the trash's when
 * listing the trash (it takes no `sort`).
 */
export function parseListingQuery(params: URLSearchParams, trash: boolean): ListingQuery | { error: string } {
  const sort = params.get('sort') ?? 'updated';
  if (!trash && !(DOC_SORTS as readonly string[]).includes(sort)) return { error: `sort must be one of ${DOC_SORTS.join(', ')}` };
  const order: ListingOrder = trash ? 'deleted' : (sort as DocSort);
  const rawLimit = params.get('limit');
  const limit = rawLimit === null ? DEFAULT_DOC_PAGE_SIZE : Number(rawLimit);
  if (!/^\d+$/.test(rawLimit ?? '1') || limit < 1 || limit > MAX_DOC_PAGE_SIZE) return { error: `limit must be a whole number from 1 to ${MAX_DOC_PAGE_SIZE}` };
  const search = (params.get('q') ?? '').trim();
  if (search.length > MAX_DOC_QUERY_LENGTH) return { error: `q may be at most ${MAX_DOC_QUERY_LENGTH} characters` };
  const cursor = params.get('cursor');
  const after = cursor ? decodeCursor(cursor, order) : undefined;
  if (after === null) return { error: 'cursor is not one this listing made (or it was made for another sort)' };
  return { order, search: search.toLowerCase(), limit, after };
}

/** One page of `entries` for `query`, and the cursor of the next page (null on the last). */
export function listingPage<T extends Listable>(entries: readonly T[], query: ListingQuery): { page: T[]; nextCursor: string | null } {
  const { order, search, limit, after } = query;
  const found = search ? entries.filter((entry) => matches(entry, search)) : entries;
  const keyed = found.map((entry) => ({ entry, key: sortKey(entry, order) }));
  keyed.sort((a, b) => compareKeys(a.key, b.key, order));
  const start = after ? firstAfter(keyed, after, order) : 0;
  const page = keyed.slice(start, start + limit);
  const last = page[page.length - 1];
  const more = start + limit < keyed.length;
  return { page: page.map(({ entry }) => entry), nextCursor: more && last ? encodeCursor(order, last.key) : null };
}

/** Search matches the title, or the name (how an untitled document is found). */
function matches(entry: Listable, search: string): boolean {
  return (entry.title ?? '').toLowerCase().includes(search) || entry.name.toLowerCase().includes(search);
}

/**
 * The key an entry sorts by, ending with its name (unique, so every entry has its own place):
 * last edit (newest first), title (A–Z, untitled last), or deletion (newest first).
 */
function sortKey(entry: Listable, order: ListingOrder): string[] {
  switch (order) {
    case 'updated':
      return [entry.updatedAt, entry.name];
    case 'deleted':
      return [entry.deletedAt ?? '', entry.name];
    case 'title': {
      const title = entry.title?.trim() ?? '';
      return [title ? '0' : '1', title, entry.name];
    }
  }
}

function compareKeys(a: readonly string[], b: readonly string[], order: ListingOrder): number {
  if (order === 'title') {
    return compareStrings(a[0]!, b[0]!) || titleCollator.compare(a[1]!, b[1]!) || compareStrings(a[1]!, b[1]!) || compareStrings(a[2]!, b[2]!);
  }
  // Newest first, then by name.
  return compareStrings(b[0]!, a[0]!) || compareStrings(a[1]!, b[1]!);
}

const compareStrings = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Index of the first entry that sorts after `after` (binary search over the sorted entries). */
function firstAfter(keyed: ReadonlyArray<{ key: string[] }>, after: string[], order: ListingOrder): number {
  let low = 0;
  let high = keyed.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (compareKeys(keyed[middle]!.key, after, order) <= 0) low = middle + 1;
    else high = middle;
  }
  return low;
}

function encodeCursor(order: ListingOrder, key: string[]): string {
  return Buffer.from(JSON.stringify([order, ...key])).toString('base64url');
}

/** The key in a cursor made for `order`; null for anything else. */
function decodeCursor(cursor: string, order: ListingOrder): string[] | null {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as unknown;
    if (!Array.isArray(parsed) || parsed[0] !== order || !parsed.every((part) => typeof part === 'string')) return null;
    const key = parsed.slice(1) as string[];
    return key.length === sortKey({ name: '', title: null, updatedAt: '' }, order).length ? key : null;
  } catch {
    return null;
  }
}
