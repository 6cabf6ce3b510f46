import { RestoreButton } from './RestoreButton';

export type GoneReason = 'deleted' | 'revoked';

/**
 * Over a document that is no longer open to this page: it was moved to the trash (close 4410) or
 * the link this page was opened with was reset (close 4411, or the app refusing its key). The text
 * stays on screen to read and copy; nothing typed would be saved.
 */
export function DocumentGoneNotice({ reason, docName, restoreKey, canRestore }: { reason: GoneReason; docName: string; restoreKey?: string; canRestore: boolean }) {
  return (
    <div className="doc-notice" role="alert" data-testid="document-gone" data-reason={reason}>
      <div className="doc-notice-text">
        {reason === 'deleted' ? (
          <>
            <strong>This document was deleted.</strong>
            <span> It is in the trash, where it can be restored. Changes made here are no longer saved.</span>
          </>
        ) : (
          <>
            <strong>This link was reset and no longer opens the document.</strong>
            <span> Changes made here are no longer saved. Ask whoever shared it for the new link.</span>
          </>
        )}
      </div>
      <div className="doc-notice-actions">
        {reason === 'deleted' && canRestore ? <RestoreButton docName={docName} linkKey={restoreKey} /> : null}
        <a className="button" href="/">All documents</a>
      </div>
    </div>
  );
}
