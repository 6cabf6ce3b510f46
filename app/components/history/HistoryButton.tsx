'use client';

import type { TandemEditor } from '@tandem/editor';
import type { Node } from 'prosemirror-model';
import { useEffect, useMemo, useState } from 'react';
import { useModalDialog } from '@/lib/useModalDialog';
import { createVersionsClient } from '@/lib/versionsClient';
import { VersionHistory } from './VersionHistory';
import './history.css';

interface Props {
  docName: string;
  editor: TandemEditor | null;
  readOnly: boolean;
  /** Auth mode: mints sync-server tokens for this document. */
  getToken?: () => Promise<string>;
  /** A fixed token from the page's link, when there is one. */
  token?: string;
}

/** How long the compared "document now" may lag behind the editor while people type. */
const CURRENT_REFRESH_MS = 500;

/**
 * "History" in the document's top bar, and the panel it opens: a modal dialog (Escape closes it
 * and focus returns here) with the document's versions. Read-only on the view page.
 */
export function HistoryButton({ docName, editor, readOnly, getToken, token }: Props) {
  const [open, setOpen] = useState(false);
  const dialog = useModalDialog(open);
  const client = useMemo(() => createVersionsClient(docName, { getToken, token }), [docName, getToken, token]);
  const current = useCurrentDocument(open ? editor : null);

  return (
    <>
      <button type="button" className="button history-trigger" aria-haspopup="dialog" onClick={() => setOpen(true)} data-testid="history">
        <svg viewBox="0 0 24 24" width="16" height="16" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true">
          <path d="M3 12a9 9 0 1 0 3-6.7L3 8" />
          <path d="M3 3v5h5" />
          <path d="M12 7v5l3 2" />
        </svg>
        <span>History</span>
      </button>
      <dialog ref={dialog} className="history-dialog" aria-labelledby="history-title" onClose={() => setOpen(false)} data-testid="history-panel">
        {open ? <VersionHistory client={client} current={current} readOnly={readOnly} onClose={() => setOpen(false)} /> : null}
      </dialog>
    </>
  );
}

/** The editor's document, kept fresh (at most every CURRENT_REFRESH_MS) while `editor` is given. */
function useCurrentDocument(editor: TandemEditor | null): Node | undefined {
  const [current, setCurrent] = useState<Node | undefined>(undefined);
  useEffect(() => {
    if (!editor) return;
    setCurrent(editor.view.state.doc);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const onUpdate = () => {
      timer ??= setTimeout(() => {
        timer = undefined;
        setCurrent(editor.view.state.doc);
      }, CURRENT_REFRESH_MS);
    };
    editor.doc.on('update', onUpdate);
    return () => {
      clearTimeout(timer);
      editor.doc.off('update', onUpdate);
    };
  }, [editor]);
  return current;
}
