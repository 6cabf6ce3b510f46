'use client';

import { ImportError, importFileIntoEditor, type TandemEditor } from '@tandem/editor';
import type { ExportFormat } from '@tandem/protocol';
import { useCallback, useId, useRef, useState } from 'react';
import { ExportError, downloadExport } from '@/lib/exportDownload';
import { useDismiss } from '@/lib/useDismiss';
import { ImportFileInput } from './ImportFileInput';
import './fileMenu.css';

const EXPORTS: Array<{ format: ExportFormat; label: string; hint: string }> = [
  { format: 'md', label: 'Markdown (.md)', hint: 'Plain text with formatting marks' },
  { format: 'html', label: 'Web page (.html)', hint: 'Opens in any browser' },
  { format: 'docx', label: 'Word (.docx)', hint: 'For Word, Pages, Google Docs' },
];

/**
 * "File" on the document page: export the document as Markdown, HTML or Word (from the sync
 * server, with the page's token), and — where the page may edit — import a Markdown, HTML or Word
 * file into the document at the cursor.
 */
export function FileMenu({
  docName,
  syncUrl,
  editor,
  canEdit,
  token,
}: {
  docName: string;
  syncUrl: string;
  editor: TandemEditor | null;
  canEdit: boolean;
  /** A token for the sync server (undefined in open mode). */
  token: () => Promise<string | undefined>;
}) {
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState<string | null>(null);
  const [message, setMessage] = useState<{ kind: 'error' | 'info'; text: string } | null>(null);
  const panel = useRef<HTMLDivElement>(null);
  const trigger = useRef<HTMLButtonElement>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const close = useCallback(() => setOpen(false), []);
  useDismiss(open, close, panel, trigger);
  const id = useId();

  const exportAs = async (format: ExportFormat) => {
    setBusy(format);
    setMessage(null);
    try {
      // What the editor typed must be on the server before the server writes the file.
      await Promise.race([editor?.whenSaved(), new Promise((resolve) => setTimeout(resolve, 5000))]);
      await downloadExport(syncUrl, docName, format, await token());
      setOpen(false);
    } catch (error) {
      setMessage({ kind: 'error', text: error instanceof ExportError ? error.message : 'The export failed.' });
    } finally {
      setBusy(null);
    }
  };

  const importFile = async (file: File) => {
    if (!editor) return;
    setBusy('import');
    setMessage(null);
    try {
      const { notes } = await importFileIntoEditor(editor.view, file);
      if (notes.length > 0) setMessage({ kind: 'info', text: `Imported “${file.name}”. ${notes.join(' ')}` });
      else setOpen(false);
      editor.focus();
    } catch (error) {
      setMessage({ kind: 'error', text: error instanceof ImportError ? error.message : `“${file.name}” could not be imported.` });
    } finally {
      setBusy(null);
    }
  };

  return (
    <div className="file-menu">
      <button
        ref={trigger}
        type="button"
        className="button file-menu-trigger"
        aria-expanded={open}
        aria-controls={`${id}-panel`}
        aria-label="Export or import"
        onClick={() => setOpen((o) => !o)}
        data-testid="file-menu"
      >
        <svg viewBox="0 0 24 24" width="16" height="16" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true">
          <path d="M12 3v12" />
          <path d="m7 10 5 5 5-5" />
          <path d="M5 21h14" />
        </svg>
        <span className="file-menu-label">Export</span>
      </button>
      {open ? (
        <div ref={panel} id={`${id}-panel`} className="popover-panel file-panel" role="dialog" aria-label="Export or import" data-testid="file-panel">
          <h2 className="file-heading">Download as</h2>
          <ul className="file-rows">
            {EXPORTS.map(({ format, label, hint }) => (
              <li key={format}>
                <button type="button" className="file-row" disabled={busy !== null} onClick={() => void exportAs(format)} data-testid={`export-${format}`}>
                  <strong>{busy === format ? 'Preparing…' : label}</strong>
                  <span>{hint}</span>
                </button>
              </li>
            ))}
          </ul>
          {canEdit ? (
            <>
              <h2 className="file-heading">Import into this document</h2>
              <button type="button" className="file-row" disabled={busy !== null || !editor} onClick={() => fileInput.current?.click()} data-testid="import-into">
                <strong>{busy === 'import' ? 'Importing…' : 'Import a file…'}</strong>
                <span>Markdown, HTML or Word, inserted at the cursor</span>
              </button>
              <ImportFileInput ref={fileInput} testId="import-into-input" onFile={(file) => void importFile(file)} />
            </>
          ) : null}
          {message ? (
            <p className={message.kind === 'error' ? 'file-message file-message-error' : 'file-message'} role={message.kind === 'error' ? 'alert' : 'status'}>
              {message.text}
            </p>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}
