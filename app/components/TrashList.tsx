'use client';

import type { TrashEntry } from '@tandem/protocol';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { requestDocumentAction } from '@/lib/documentActionsClient';
import { ConfirmDialog } from './ConfirmDialog';

/** A trashed document with its times in words (worked out by the server, so both renders agree). */
export interface ListedTrash extends TrashEntry {
  deleted: string;
  purgeDate: string;
}

/** The trash's rows: restore a document whole, or delete it for good (asked first). */
export function TrashList({ docs }: { docs: ListedTrash[] }) {
  const router = useRouter();
  const [busy, setBusy] = useState<string>();
  const [error, setError] = useState<{ name: string; message: string }>();
  const [deleting, setDeleting] = useState<ListedTrash>();
  const [deleteState, setDeleteState] = useState<{ busy: boolean; error?: string }>({ busy: false });

  const restore = async (doc: ListedTrash) => {
    setBusy(doc.name);
    setError(undefined);
    const result = await requestDocumentAction(doc.name, 'restore');
    setBusy(undefined);
    if (!result.ok) return setError({ name: doc.name, message: result.error });
    router.refresh();
  };
  const deleteForGood = async () => {
    if (!deleting) return;
    setDeleteState({ busy: true });
    const result = await requestDocumentAction(deleting.name, 'delete');
    if (!result.ok) return setDeleteState({ busy: false, error: result.error });
    setDeleteState({ busy: false });
    setDeleting(undefined);
    router.refresh();
  };

  return (
    <>
      <ul className="doc-list" data-testid="trash-list">
        {docs.map((doc) => (
          <li key={doc.name} className="doc-list-item trash-item" data-doc={doc.name}>
            <div className="doc-row">
              <span className="doc-icon doc-icon-trash" aria-hidden="true">
                <svg viewBox="0 0 24 24" width="18" height="18" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" strokeLinejoin="round">
                  <path d="M4 7h16M10 11v6M14 11v6M6 7l1 13h10l1-13M9 7V4h6v3" />
                </svg>
              </span>
              <span className="doc-text">
                <span className={doc.title?.trim() ? 'doc-name' : 'doc-name doc-untitled'} data-testid="doc-title">{doc.title?.trim() || 'Untitled'}</span>
                <span className="doc-meta">
                  Deleted {doc.deleted}
                  {doc.deletedBy ? ` by ${doc.deletedBy}` : ''} · deleted for good on <time dateTime={doc.purgeAt}>{doc.purgeDate}</time>
                </span>
                {error?.name === doc.name ? <span className="inline-error" role="alert">{error.message}</span> : null}
              </span>
              <span className="trash-actions">
                <button type="button" className="button button-small" onClick={() => restore(doc)} disabled={busy === doc.name} data-testid="restore">
                  {busy === doc.name ? 'Restoring…' : 'Restore'}
                </button>
                <button
                  type="button"
                  className="button button-small button-danger-quiet"
                  onClick={() => {
                    setDeleteState({ busy: false });
                    setDeleting(doc);
                  }}
                  data-testid="delete-for-good"
                >
                  Delete for good
                </button>
              </span>
            </div>
          </li>
        ))}
      </ul>
      <ConfirmDialog
        open={deleting !== undefined}
        title={`Delete “${deleting?.title?.trim() || 'Untitled'}” for good?`}
        confirmLabel="Delete for good"
        danger
        busy={deleteState.busy}
        error={deleteState.error}
        onConfirm={deleteForGood}
        onCancel={() => setDeleting(undefined)}
      >
        <p>Its text, history and images are erased from the server. This cannot be undone.</p>
      </ConfirmDialog>
    </>
  );
}
