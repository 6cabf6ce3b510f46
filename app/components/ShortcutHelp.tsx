'use client';

import { keyboardShortcuts } from '@tandem/editor';
import { useId, useMemo } from 'react';
import { HELP_SHORTCUT, keyLabel } from '@/lib/editorShortcuts';
import { useModalDialog } from '@/lib/useModalDialog';

/** The keyboard shortcut list (Mod-/ or the document menu): every shortcut the editor has (its own list), and this one. */
export function ShortcutHelp({ open, onClose }: { open: boolean; onClose: () => void }) {
  const dialog = useModalDialog(open);
  const id = useId();
  const shortcuts = useMemo(() => (open ? keyboardShortcuts() : []), [open]);
  return (
    <dialog ref={dialog} className="modal shortcut-help" aria-labelledby={`${id}-title`} onClose={onClose} data-testid="shortcut-help">
      <div className="modal-head">
        <h2 id={`${id}-title`} className="modal-title">Keyboard shortcuts</h2>
        <button type="button" className="icon-button" onClick={onClose} aria-label="Close" autoFocus>
          <svg viewBox="0 0 24 24" width="18" height="18" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" aria-hidden="true">
            <path d="M6 6l12 12M18 6L6 18" />
          </svg>
        </button>
      </div>
      {/* Only while open: the keys are written the way of the browser's platform, which the server does not know. */}
      {open ? (
        <table className="shortcut-table">
          <tbody>
            {shortcuts.map(({ action, keys }, row) => (
              <tr key={row} data-testid="shortcut">
                <th scope="row">{action}</th>
                <td>
                  {keys.map((key, i) => (
                    <span key={key}>
                      {i > 0 ? <span className="shortcut-or"> or </span> : null}
                      <kbd>{keyLabel(key)}</kbd>
                    </span>
                  ))}
                </td>
              </tr>
            ))}
            <tr>
              <th scope="row">Show this list</th>
              <td>
                <kbd>{keyLabel(HELP_SHORTCUT)}</kbd>
              </td>
            </tr>
          </tbody>
        </table>
      ) : null}
    </dialog>
  );
}
