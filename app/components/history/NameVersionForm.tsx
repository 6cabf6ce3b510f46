'use client';

import { MAX_VERSION_LABEL_LENGTH } from '@tandem/protocol';
import { useEffect, useRef, useState } from 'react';

/** "Name this version": a label for the document as it is now ("Sent to client"). */
export function NameVersionForm({ onName, onCancel }: { onName: (label: string) => Promise<void>; onCancel: () => void }) {
  const [label, setLabel] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => input.current?.focus(), []);

  return (
    <form
      className="history-name-form"
      onSubmit={async (event) => {
        event.preventDefault();
        const trimmed = label.trim();
        if (!trimmed) return setError('Give the version a name.');
        setBusy(true);
        setError(null);
        try {
          await onName(trimmed);
        } catch (failure) {
          setError((failure as Error).message);
          setBusy(false);
        }
      }}
    >
      <label htmlFor="history-name-input">Name the document as it is now</label>
      <div className="history-name-row">
        <input
          id="history-name-input"
          ref={input}
          value={label}
          maxLength={MAX_VERSION_LABEL_LENGTH}
          placeholder="e.g. Sent to client"
          autoComplete="off"
          onChange={(event) => setLabel(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === 'Escape') {
              event.preventDefault(); // the dialog stays open; only the form closes
              onCancel();
            }
          }}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? 'history-name-error' : undefined}
          data-testid="version-label"
        />
        <button type="submit" className="button button-primary" disabled={busy}>
          {busy ? 'Saving…' : 'Save'}
        </button>
        <button type="button" className="button" onClick={onCancel} disabled={busy}>
          Cancel
        </button>
      </div>
      {error ? (
        <p id="history-name-error" className="history-error" role="alert">
          {error}
        </p>
      ) : null}
    </form>
  );
}
