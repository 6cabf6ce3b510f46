import { HomeFrame } from './HomeFrame';

/** When a link cannot be checked because the sync server (which keeps the links' generations) does not answer. */
export function SyncUnavailable({ error }: { error: string }) {
  return (
    <HomeFrame mainClassName="not-found" testId="sync-unavailable">
      <h1>This link can’t be checked right now</h1>
      <p>{error} Links are checked against the sync server, which keeps which of them still work.</p>
      <p>
        <a className="button button-primary" href="">Try again</a>
      </p>
    </HomeFrame>
  );
}
