/** "First page" (when on a later page) and "Next page" (when there is one) under a listing. */
export function Pager({ first, next }: { first?: string; next?: string }) {
  if (!first && !next) return null;
  return (
    <nav className="pager" aria-label="Pages">
      {first ? <a className="button" href={first}>First page</a> : <span />}
      {next ? <a className="button" href={next} data-testid="next-page">Next page</a> : null}
    </nav>
  );
}
