import type { DocSort } from '@tandem/protocol';

/** A page's query string, as Next hands it to a page. */
export type PageQuery = Record<string, string | string[] | undefined>;

/** One query value, or '' when it is missing or repeated. */
export function queryValue(value: string | string[] | undefined): string {
  return typeof value === 'string' ? value : '';
}

/** The address of a page of the listing at `path` (`/` or `/trash`): its search, its order (when not the default) and its cursor. */
export function listPageHref(path: string, { q, sort, cursor }: { q?: string; sort?: DocSort; cursor?: string }): string {
  const params = new URLSearchParams();
  if (q) params.set('q', q);
  if (sort && sort !== 'updated') params.set('sort', sort);
  if (cursor) params.set('cursor', cursor);
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}
