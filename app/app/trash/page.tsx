import type { Metadata } from 'next';
import { connection } from 'next/server';
import { DocumentSearch } from '@/components/DocumentSearch';
import { HomeFrame } from '@/components/HomeFrame';
import { Pager } from '@/components/Pager';
import { PrivateHome } from '@/components/PrivateHome';
import { type ListedTrash, TrashList } from '@/components/TrashList';
import { getAuthConfig, isOperator } from '@/lib/authServer';
import { timeAgo } from '@/lib/docs';
import { listPageHref, queryValue, type PageQuery } from '@/lib/listPage';
import { fetchTrashPage } from '@/lib/syncApi';

export const metadata: Metadata = { title: 'Trash · Tandem' };

const PAGE_SIZE = 50;
const dateFormat = new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeZone: 'UTC' });


/**
 * `/trash`: deleted documents, last deleted first, each until the sync server deletes it for good
 * (its retention period), with Restore and Delete for good. Like the list, only for the operator
 * in auth mode.
 */
export default async function TrashPage({ searchParams }: { searchParams: Promise<PageQuery> }) {
  await connection();
  const config = getAuthConfig();
  if (!(await isOperator(config))) return <PrivateHome />;
  const query = await searchParams;
  const q = queryValue(query.q).trim();
  const cursor = queryValue(query.cursor) || undefined;
  const result = await fetchTrashPage(config, { q, cursor, limit: PAGE_SIZE });
  const now = Date.now();
  const docs: ListedTrash[] = result.ok
    ? result.value.docs.map((doc) => ({ ...doc, deleted: timeAgo(doc.deletedAt, now), purgeDate: dateFormat.format(new Date(doc.purgeAt)) }))
    : [];
  return (
    <HomeFrame actions={<a className="button" href="/" data-testid="documents-link">All documents</a>}>
      <div className="home-intro">
        <h1>Trash</h1>
        <p>Deleted documents stay here, whole, until the server deletes them for good.</p>
      </div>
      <DocumentSearch q={q} sort="updated" action="/trash" sorts={false} />
      {!result.ok ? (
        <div className="notice notice-error" role="alert">
          <strong>The trash is unavailable.</strong>
          <p>{result.error}</p>
        </div>
      ) : docs.length === 0 ? (
        <p className="doc-none" data-testid="trash-empty">{q ? `No deleted document’s title matches “${q}”.` : 'The trash is empty.'}</p>
      ) : (
        <TrashList docs={docs} />
      )}
      {result.ok ? (
        <Pager
          first={cursor ? listPageHref('/trash', { q }) : undefined}
          next={result.value.nextCursor ? listPageHref('/trash', { q, cursor: result.value.nextCursor }) : undefined}
        />
      ) : null}
    </HomeFrame>
  );
}
