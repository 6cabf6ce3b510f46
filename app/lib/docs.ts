import { getSyncHttpUrl } from './syncUrl';

/** A document as the sync server lists it. */
export interface DocSummary {
  name: string;
  title: string | null;
  size: number;
  updatedAt: string;
}

export type DocList = { ok: true; docs: DocSummary[] } | { ok: false; error: string };

/**
 * The documents on the sync server, newest first. Never throws: an unreachable server is an error
 * value. `token` (auth mode) is sent as a Bearer token; the server lists what it covers.
 */
export async function listDocs(timeoutMs = 3000, token?: string): Promise<DocList> {
  const url = `${getSyncHttpUrl()}/api/docs`;
  try {
    const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
    const response = await fetch(url, { cache: 'no-store', headers, signal: AbortSignal.timeout(timeoutMs) });
    if (!response.ok) return { ok: false, error: `The sync server answered ${response.status} for ${url}.` };
    const body = (await response.json()) as { docs?: unknown };
    if (!Array.isArray(body.docs)) return { ok: false, error: `The sync server sent an unexpected document list.` };
    const docs = body.docs.filter(isDocSummary);
    docs.sort((a, b) => Date.parse(b.updatedAt) - Date.parse(a.updatedAt));
    return { ok: true, docs };
  } catch (error) {
    const reason = error instanceof Error && error.name === 'TimeoutError' ? 'timed out' : 'is not reachable';
    return { ok: false, error: `The sync server at ${getSyncHttpUrl()} ${reason}.` };
  }
}

function isDocSummary(value: unknown): value is DocSummary {
  const doc = value as DocSummary;
  return (
    typeof doc === 'object' && doc !== null && typeof doc.name === 'string' &&
    (doc.title === null || doc.title === undefined || typeof doc.title === 'string') &&
    typeof doc.updatedAt === 'string'
  );
}

const units: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ['year', 365 * 24 * 3600], ['month', 30 * 24 * 3600], ['week', 7 * 24 * 3600],
  ['day', 24 * 3600], ['hour', 3600], ['minute', 60],
];

/** "just now", "5 minutes ago", "yesterday", "3 weeks ago". */
export function timeAgo(iso: string, now = Date.now()): string {
  const then = Date.parse(iso);
  if (!Number.isFinite(then)) return '';
  const seconds = Math.round((then - now) / 1000);
  if (Math.abs(seconds) < 45) return 'just now';
  const format = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
  for (const [unit, size] of units) {
    if (Math.abs(seconds) >= size * 0.9) return format.format(Math.round(seconds / size), unit);
  }
  return format.format(Math.round(seconds / 60), 'minute');
}

/** "1.2 KB" */
export function formatSize(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '';
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
