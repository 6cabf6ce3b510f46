'use client';

import { type ReactNode, useId } from 'react';
import { useModalDialog } from '@/lib/useModalDialog';

/**
 * A modal question with a cancel and a confirm button (a native `<dialog>`: focus stays inside,
 * Escape cancels). Rendered only while `open`; `busy` disables the buttons while the action runs,
 * and `error` says why it failed.
 */
export function ConfirmDialog({
  open,
  title,
  children,
  confirmLabel,
  danger = false,
  busy = false,
  error,
  onConfirm,
  onCancel,
}: {
  open: boolean;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  danger?: boolean;
  busy?: boolean;
  error?: string;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const dialog = useModalDialog(open);
  const id = useId();
  if (!open) return null;
  return (
    <dialog
      ref={dialog}
      className="modal"
      aria-labelledby={`${id}-title`}
      onCancel={(event) => {
        event.preventDefault();
        if (!busy) onCancel();
      }}
      data-testid="confirm-dialog"
    >
      <h2 id={`${id}-title`} className="modal-title">{title}</h2>
      <div className="modal-body">{children}</div>
      {error ? <p className="modal-error" role="alert">{error}</p> : null}
      <div className="modal-actions">
        <button type="button" className="button" onClick={onCancel} disabled={busy}>Cancel</button>
        <button type="button" className={danger ? 'button button-danger' : 'button button-primary'} onClick={onConfirm} disabled={busy} data-testid="confirm">
          {confirmLabel}
        </button>
      </div>
    </dialog>
  );
}
