'use client';

import { statusLabel, type DisplayStatus } from '@tandem/editor';

/**
 * Where this person's words are, in words and a coloured dot: saving, all saved, or offline
 * (with the edits kept on this device, or nothing unsaved). Read out politely by screen readers
 * as it changes; the words are never hidden from them, even where the label is hidden on narrow
 * screens.
 */
export function StatusBadge({ state, localCopy = true }: { state: DisplayStatus; localCopy?: boolean }) {
  const label = statusLabel(state, localCopy);
  return (
    <span className="status" data-state={state} role="status" aria-live="polite" data-testid="status" title={label}>
      <span className="status-dot" aria-hidden="true" />
      <span className="status-label">{label}</span>
    </span>
  );
}
