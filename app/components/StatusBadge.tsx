'use client';

import type { ConnectionStatus } from '@tandem/editor';

export type SyncState = ConnectionStatus | 'loading' | 'synced';

const LABELS: Record<SyncState, string> = {
  connecting: 'Connecting…',
  loading: 'Loading…',
  connected: 'Connected',
  synced: 'All changes synced',
  offline: 'Offline — reconnecting…',
};

/**
 * Connection and sync state, in words and a coloured dot. Offline with edits: they are kept in
 * this tab and sent when the connection is back.
 */
export function StatusBadge({ state, pendingOffline }: { state: SyncState; pendingOffline?: boolean }) {
  const label = state === 'offline' && pendingOffline ? 'Offline — edits will sync when back online' : LABELS[state];
  return (
    <span className="status" data-state={state} role="status" aria-live="polite" data-testid="status">
      <span className="status-dot" aria-hidden="true" />
      <span className="status-label">{label}</span>
    </span>
  );
}
