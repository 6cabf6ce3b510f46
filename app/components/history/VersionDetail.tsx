'use client';

import type { VersionInfo } from '@tandem/protocol';
import type { Node } from 'prosemirror-model';
import { useEffect, useId, useMemo, useRef, useState } from 'react';
import { diffDocuments } from '@/lib/versionDiff';
import { authorsText, versionTime, versionTitle } from '@/lib/versionLabels';
import { VersionPreview } from './VersionPreview';

export type CompareWith = 'current' | 'previous';

/** What the marks mean, as the key beside the summary says it. */
const KEY: Record<CompareWith, { added: string; removed: string }> = {
  current: { added: 'Only in this version', removed: 'Only in the document now' },
  previous: { added: 'Added in this version', removed: 'Removed in this version' },
};

interface Props {
  version: VersionInfo;
  /** The version before it, if any. */
  previous: VersionInfo | undefined;
  /** The document as it is now in this editor. */
  current: Node | undefined;
  load: (id: string) => Promise<Node>;
  /** Undefined on the view-only page: no restoring there. */
  onRestore: ((id: string) => Promise<void>) | undefined;
}

/** One version, read-only, with what differs from the document now (or from the version before) marked; and "Restore". */
export function VersionDetail({ version, previous, current, load, onRestore }: Props) {
  const [compareWith, setCompareWith] = useState<CompareWith>('current');
  const [shown, setShown] = useState<Node | undefined>(undefined);
  const [before, setBefore] = useState<Node | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  const name = useId();

  useEffect(() => {
    let live = true;
    setShown(undefined);
    setBefore(undefined);
    setError(null);
    Promise.all([load(version.id), previous ? load(previous.id) : undefined]).then(
      ([node, previousNode]) => {
        if (!live) return;
        setShown(node);
        setBefore(previousNode);
      },
      (failure: Error) => live && setError(failure.message),
    );
    return () => {
      live = false;
    };
  }, [version.id, previous, load]);

  const base = compareWith === 'current' ? current : before;
  const diff = useMemo(() => (shown && base ? diffDocuments(base, shown) : undefined), [shown, base]);
  const summary = diff ? changeSummary(diff) : undefined;

  return (
    <section className="history-detail" aria-labelledby={`${name}-title`} data-testid="version-detail">
      <header className="history-detail-head">
        <div>
          <h3 id={`${name}-title`} className="history-detail-title">{versionTitle(version)}</h3>
          <p className="history-detail-meta">
            {versionTime(version.createdAt)} · {authorsText(version.authors)}
          </p>
        </div>
        {onRestore ? <RestoreButton onRestore={() => onRestore(version.id)} /> : null}
      </header>
      <fieldset className="history-compare">
        <legend>Compare with</legend>
        {(['current', 'previous'] as const).map((which) => (
          <label key={which} className="history-compare-option">
            <input
              type="radio"
              name={`${name}-compare`}
              value={which}
              checked={compareWith === which}
              disabled={which === 'previous' && !previous}
              onChange={() => setCompareWith(which)}
            />
            {which === 'current' ? 'Document now' : 'Previous version'}
          </label>
        ))}
      </fieldset>
      <div className="history-legend" aria-live="polite" data-testid="change-summary">
        <span>{summary ?? 'Comparing…'}</span>
        {diff && diff.added.length > 0 ? <ins className="history-added">{KEY[compareWith].added}</ins> : null}
        {diff && diff.removed.length > 0 ? <del className="history-removed">{KEY[compareWith].removed}</del> : null}
      </div>
      {error ? (
        <p className="history-error" role="alert">
          {error}
        </p>
      ) : shown ? (
        <VersionPreview doc={shown} diff={diff} label={`${versionTitle(version)}, ${versionTime(version.createdAt)}`} />
      ) : (
        <div className="history-loading" aria-busy="true">Loading the version…</div>
      )}
    </section>
  );
}

/** "2 additions, 1 removal" — counted in places, not characters. */
function changeSummary(diff: { added: unknown[]; removed: unknown[] }): string {
  const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
  if (diff.added.length === 0 && diff.removed.length === 0) return 'No text differs.';
  return `${count(diff.added.length, 'addition', 'additions')}, ${count(diff.removed.length, 'removal', 'removals')}:`;
}

/** "Restore this version", then a confirmation that says what happens. */
function RestoreButton({ onRestore }: { onRestore: () => Promise<void> }) {
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const confirm = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (confirming) confirm.current?.focus();
  }, [confirming]);

  if (!confirming) {
    return (
      <button type="button" className="button button-primary" onClick={() => setConfirming(true)} data-testid="restore">
        Restore this version
      </button>
    );
  }
  return (
    <div className="history-confirm" role="alertdialog" aria-labelledby="history-confirm-text" aria-describedby="history-confirm-detail">
      <p id="history-confirm-text">
        <strong>Restore this version for everyone?</strong>
      </p>
      <p id="history-confirm-detail">What the document holds now is kept as a version first, so you can go back to it.</p>
      {error ? (
        <p className="history-error" role="alert">
          {error}
        </p>
      ) : null}
      <div className="history-confirm-actions">
        <button
          ref={confirm}
          type="button"
          className="button button-primary"
          disabled={busy}
          onClick={async () => {
            setBusy(true);
            setError(null);
            try {
              await onRestore();
              setConfirming(false);
            } catch (failure) {
              setError((failure as Error).message);
            } finally {
              setBusy(false);
            }
          }}
          data-testid="confirm-restore"
        >
          {busy ? 'Restoring…' : 'Restore'}
        </button>
        <button type="button" className="button" disabled={busy} onClick={() => setConfirming(false)}>
          Cancel
        </button>
      </div>
    </div>
  );
}
