import type { Metadata } from 'next';
import { connection } from 'next/server';
import { DocumentSearch } from '@/components/DocumentSearch';
import { HomeFrame } from '@/components/HomeFrame';
import { PrivateHome } from '@/components/PrivateHome';
import { type ListedTrash, TrashList } from '@/components/TrashList';
import { getAuthConfig, isOperator } from '@/lib/authServer';
import { timeAgo } from '@/lib/docs';
import { fetchTrashPage } from '@/lib/syncApi';

export const metadata: Metadata = { title: 'Trash · Tandem' };

const PAGE_SIZE = 50;
const dateFormat = new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeZone: 'UTC' });

type Query = Record<string, string | string[] | undefined>;
const one = (value: string | string[] | undefined): string => (typeof value === 'string' ? value : '');

/**
 * `/trash`: deleted documents, last deleted first, each until the sync server deletes it for good
 * (its retention period), with Restore and Delete for good. Like the list, only for the operator
 * in auth mode.
 */
export default async function TrashPage({ searchParams }: { searchParams: Promise<Query> }) {
  await connection();
  const config = getAuthConfig();
  if (!(await isOperator(config))) return <PrivateHome />;
  const query = await searchParams;
  const q = one(query.q).trim();
  const cursor = one(query.cursor) || undefined;
  const result = await fetchTrashPage(config, { q, cursor, limit: PAGE_SIZE });
  const now = Date.now();
  const docs: ListedTrash[] = result.ok
    ? result.value.docs.map((doc) => ({ ...doc, deleted: timeAgo(doc.deletedAt, now), purgeDate: dateFormat.format(new Date(doc.purgeAt)) }))
    : [];
  const pageLink = (next?: string) => {
    const params = new URLSearchParams();
    if (q) params.set('q', q);
    if (next) params.set('cursor', next);
    const text = params.toString();
    return text ? `/trash?${text}` : '/trash';
  };
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
      {result.ok && (cursor || result.value.nextCursor) ? (
        <nav className="pager" aria-label="Pages">
          {cursor ? <a className="button" href={pageLink()}>First page</a> : <span />}
          {result.value.nextCursor ? <a className="button" href={pageLink(result.value.nextCursor)}>Next page</a> : null}
        </nav>
      ) : null}
    </HomeFrame>
  );
}
