import { HomeFrame } from '@/components/HomeFrame';

export default function NotFound() {
  return (
    <HomeFrame mainClassName="not-found">
        <h1>Nothing here</h1>
        <p>
          This address does not name a document. Document names use letters, digits, dots, dashes and underscores.
        </p>
        <p>
          <a className="button" href="/">All documents</a> <a className="button button-primary" href="/new">New document</a>
        </p>
    </HomeFrame>
  );
}
