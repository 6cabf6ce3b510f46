import type { EmbedRefusal } from '@/lib/embedAccess';
import './share.css';
import { LockIcon } from './LockIcon';

const REASONS: Record<EmbedRefusal, string> = {
  'no-credentials': 'This embed has no key or token for the document, and the server lets nobody in without one.',
  'token-invalid': 'The token in this embed’s address is not valid for this server.',
  'token-expired': 'The token in this embed’s address has expired.',
  'token-other-document': 'The token in this embed’s address is for another document.',
  'link-refused': 'The key in this embed’s address no longer opens the document.',
  'document-deleted': 'This document was deleted: it is in the trash.',
  'unavailable': 'The sync server cannot be reached to check the key in this embed’s address.',
};

/**
 * Shown instead of the editor when the sync server refuses (or will refuse) this embed: says so and
 * why, and offers nothing to type into — nothing typed here could reach the document.
 */
export function AccessRefused({ reason }: { reason: EmbedRefusal }) {
  return (
    <div className="access-refused" role="alert" data-testid="access-refused" data-reason={reason}>
      <LockIcon />
      <h1>Access refused</h1>
      <p>{REASONS[reason]}</p>
      <p className="refused-hint">Nothing can be read or changed here. Ask whoever embedded this document for a working link.</p>
    </div>
  );
}
