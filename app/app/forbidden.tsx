import { HomeFrame } from '@/components/HomeFrame';
import '@/components/share.css';

/** Shown with HTTP 403 when a link's key is missing or does not open what the link asks for. */
export default function Forbidden() {
  return (
    <HomeFrame mainClassName="not-found refused" testId="refused">
        <span className="refused-icon" aria-hidden="true">
          <svg viewBox="0 0 24 24" width="22" height="22" fill="none" stroke="currentColor" strokeWidth="1.9" strokeLinecap="round" strokeLinejoin="round">
            <rect x="4" y="11" width="16" height="10" rx="2" />
            <path d="M8 11V7a4 4 0 0 1 8 0v4" />
          </svg>
        </span>
        <h1>This link doesn’t open anything</h1>
        <p>
          Its key is missing, or it doesn’t match. Each link is made for one document and one kind of access (edit, or
          view only) and stops working when it is changed.
        </p>
        <p className="refused-hint">Ask whoever shared the document for a new link.</p>
    </HomeFrame>
  );
}
