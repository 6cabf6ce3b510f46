import { DOC_SORTS, type DocSort } from '@tandem/protocol';
import type { Metadata } from 'next';
import { connection } from 'next/server';
import { DocumentList, type ListedDocument } from '@/components/DocumentList';
import { DocumentSearch } from '@/components/DocumentSearch';
import { HomeFrame } from '@/components/HomeFrame';
import { Pager } from '@/components/Pager';
import { ImportDocumentButton } from '@/components/ImportDocumentButton';
import { PrivateHome } from '@/components/PrivateHome';
import { getAuthConfig, isOperator } from '@/lib/authServer';
import { formatSize, timeAgo } from '@/lib/docs';
import { listPageHref, queryValue, type PageQuery } from '@/lib/listPage';
import { fetchDocPage } from '@/lib/syncApi';

export const metadata: Metadata = { title: 'Documents · Tandem' };

/** Documents per page of the list. */
const PAGE_SIZE = 50;


/**
 * `/`: the documents on the sync server, a page at a time (`?cursor=`), searched by title (`?q=`)
 * and ordered by last edit or title (`?sort=`), with a way to start a new one and, per document,
 * to move it to the trash. With a secret, only for the operator (see /operator); everyone else
 * opens documents by their links.
 */
export default async function HomePage({ searchParams }: { searchParams: Promise<PageQuery> }) {
  await connection();
  const config = getAuthConfig();
  if (!(await isOperator(config))) return <PrivateHome />;
  const query = await searchParams;
  const q = queryValue(query.q).trim();
  const sort: DocSort = (DOC_SORTS as readonly string[]).includes(queryValue(query.sort)) ? (queryValue(query.sort) as DocSort) : 'updated';
  const cursor = queryValue(query.cursor) || undefined;
  const result = await fetchDocPage(config, { q, sort, cursor, limit: PAGE_SIZE });
  const now = Date.now();
  const docs: ListedDocument[] = result.ok
    ? result.value.docs.map((doc) => ({
        ...doc,
        href: config ? `/open/${encodeURIComponent(doc.name)}` : `/d/${encodeURIComponent(doc.name)}`,
        edited: timeAgo(doc.updatedAt, now),
        sizeLabel: formatSize(doc.size),
      }))
    : [];
  const searching = q !== '' || cursor !== undefined;
  return (
    <HomeFrame
      actions={
        <span className="home-actions">
          <a className="button" href="/trash" data-testid="trash-link">
            <svg viewBox="0 0 24 24" width="16" height="16" fill="none" stroke="currentColor" strokeWidth="1.9" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true">
              <path d="M4 7h16M10 11v6M14 11v6M6 7l1 13h10l1-13M9 7V4h6v3" />
            </svg>
            <span className="button-label">Trash</span>
          </a>
          <ImportDocumentButton />
          <a className="button button-primary" href="/new" data-testid="new-document">
            <svg viewBox="0 0 24 24" width="16" height="16" fill="none" stroke="currentColor" strokeWidth="2.2" strokeLinecap="round" aria-hidden="true">
              <path d="M12 5v14M5 12h14" />
            </svg>
            <span className="button-label">New document</span>
          </a>
        </span>
      }
    >
      <div className="home-intro">
        <h1>Documents</h1>
        <p>Write together in real time. Share a link and everyone edits the same page.</p>
      </div>
      <DocumentSearch q={q} sort={sort} />
      {!result.ok ? (
        <div className="notice notice-error" role="alert">
          <strong>The document list is unavailable.</strong>
          <p>{result.error} Start it with <code>npm start</code>, or set <code>NEXT_PUBLIC_SYNC_URL</code>. You can still create a document.</p>
        </div>
      ) : docs.length === 0 && !searching ? (
        <div className="empty">
          <svg viewBox="0 0 64 64" width="56" height="56" aria-hidden="true">
            <rect x="12" y="6" width="40" height="52" rx="6" fill="var(--surface)" stroke="var(--border-strong)" strokeWidth="2" />
            <path d="M21 20h22M21 28h22M21 36h14" stroke="var(--border-strong)" strokeWidth="2.5" strokeLinecap="round" />
            <path d="M40 42v10" stroke="#ff8a65" strokeWidth="3" strokeLinecap="round" />
            <path d="M34 38v10" stroke="#7c9cff" strokeWidth="3" strokeLinecap="round" />
          </svg>
          <h2>No documents yet</h2>
          <p>Start one and send the link to whoever you write with.</p>
          <a className="button button-primary" href="/new">New document</a>
        </div>
      ) : docs.length === 0 ? (
        <p className="doc-none" data-testid="no-results">No document’s title matches “{q}”.</p>
      ) : (
        <DocumentList docs={docs} />
      )}
      {result.ok ? (
        <Pager
          first={cursor ? listPageHref('/', { q, sort }) : undefined}
          next={result.value.nextCursor ? listPageHref('/', { q, sort, cursor: result.value.nextCursor }) : undefined}
        />
      ) : null}
    </HomeFrame>
  );
}
