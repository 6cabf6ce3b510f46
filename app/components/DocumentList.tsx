'use client';

import type { DocListEntry } from '@tandem/protocol';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { ActionMenu } from './ActionMenu';
import { TrashConfirm } from './TrashConfirm';

/** A listed document with what the server worked out for it: where it opens, and its times in words. */
export interface ListedDocument extends DocListEntry {
  href: string;
  /** "5 minutes ago" (worked out by the server, so both renders agree). */
  edited: string;
  /** "1.2 KB" */
  sizeLabel: string;
}

/**
 * The rows of the document list, each with its actions (⋯): move to trash. What an action changes
 * is shown by asking the server for the page again (`router.refresh()`).
 */
export function DocumentList({ docs }: { docs: ListedDocument[] }) {
  const router = useRouter();
  const [trashing, setTrashing] = useState<ListedDocument>();
  return (
    <>
      <ul className="doc-list" data-testid="doc-list">
        {docs.map((doc) => (
          <li key={doc.name} className="doc-list-item" data-doc={doc.name}>
            <a href={doc.href} className="doc-row" data-doc={doc.name}>
              <span className="doc-icon" aria-hidden="true">
                <svg viewBox="0 0 24 24" width="18" height="18" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" strokeLinejoin="round">
                  <path d="M14 3H7a2 2 0 0 0-2 2v14a2 2 0 0 0 2 2h10a2 2 0 0 0 2-2V8z" />
                  <path d="M14 3v5h5M9 13h6M9 17h4" />
                </svg>
              </span>
              <span className="doc-text">
                <span className={doc.title?.trim() ? 'doc-name' : 'doc-name doc-untitled'} data-testid="doc-title">{doc.title?.trim() || 'Untitled'}</span>
                <span className="doc-meta">
                  <span className="doc-id">{doc.name}</span>
                  {doc.sizeLabel ? <span> · {doc.sizeLabel}</span> : null}
                  {doc.lastEditedBy ? <span data-testid="doc-editor"> · edited by {doc.lastEditedBy}</span> : null}
                </span>
              </span>
              <time className="doc-time" dateTime={doc.updatedAt} title={new Date(doc.updatedAt).toUTCString()}>
                {doc.edited}
              </time>
            </a>
            <ActionMenu
              label={`Actions for ${doc.title?.trim() || 'Untitled'}`}
              testId="doc-actions"
              items={[{ id: 'trash', label: 'Move to trash', danger: true, onSelect: () => setTrashing(doc) }]}
            />
          </li>
        ))}
      </ul>
      <TrashConfirm
        open={trashing !== undefined}
        docName={trashing?.name ?? ''}
        title={trashing?.title ?? ''}
        onDone={(trashed) => {
          setTrashing(undefined);
          if (trashed) router.refresh();
        }}
      />
    </>
  );
}
