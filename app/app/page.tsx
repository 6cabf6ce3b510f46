import Link from 'next/link';
import { connection } from 'next/server';
import { HomeFrame } from '@/components/HomeFrame';
import { ImportDocumentButton } from '@/components/ImportDocumentButton';
import { PrivateHome } from '@/components/PrivateHome';
import { editPath } from '@/lib/auth';
import { getAuthConfig, isOperator, listingToken } from '@/lib/authServer';
import { formatSize, listDocs, timeAgo } from '@/lib/docs';

/**
 * `/`: every document on the sync server, newest first, and a way to start a new one. With a
 * secret, only for the operator (see /operator); everyone else opens documents by their links.
 */
export default async function HomePage() {
  await connection();
  const config = getAuthConfig();
  if (!(await isOperator(config))) return <PrivateHome />;
  const result = await listDocs(3000, config ? await listingToken(config) : undefined);
  return (
    <HomeFrame
      actions={
        <span className="home-actions">
          <ImportDocumentButton />
          <a className="button button-primary" href="/new" data-testid="new-document">
            <svg viewBox="0 0 24 24" width="16" height="16" fill="none" stroke="currentColor" strokeWidth="2.2" strokeLinecap="round" aria-hidden="true">
              <path d="M12 5v14M5 12h14" />
            </svg>
            New document
          </a>
        </span>
      }
    >
      <div className="home-intro">
        <h1>Documents</h1>
        <p>Write together in real time. Share a link and everyone edits the same page.</p>
      </div>
      {!result.ok ? (
        <div className="notice notice-error" role="alert">
          <strong>The document list is unavailable.</strong>
          <p>{result.error} Start it with <code>npm start</code>, or set <code>NEXT_PUBLIC_SYNC_URL</code>. You can still create a document.</p>
        </div>
      ) : result.docs.length === 0 ? (
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
      ) : (
        <ul className="doc-list" data-testid="doc-list">
          {result.docs.map((doc) => (
            <li key={doc.name}>
              <Link href={editPath(doc.name, config)} className="doc-row" data-doc={doc.name}>
                <span className="doc-icon" aria-hidden="true">
                  <svg viewBox="0 0 24 24" width="18" height="18" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" strokeLinejoin="round">
                    <path d="M14 3H7a2 2 0 0 0-2 2v14a2 2 0 0 0 2 2h10a2 2 0 0 0 2-2V8z" />
                    <path d="M14 3v5h5M9 13h6M9 17h4" />
                  </svg>
                </span>
                <span className="doc-text">
                  <span className={doc.title?.trim() ? 'doc-name' : 'doc-name doc-untitled'}>{doc.title?.trim() || 'Untitled'}</span>
                  <span className="doc-meta">
                    <span className="doc-id">{doc.name}</span>
                    {formatSize(doc.size) ? <span> · {formatSize(doc.size)}</span> : null}
                  </span>
                </span>
                <time className="doc-time" dateTime={doc.updatedAt} title={new Date(doc.updatedAt).toUTCString()}>
                  {timeAgo(doc.updatedAt)}
                </time>
              </Link>
            </li>
          ))}
        </ul>
      )}
    </HomeFrame>
  );
}
