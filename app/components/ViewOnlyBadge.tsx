import './share.css';

/** Says, next to the status, that this page shows the document without letting you change it. */
export function ViewOnlyBadge() {
  return (
    <span className="view-only" title="You can read this document and others see you here, but you cannot change it." data-testid="view-only">
      <svg viewBox="0 0 24 24" width="14" height="14" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true">
        <path d="M2 12s3.6-7 10-7 10 7 10 7-3.6 7-10 7S2 12 2 12z" />
        <circle cx="12" cy="12" r="3" />
      </svg>
      View only
    </span>
  );
}
