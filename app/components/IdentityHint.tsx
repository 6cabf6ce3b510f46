'use client';

import { initialsOf, textColorOn, type EditorUser } from '@tandem/editor';

/**
 * On a first visit, a quiet line under the header that says which name the app made up for this
 * person and offers to change it. It never takes focus (what they type goes into the document);
 * its buttons are in the tab order, right after the header's.
 */
export function IdentityHint({ user, onChangeName, onDismiss }: { user: EditorUser; onChangeName: () => void; onDismiss: () => void }) {
  return (
    <aside className="identity-invite" aria-label="Your name" data-testid="identity-hint">
      <span className="avatar avatar-self" style={{ background: user.color, color: textColorOn(user.color) }} aria-hidden="true">
        {initialsOf(user.name)}
      </span>
      <p>
        Others here see you as <strong>{user.name}</strong>.
      </p>
      <span className="identity-invite-actions">
        <button type="button" className="button button-small button-primary" onClick={onChangeName}>
          Change name
        </button>
        <button type="button" className="button button-small" onClick={onDismiss}>
          Keep this name
        </button>
      </span>
    </aside>
  );
}
