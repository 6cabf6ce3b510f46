'use client';

import { useCallback, useEffect, useId, useRef, useState } from 'react';
import { requestDocumentAction } from '@/lib/documentActionsClient';
import { useDismiss } from '@/lib/useDismiss';
import { ConfirmDialog } from './ConfirmDialog';
import './share.css';

type Which = 'edit' | 'view';
type Links = { edit: string; view: string };

const ROWS: Array<{ which: Which; title: string; hint: string }> = [
  { which: 'edit', title: 'Can edit', hint: 'Anyone with this link can change the document.' },
  { which: 'view', title: 'View only', hint: 'Anyone with this link can read along and is seen by others, but cannot change anything.' },
];

const RESET_WARNINGS: Record<Which, string> = {
  edit: 'The edit link you have now stops working at once, here too: this page reopens with the new one. Everyone editing with the old link is disconnected and needs the new link.',
  view: 'The view-only link you have now stops working at once. Everyone reading with it is disconnected and needs the new link. The edit link stays as it is.',
};

/**
 * "Share" on the edit page when the app runs with a secret: two links, each with its own key,
 * one that edits and one that only views. Copy buttons fall back to selecting the link. Either
 * link can be reset (a leaked link revoked): its old key stops opening the document at once.
 */
export function ShareMenu({ links: initialLinks, docName, linkKey }: { links: Links; docName: string; linkKey: string }) {
  const [links, setLinks] = useState(initialLinks);
  const [resetting, setResetting] = useState<Which | null>(null);
  const [resetState, setResetState] = useState<{ busy: boolean; error?: string }>({ busy: false });
  const [open, setOpen] = useState(false);
  const [copied, setCopied] = useState<Which | null>(null);
  const [origin, setOrigin] = useState('');
  const panel = useRef<HTMLDivElement>(null);
  const trigger = useRef<HTMLButtonElement>(null);
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  const close = useCallback(() => {
    setOpen(false);
    setResetting(null);
  }, []);
  useDismiss(open, close, panel, trigger);
  const id = useId();

  useEffect(() => setOrigin(window.location.origin), []);
  useEffect(() => () => clearTimeout(timer.current), []);

  const urlOf = (which: Which) => `${origin}${links[which]}`;
  const copy = async (which: Which, input: HTMLInputElement | null) => {
    try {
      await navigator.clipboard.writeText(urlOf(which));
    } catch {
      input?.focus();
      input?.select();
      return;
    }
    setCopied(which);
    clearTimeout(timer.current);
    timer.current = setTimeout(() => setCopied(null), 2000);
  };

  const reset = async (which: Which) => {
    setResetState({ busy: true });
    const result = await requestDocumentAction<{ links: Links }>(docName, 'rotate-link', { key: linkKey, link: which === 'edit' ? 'write' : 'read' });
    if (!result.ok) return setResetState({ busy: false, error: result.error });
    if (which === 'edit') return window.location.replace(result.value.links.edit);
    setLinks(result.value.links);
    setResetState({ busy: false });
    setResetting(null);
  };

  return (
    <div className="share-menu">
      <button
        ref={trigger}
        type="button"
        className="button button-primary share"
        aria-expanded={open}
        aria-controls={`${id}-panel`}
        onClick={() => setOpen((o) => !o)}
        data-testid="share"
      >
        <svg viewBox="0 0 24 24" width="16" height="16" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true">
          <path d="M10 13a5 5 0 0 0 7.5.5l3-3a5 5 0 0 0-7-7l-1.7 1.7" />
          <path d="M14 11a5 5 0 0 0-7.5-.5l-3 3a5 5 0 0 0 7 7l1.7-1.7" />
        </svg>
        <span>Share</span>
      </button>
      {open ? (
        <div ref={panel} id={`${id}-panel`} className="popover-panel share-panel" role="dialog" aria-label="Share this document" data-testid="share-panel">
          <h2 className="share-heading">Share this document</h2>
          <ul className="share-rows">
            {ROWS.map(({ which, title, hint }) => (
              <ShareRow
                key={which}
                which={which}
                title={title}
                hint={hint}
                url={urlOf(which)}
                copied={copied === which}
                onCopy={copy}
                onReset={() => {
                  setResetState({ busy: false });
                  setResetting(which);
                }}
              />
            ))}
          </ul>
          <p className="share-note">
            <svg viewBox="0 0 24 24" width="14" height="14" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true">
              <rect x="4" y="11" width="16" height="10" rx="2" />
              <path d="M8 11V7a4 4 0 0 1 8 0v4" />
            </svg>
            Each link carries its own key. Share it like a password; reset it if it leaks.
          </p>
          <ConfirmDialog
            open={resetting !== null}
            title={resetting === 'edit' ? 'Reset the edit link?' : 'Reset the view-only link?'}
            confirmLabel="Reset link"
            danger
            busy={resetState.busy}
            error={resetState.error}
            onConfirm={() => resetting && void reset(resetting)}
            onCancel={() => setResetting(null)}
          >
            <p>{resetting ? RESET_WARNINGS[resetting] : null}</p>
          </ConfirmDialog>
        </div>
      ) : null}
    </div>
  );
}

function ShareRow({
  which,
  title,
  hint,
  url,
  copied,
  onCopy,
  onReset,
}: {
  which: Which;
  title: string;
  hint: string;
  url: string;
  copied: boolean;
  onCopy: (which: Which, input: HTMLInputElement | null) => void;
  onReset: () => void;
}) {
  const input = useRef<HTMLInputElement>(null);
  return (
    <li className="share-row" data-which={which}>
      <span className="share-icon" aria-hidden="true">
        {which === 'edit' ? (
          <svg viewBox="0 0 24 24" width="18" height="18" fill="none" stroke="currentColor" strokeWidth="1.9" strokeLinecap="round" strokeLinejoin="round">
            <path d="M12 20h9" />
            <path d="M16.5 3.5a2.1 2.1 0 0 1 3 3L7 19l-4 1 1-4z" />
          </svg>
        ) : (
          <svg viewBox="0 0 24 24" width="18" height="18" fill="none" stroke="currentColor" strokeWidth="1.9" strokeLinecap="round" strokeLinejoin="round">
            <path d="M2 12s3.6-7 10-7 10 7 10 7-3.6 7-10 7S2 12 2 12z" />
            <circle cx="12" cy="12" r="3" />
          </svg>
        )}
      </span>
      <span className="share-text">
        <strong>{title}</strong>
        <span>{hint}</span>
        <input
          ref={input}
          className="share-url"
          readOnly
          value={url}
          aria-label={`${title} link`}
          onFocus={(event) => event.currentTarget.select()}
          data-testid={`share-${which}-link`}
        />
      </span>
      <span className="share-buttons">
        <button type="button" className="button share-copy" onClick={() => onCopy(which, input.current)} data-testid={`share-copy-${which}`}>
          {copied ? (
            <>
              <svg viewBox="0 0 24 24" width="14" height="14" fill="none" stroke="currentColor" strokeWidth="2.4" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true">
                <path d="M20 6 9 17l-5-5" />
              </svg>
              Copied
            </>
          ) : (
            'Copy link'
          )}
        </button>
        <button type="button" className="link-button share-reset" onClick={onReset} data-testid={`share-reset-${which}`} aria-label={`Reset the ${which === 'edit' ? 'edit' : 'view-only'} link`}>
          Reset
        </button>
      </span>
    </li>
  );
}
