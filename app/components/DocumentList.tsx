'use client';

import { type DocListEntry, MAX_TITLE_LENGTH } from '@tandem/protocol';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { requestDocumentAction } from '@/lib/documentActionsClient';
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

const titleOf = (doc: DocListEntry) => doc.title?.trim() || 'Untitled';

/**
 * The rows of the document list, each with its actions (⋯): rename in place, duplicate, move to
 * trash. What an action changes is shown by asking the server for the page again (`router.refresh()`).
 */
export function DocumentList({ docs }: { docs: ListedDocument[] }) {
  const router = useRouter();
  const [trashing, setTrashing] = useState<ListedDocument>();
  const [renaming, setRenaming] = useState<string>();
  const [failure, setFailure] = useState<{ name: string; message: string }>();

  const duplicate = async (doc: ListedDocument) => {
    setFailure(undefined);
    const result = await requestDocumentAction<{ name: string }>(doc.name, 'duplicate');
    if (!result.ok) return setFailure({ name: doc.name, message: result.error });
    router.refresh();
  };

  return (
    <>
      <ul className="doc-list" data-testid="doc-list">
        {docs.map((doc) => (
          <li key={doc.name} className="doc-list-item" data-item={doc.name}>
            {renaming === doc.name ? (
              <RenameRow
                doc={doc}
                onDone={(renamed) => {
                  setRenaming(undefined);
                  if (renamed) router.refresh();
                }}
              />
            ) : (
              <a href={doc.href} className="doc-row" data-doc={doc.name}>
                <DocIcon />
                <span className="doc-text">
                  <span className={doc.title?.trim() ? 'doc-name' : 'doc-name doc-untitled'} data-testid="doc-title">{titleOf(doc)}</span>
                  <span className="doc-meta">
                    <span className="doc-id">{doc.name}</span>
                    {doc.sizeLabel ? <span> · {doc.sizeLabel}</span> : null}
                    {doc.lastEditedBy ? <span data-testid="doc-editor"> · edited by {doc.lastEditedBy}</span> : null}
                  </span>
                  {failure?.name === doc.name ? <span className="inline-error" role="alert">{failure.message}</span> : null}
                </span>
                <time className="doc-time" dateTime={doc.updatedAt} title={new Date(doc.updatedAt).toUTCString()}>
                  {doc.edited}
                </time>
              </a>
            )}
            <ActionMenu
              label={`Actions for ${titleOf(doc)}`}
              testId="doc-actions"
              items={[
                { id: 'rename', label: 'Rename', onSelect: () => setRenaming(doc.name) },
                { id: 'duplicate', label: 'Duplicate', onSelect: () => void duplicate(doc) },
                { id: 'trash', label: 'Move to trash', danger: true, onSelect: () => setTrashing(doc) },
              ]}
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

function DocIcon() {
  return (
    <span className="doc-icon" aria-hidden="true">
      <svg viewBox="0 0 24 24" width="18" height="18" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" strokeLinejoin="round">
        <path d="M14 3H7a2 2 0 0 0-2 2v14a2 2 0 0 0 2 2h10a2 2 0 0 0 2-2V8z" />
        <path d="M14 3v5h5M9 13h6M9 17h4" />
      </svg>
    </span>
  );
}

/** The title of one row as a field: Enter saves (everyone in the document sees the new title), Escape cancels. */
function RenameRow({ doc, onDone }: { doc: ListedDocument; onDone: (renamed: boolean) => void }) {
  const [title, setTitle] = useState(doc.title?.trim() ?? '');
  const [state, setState] = useState<{ busy: boolean; error?: string }>({ busy: false });
  const save = async () => {
    if (title.trim() === (doc.title?.trim() ?? '')) return onDone(false);
    setState({ busy: true });
    const result = await requestDocumentAction(doc.name, 'rename', { title: title.trim() });
    if (!result.ok) return setState({ busy: false, error: result.error });
    onDone(true);
  };
  return (
    <form
      className="doc-row doc-row-renaming"
      onSubmit={(event) => {
        event.preventDefault();
        void save();
      }}
    >
      <DocIcon />
      <span className="doc-text">
        <input
          className="doc-rename"
          aria-label={`New title for ${titleOf(doc)}`}
          value={title}
          placeholder="Untitled"
          maxLength={MAX_TITLE_LENGTH}
          autoFocus
          disabled={state.busy}
          onChange={(event) => setTitle(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === 'Escape') onDone(false);
          }}
          data-testid="rename-field"
        />
        {state.error ? <span className="inline-error" role="alert">{state.error}</span> : null}
      </span>
      <span className="trash-actions">
        <button type="submit" className="button button-small button-primary" disabled={state.busy}>Save</button>
        <button type="button" className="button button-small" onClick={() => onDone(false)} disabled={state.busy}>Cancel</button>
      </span>
    </form>
  );
}
