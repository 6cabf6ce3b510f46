/** How versions are named in the history panel. */
import type { VersionAuthor, VersionInfo } from '@tandem/protocol';

/** What a version is called in the list: its label, or what made it. */
export function versionTitle(version: Pick<VersionInfo, 'kind' | 'label'>): string {
  if (version.kind === 'named') return version.label ?? 'Named version';
  return version.kind === 'before-restore' ? 'Before a restore' : 'Saved automatically';
}

/** "Today, 14:32", "Yesterday, 09:05", "3 Jun, 14:32", "3 Jun 2024, 14:32" (in the browser's language and time zone). */
export function versionTime(iso: string, now = new Date(), locale?: string): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return '';
  const time = at.toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit' });
  const days = Math.round((startOfDay(now) - startOfDay(at)) / 86_400_000);
  if (days === 0) return `Today, ${time}`;
  if (days === 1) return `Yesterday, ${time}`;
  const sameYear = at.getFullYear() === now.getFullYear();
  const date = at.toLocaleDateString(locale, { day: 'numeric', month: 'short', ...(sameYear ? {} : { year: 'numeric' }) });
  return `${date}, ${time}`;
}

/** "Ada", "Ada and Bob", "Ada, Bob and 2 others"; "No edits" for none. */
export function authorsText(authors: readonly VersionAuthor[]): string {
  const names = authors.map((a) => a.name);
  if (names.length === 0) return 'No edits';
  if (names.length === 1) return names[0]!;
  if (names.length <= 3) return `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
  return `${names.slice(0, 2).join(', ')} and ${names.length - 2} others`;
}

function startOfDay(date: Date): number {
  return new Date(date.getFullYear(), date.getMonth(), date.getDate()).getTime();
}
