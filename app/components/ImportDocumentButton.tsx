'use client';

import { importFormatOf } from '@tandem/editor';
import { useRef, useState } from 'react';
import { IMPORT_PARAM, keepPendingImport } from '@/lib/pendingImport';
import { ImportFileInput } from './ImportFileInput';
import './fileMenu.css';

/**
 * "Import" on the document list: a Markdown, HTML or Word file becomes a new document. The file
 * waits in this browser while `/new` opens a fresh document, whose page imports it.
 */
export function ImportDocumentButton() {
  const input = useRef<HTMLInputElement>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const start = async (file: File) => {
    setError(null);
    if (!importFormatOf(file)) return setError(`“${file.name}” is not a Markdown, HTML or Word (.docx) file.`);
    setBusy(true);
    try {
      const id = await keepPendingImport(file);
      // eslint-disable-next-line @next/next/no-location-assign-relative-destination -- /new is a route handler (it makes the document and redirects): it needs a full load
      window.location.assign(`/new?${IMPORT_PARAM}=${encodeURIComponent(id)}`);
    } catch {
      setBusy(false);
      setError('This browser could not keep the file for the new document (is storage turned off?).');
    }
  };

  return (
    <span className="import-action">
      <button type="button" className="button" disabled={busy} onClick={() => input.current?.click()} data-testid="import-document">
        <svg viewBox="0 0 24 24" width="16" height="16" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true">
          <path d="M12 15V3" />
          <path d="m7 8 5-5 5 5" />
          <path d="M5 21h14" />
        </svg>
        {busy ? 'Importing…' : 'Import'}
      </button>
      <ImportFileInput ref={input} testId="import-document-input" onFile={(file) => void start(file)} />
      {error ? (
        <p className="import-error" role="alert">
          {error}
        </p>
      ) : null}
    </span>
  );
}
