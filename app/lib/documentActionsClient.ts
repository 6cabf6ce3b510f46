/** Browser side of the document actions (`POST /api/docs/<doc>/<action>`, see app/api/docs/[docName]/[action]/route.ts). */
import type { DocumentAction } from './documentActions';
import { loadIdentity } from './identity';

export type ActionResult<T> = { ok: true; value: T } | { ok: false; error: string };

/**
 * Ask the app to take `action` on `docName`. `key` is the page's edit key (auth mode); the
 * person's display name goes along, recorded as who did it. Never throws: failures are values
 * with words to show.
 */
export async function requestDocumentAction<T>(docName: string, action: DocumentAction, body: Record<string, unknown> = {}): Promise<ActionResult<T>> {
  try {
    const response = await fetch(`/api/docs/${encodeURIComponent(docName)}/${action}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      credentials: 'same-origin',
      cache: 'no-store',
      body: JSON.stringify({ name: loadIdentity()?.name, ...body }),
      signal: AbortSignal.timeout(15_000),
    });
    const answer = (await response.json().catch(() => ({}))) as { error?: unknown };
    if (response.ok) return { ok: true, value: answer as T };
    return { ok: false, error: typeof answer.error === 'string' ? answer.error : `The app answered ${response.status}.` };
  } catch {
    return { ok: false, error: 'The app could not be reached. Check your connection and try again.' };
  }
}
