import { HomeFrame } from './HomeFrame';
import './share.css';

/** `/` for everyone but the operator when the app runs with a secret. */
export function PrivateHome() {
  return (
    <HomeFrame mainClassName="not-found" testId="private-home">
        <h1>This Tandem is private</h1>
        <p>Documents here open with the link someone shared with you: an edit link, or a view-only link.</p>
        <div className="private-card">
          <strong>Running this server?</strong>
          <span>
            Open your operator link to see every document and start new ones. Print it where the app runs with{' '}
            <code>npm run links -w @tandem/app</code>.
          </span>
        </div>
    </HomeFrame>
  );
}
