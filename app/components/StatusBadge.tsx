'use client';

import { statusLabel, type DisplayStatus } from '@tandem/editor';

/**
 * Where the words on screen are, in words and a coloured dot: saving, all saved, offline (with
 * changes still being stored on this device, kept on it, or nothing unsaved), or not saved at all.
 * Read out politely by screen readers as it changes; the words are never hidden from them, even
 * where the label is hidden on narrow screens.
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
