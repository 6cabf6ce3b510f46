import type { DocStatus } from '@tandem/protocol';
import { HomeFrame } from './HomeFrame';
import { RestoreButton } from './RestoreButton';

const dateFormat = new Intl.DateTimeFormat('en', { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' });

/**
 * `/d/<doc>` and `/v/<doc>` for a document in the trash: when it was deleted and by whom, when it
 * goes for good, and — for whoever may edit it — a way to restore it.
 */
export function DeletedDocument({ docName, trash, canRestore, restoreKey }: { docName: string; trash: NonNullable<DocStatus['trash']>; canRestore: boolean; restoreKey?: string }) {
  return (
    <HomeFrame mainClassName="not-found" testId="deleted-document">
      <h1>This document was deleted</h1>
      <p>
        It was moved to the trash{trash.deletedBy ? ` by ${trash.deletedBy}` : ''} on <time dateTime={trash.deletedAt}>{dateFormat.format(new Date(trash.deletedAt))} UTC</time>.
        {' '}It will be deleted for good on <time dateTime={trash.purgeAt}>{dateFormat.format(new Date(trash.purgeAt))} UTC</time>
        {canRestore ? ' unless it is restored.' : '.'}
      </p>
      <p>
        {canRestore ? <RestoreButton docName={docName} linkKey={restoreKey} /> : null}
        <a className="button" href="/">All documents</a>
      </p>
    </HomeFrame>
  );
}
