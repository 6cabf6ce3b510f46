import { HomeFrame } from '@/components/HomeFrame';
import { LockIcon } from '@/components/LockIcon';
import '@/components/share.css';

/** Shown with HTTP 403 when a link's key is missing or does not open what the link asks for. */
export default function Forbidden() {
  return (
    <HomeFrame mainClassName="not-found refused" testId="refused">
        <LockIcon />
        <h1>This link doesn’t open anything</h1>
        <p>
          Its key is missing, or it doesn’t match. Each link is made for one document and one kind of access (edit, or
          view only) and stops working when it is changed.
        </p>
        <p className="refused-hint">Ask whoever shared the document for a new link.</p>
    </HomeFrame>
  );
}
