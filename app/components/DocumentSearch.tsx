'use client';

import type { DocSort } from '@tandem/protocol';
import { useRouter } from 'next/navigation';
import { useState } from 'react';

/**
 * Search by title and the order of the document list. A plain GET form (`/?q=…&sort=…`), so it
 * works before the page's scripts run; with them, changing the order applies at once.
 */
export function DocumentSearch({ q, sort, action = '/', sorts = true }: { q: string; sort: DocSort; action?: string; sorts?: boolean }) {
  const router = useRouter();
  const [query, setQuery] = useState(q);
  const go = (next: { q: string; sort: DocSort }) => {
    const params = new URLSearchParams();
    if (next.q.trim()) params.set('q', next.q.trim());
    if (sorts && next.sort !== 'updated') params.set('sort', next.sort);
    const search = params.toString();
    router.push(search ? `${action}?${search}` : action);
  };
  return (
    <form
      className="doc-search"
      role="search"
      method="get"
      action={action}
      onSubmit={(event) => {
        event.preventDefault();
        go({ q: query, sort });
      }}
    >
      <label className="doc-search-field">
        <span className="sr-only">Search by title</span>
        <svg viewBox="0 0 24 24" width="16" height="16" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" aria-hidden="true">
          <circle cx="11" cy="11" r="6.5" />
          <path d="m16 16 4.5 4.5" />
        </svg>
        <input type="search" name="q" value={query} onChange={(event) => setQuery(event.target.value)} placeholder="Search by title" maxLength={200} data-testid="doc-search" />
      </label>
      {sorts ? (
        <label className="doc-sort">
          <span className="sr-only">Order</span>
          <select name="sort" value={sort} onChange={(event) => go({ q: query, sort: event.target.value as DocSort })} data-testid="doc-sort">
            <option value="updated">Last edited</option>
            <option value="title">Title</option>
          </select>
        </label>
      ) : null}
      <button type="submit" className="button">Search</button>
    </form>
  );
}
