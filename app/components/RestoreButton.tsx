'use client';

import { useState } from 'react';
import { requestDocumentAction } from '@/lib/documentActionsClient';

/** Takes a document out of the trash and opens it. `linkKey`: the page's edit key (auth mode). */
export function RestoreButton({ docName, linkKey, primary = true }: { docName: string; linkKey?: string; primary?: boolean }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const restore = async () => {
    setBusy(true);
    setError(undefined);
    const result = await requestDocumentAction<{ path: string }>(docName, 'restore', { key: linkKey });
    if (result.ok) return window.location.assign(result.value.path);
    setBusy(false);
    setError(result.error);
  };
  return (
    <>
      <button type="button" className={primary ? 'button button-primary' : 'button'} onClick={restore} disabled={busy} data-testid="restore">
        {busy ? 'Restoring…' : 'Restore'}
      </button>
      {error ? <span className="inline-error" role="alert">{error}</span> : null}
    </>
  );
}
