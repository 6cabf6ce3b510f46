'use client';

import type { VersionInfo } from '@tandem/protocol';
import { authorsText, versionTime, versionTitle } from '@/lib/versionLabels';

/** The versions, newest first: when, what made it (or its name), and who edited. Arrow keys move between them. */
export function VersionList({ versions, selected, onSelect }: { versions: VersionInfo[]; selected: string | undefined; onSelect: (id: string) => void }) {
  const move = (from: HTMLElement, by: number) => {
    const buttons = [...(from.closest('ul')?.querySelectorAll<HTMLButtonElement>('button.history-item') ?? [])];
    const next = buttons[buttons.indexOf(from as HTMLButtonElement) + by];
    next?.focus();
  };
  return (
    <ul className="history-list" aria-label="Versions, newest first" data-testid="version-list">
      {versions.map((version) => (
        <li key={version.id}>
          <button
            type="button"
            className="history-item"
            data-kind={version.kind}
            aria-current={version.id === selected ? 'true' : undefined}
            onClick={() => onSelect(version.id)}
            onKeyDown={(event) => {
              if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
                event.preventDefault();
                move(event.currentTarget, event.key === 'ArrowDown' ? 1 : -1);
              }
            }}
            data-testid="version-item"
          >
            <span className="history-item-time">{versionTime(version.createdAt)}</span>
            <span className="history-item-title">{versionTitle(version)}</span>
            <span className="history-item-authors">{authorsText(version.authors)}</span>
          </button>
        </li>
      ))}
    </ul>
  );
}
