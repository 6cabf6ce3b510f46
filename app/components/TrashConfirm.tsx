'use client';

import { useState } from 'react';
import { requestDocumentAction } from '@/lib/documentActionsClient';
import { ConfirmDialog } from './ConfirmDialog';

/**
 * "Move to trash?" for one document: what happens to the people in it and how to undo it. Calls
 * `onDone(true)` once it is in the trash, `onDone(false)` when cancelled.
 */
export function TrashConfirm({ open, docName, title, linkKey, onDone }: { open: boolean; docName: string; title: string; linkKey?: string; onDone: (trashed: boolean) => void }) {
  const [state, setState] = useState<{ busy: boolean; error?: string }>({ busy: false });
  const confirm = async () => {
    setState({ busy: true });
    const result = await requestDocumentAction(docName, 'trash', { key: linkKey });
    setState(result.ok ? { busy: false } : { busy: false, error: result.error });
    if (result.ok) onDone(true);
  };
  return (
    <ConfirmDialog
      open={open}
      title={`Move “${title.trim() || 'Untitled'}” to the trash?`}
      confirmLabel="Move to trash"
      danger
      busy={state.busy}
      error={state.error}
      onConfirm={confirm}
      onCancel={() => {
        setState({ busy: false });
        onDone(false);
      }}
    >
      <p>Everyone who has it open is disconnected, and its links stop opening it. It can be restored from the trash, whole, until the server’s retention period ends (30 days unless its operator set another).</p>
    </ConfirmDialog>
  );
}
