'use client';

import { useCallback, useEffect, useId, useRef, useState } from 'react';
import { useDismiss } from '@/lib/useDismiss';
import './share.css';

type Which = 'edit' | 'view';

const ROWS: Array<{ which: Which; title: string; hint: string }> = [
  { which: 'edit', title: 'Can edit', hint: 'Anyone with this link can change the document.' },
  { which: 'view', title: 'View only', hint: 'Anyone with this link can read along and is seen by others, but cannot change anything.' },
];

/**
 * "Share" on the edit page when the app runs with a secret: two links, each with its own key,
 * one that edits and one that only views. Copy buttons fall back to selecting the link.
 */
export function ShareMenu({ links }: { links: { edit: string; view: string } }) {
  const [open, setOpen] = useState(false);
  const [copied, setCopied] = useState<Which | null>(null);
  const [origin, setOrigin] = useState('');
  const panel = useRef<HTMLDivElement>(null);
  const trigger = useRef<HTMLButtonElement>(null);
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  const close = useCallback(() => setOpen(false), []);
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
        <div ref={panel} id={`${id}-panel`} className="share-panel" role="dialog" aria-label="Share this document" data-testid="share-panel">
          <h2 className="share-heading">Share this document</h2>
          <ul className="share-rows">
            {ROWS.map(({ which, title, hint }) => (
              <ShareRow key={which} which={which} title={title} hint={hint} url={urlOf(which)} copied={copied === which} onCopy={copy} />
            ))}
          </ul>
          <p className="share-note">
            <svg viewBox="0 0 24 24" width="14" height="14" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true">
              <rect x="4" y="11" width="16" height="10" rx="2" />
              <path d="M8 11V7a4 4 0 0 1 8 0v4" />
            </svg>
            Each link carries its own key. Share it like a password.
          </p>
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
}: {
  which: Which;
  title: string;
  hint: string;
  url: string;
  copied: boolean;
  onCopy: (which: Which, input: HTMLInputElement | null) => void;
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
    </li>
  );
}
