import Link from 'next/link';

/** The Tandem wordmark: two overlapping carets, linking home. */
export function Logo({ compact = false }: { compact?: boolean }) {
  return (
    <Link href="/" className="logo" aria-label="Tandem — all documents">
      <svg viewBox="0 0 28 28" width="26" height="26" aria-hidden="true">
        <rect width="28" height="28" rx="7" fill="var(--ink)" />
        <path d="M10 7v14" stroke="#7c9cff" strokeWidth="2.6" strokeLinecap="round" />
        <path d="M17 7v14" stroke="#ff8a65" strokeWidth="2.6" strokeLinecap="round" />
      </svg>
      {compact ? null : <span>Tandem</span>}
    </Link>
  );
}
