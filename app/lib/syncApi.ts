/**
 * The Next server's calls to the sync server's document API (PROTOCOL.md, "Managing documents"):
 * the document list and the trash, one document's status (is it in the trash, which link
 * generations), trashing, restoring, deleting for good and resetting links. Server only: in auth
 * mode each call carries a short-lived token the app mints for itself (no `link` claim, so a reset
 * link never locks the app out).
 *
 * Never throws for the sync server's sake: an unreachable server or a refusal is a value.
 */
import type { DocListEntry, DocListPage, DocSort, DocStatus, LinkGenerations, LinkPurpose, TrashEntry } from '@tandem/protocol';
import { type Access, type AuthConfig, mintToken } from './auth';
import { getSyncHttpUrl } from './syncUrl';

export type SyncResult<T> = { ok: true; value: T } | { ok: false; status: number; error: string };

/** Who asks, as the sync server records it (the trash's `deletedBy`). */
export interface Requester {
  sub?: string;
  name?: string;
}

const TIMEOUT_MS = 5000;
/**
 * Deleting for good: a sync server in cluster mode waits until every instance has unloaded the
 * document, up to 10 s after it went to the trash (the browser gives the app 15 s).
 */
const DELETE_FOR_GOOD_TIMEOUT_MS = 14_000;
/** The app's own tokens live a minute: long enough for one call. */
const APP_TOKEN_SECONDS = 60;

/** A token for the app's own call about `doc` (a name, or `*` for the lists). */
async function appToken(config: AuthConfig, doc: string, access: Access, who: Requester = {}): Promise<string> {
  const { token } = await mintToken(
    { ...config, ttlSeconds: Math.min(config.ttlSeconds, APP_TOKEN_SECONDS) },
    { sub: who.sub ?? 'tandem-app', name: who.name ?? (who.sub ? undefined : 'Tandem app'), doc, access },
  );
  return token;
}

async function call<T>(
  config: AuthConfig | undefined,
  path: string,
  options: { method?: string; doc: string; access: Access; who?: Requester; body?: Record<string, unknown>; timeoutMs?: number },
): Promise<SyncResult<T>> {
  const url = `${getSyncHttpUrl()}${path}`;
  try {
    const headers: Record<string, string> = config ? { authorization: `Bearer ${await appToken(config, options.doc, options.access, options.who)}` } : {};
    if (options.body) headers['content-type'] = 'application/json';
    const request = options.body ? JSON.stringify(options.body) : undefined;
    const response = await fetch(url, { method: options.method ?? 'GET', cache: 'no-store', headers, body: request, signal: AbortSignal.timeout(options.timeoutMs ?? TIMEOUT_MS) });
    const body = (await response.json().catch(() => ({}))) as { error?: unknown };
    if (!response.ok) {
      const error = typeof body.error === 'string' ? body.error : `The sync server answered ${response.status}.`;
      return { ok: false, status: response.status, error };
    }
    return { ok: true, value: body as T };
  } catch (error) {
    const reason = error instanceof Error && error.name === 'TimeoutError' ? 'timed out' : 'is not reachable';
    return { ok: false, status: 503, error: `The sync server at ${getSyncHttpUrl()} ${reason}.` };
  }
}

/**
 * True when the sync server refused the app's own token (401/403): the two do not share
 * `TANDEM_AUTH_SECRET` (or the app's was changed), so no key the app checks opens anything there.
 * Final, unlike an unreachable server (503).
 */
export function refusedAppToken(result: SyncResult<unknown>): boolean {
  return !result.ok && (result.status === 401 || result.status === 403);
}

const docPath = (docName: string, rest = ''): string => `/api/docs/${encodeURIComponent(docName)}${rest}`;

export interface ListParams {
  q?: string;
  sort?: DocSort;
  cursor?: string;
  limit?: number;
}

function listQuery(params: ListParams): string {
  const query = new URLSearchParams();
  if (params.q) query.set('q', params.q);
  if (params.sort) query.set('sort', params.sort);
  if (params.cursor) query.set('cursor', params.cursor);
  if (params.limit) query.set('limit', String(params.limit));
  const text = query.toString();
  return text ? `?${text}` : '';
}

/** A page of the document list (not the trashed ones). */
export function fetchDocPage(config: AuthConfig | undefined, params: ListParams): Promise<SyncResult<DocListPage<DocListEntry>>> {
  return call(config, `/api/docs${listQuery(params)}`, { doc: '*', access: 'read' });
}

/** A page of the trash, last deleted first. */
export function fetchTrashPage(config: AuthConfig | undefined, params: Omit<ListParams, 'sort'>): Promise<SyncResult<DocListPage<TrashEntry>>> {
  return call(config, `/api/trash${listQuery(params)}`, { doc: '*', access: 'read' });
}

/** Whether `docName` is in the trash, and its link generations. */
export function fetchDocStatus(config: AuthConfig | undefined, docName: string): Promise<SyncResult<DocStatus>> {
  return call(config, docPath(docName), { doc: docName, access: 'read' });
}

/** Move a document to the trash; in open mode (no token says who) `who.name` goes along as `?by=`. */
export function trashDocument(config: AuthConfig | undefined, docName: string, who: Requester): Promise<SyncResult<{ deletedAt: string; purgeAt: string }>> {
  const by = !config && who.name ? `?by=${encodeURIComponent(who.name)}` : '';
  return call(config, docPath(docName, by), { method: 'DELETE', doc: docName, access: 'write', who });
}

export function restoreDocument(config: AuthConfig | undefined, docName: string, who: Requester): Promise<SyncResult<{ name: string }>> {
  return call(config, docPath(docName, '/restore'), { method: 'POST', doc: docName, access: 'write', who });
}

export function deleteDocumentForGood(config: AuthConfig | undefined, docName: string, who: Requester): Promise<SyncResult<{ deleted: true }>> {
  return call(config, docPath(docName, '?permanent=1'), { method: 'DELETE', doc: docName, access: 'write', who, timeoutMs: DELETE_FOR_GOOD_TIMEOUT_MS });
}

/** Give a document a new title (a change the sync server makes at its next cut, received by everyone in it). */
export function renameDocument(config: AuthConfig | undefined, docName: string, title: string, who: Requester): Promise<SyncResult<{ name: string; title: string }>> {
  return call(config, docPath(docName, '/title'), { method: 'PUT', doc: docName, access: 'write', who, body: { title } });
}

/** Copy a document to the fresh name `copyName` (409 when it is taken). The app's token covers every document: only the operator duplicates. */
export function duplicateDocument(config: AuthConfig | undefined, docName: string, copyName: string, who: Requester): Promise<SyncResult<{ name: string; title: string }>> {
  return call(config, docPath(docName, '/duplicate'), { method: 'POST', doc: '*', access: 'write', who, body: { name: copyName } });
}

/** Reset one of a document's links: its old key stops working. Resolves with the new generations. */
export function rotateLink(config: AuthConfig | undefined, docName: string, purpose: LinkPurpose, who: Requester): Promise<SyncResult<LinkGenerations>> {
  return call(config, docPath(docName, `/links/${purpose}/rotate`), { method: 'POST', doc: docName, access: 'write', who });
}
