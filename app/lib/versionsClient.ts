/**
 * The browser's side of the version API, through the app (`/api/docs/<doc>/versions…`, see
 * versionsProxy.ts). In auth mode each request carries a sync-server token as a bearer token,
 * fetched with the page's `getToken` and reused until shortly before it expires.
 */
import type { RestoreResult, VersionInfo } from '@tandem/protocol';

/** A refusal or failure, with the message to show. */
export class VersionsError extends Error {
  override name = 'VersionsError';
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

export interface VersionsClient {
  list(): Promise<VersionInfo[]>;
  /** A version's body as ProseMirror JSON. */
  content(id: string): Promise<Record<string, unknown>>;
  /** Name the document as it is now; resolves with the new version's id. */
  name(label: string): Promise<string>;
  restore(id: string): Promise<RestoreResult>;
}

/** A token is used until this long before its `exp`. */
const TOKEN_MARGIN_MS = 30_000;

/**
 * `getToken` (auth mode) mints tokens; `token` is a fixed one (a `?token=` link). Neither: open mode.
 */
export function createVersionsClient(docName: string, auth: { getToken?: () => Promise<string>; token?: string } = {}): VersionsClient {
  let cached: { token: string; expiresAt: number } | undefined;
  const bearer = async (): Promise<string | undefined> => {
    if (!auth.getToken) return auth.token;
    if (cached && cached.expiresAt - TOKEN_MARGIN_MS > Date.now()) return cached.token;
    const token = await auth.getToken();
    cached = { token, expiresAt: expiryOf(token) };
    return token;
  };
  const base = `/api/docs/${encodeURIComponent(docName)}/versions`;
  const call = async (path: string, init: RequestInit = {}): Promise<Response> => {
    const token = await bearer();
    const headers = new Headers(init.headers);
    if (token) headers.set('authorization', `Bearer ${token}`);
    let response: Response;
    try {
      response = await fetch(`${base}${path}`, { ...init, headers, cache: 'no-store', credentials: 'same-origin' });
    } catch {
      throw new VersionsError('The app is not reachable. Check your connection and try again.', 0);
    }
    if (!response.ok) throw new VersionsError(await errorOf(response), response.status);
    return response;
  };
  return {
    list: async () => (await (await call('')).json()) as VersionInfo[],
    content: async (id) => (await (await call(`/${encodeURIComponent(id)}?format=json`)).json()) as Record<string, unknown>,
    name: async (label) => {
      const response = await call('', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ label }) });
      return ((await response.json()) as { id: string }).id;
    },
    restore: async (id) => (await (await call(`/${encodeURIComponent(id)}/restore`, { method: 'POST' })).json()) as RestoreResult,
  };
}

/** The `exp` of a JWT in milliseconds; 0 (use once) when it cannot be read. */
function expiryOf(token: string): number {
  try {
    const payload = JSON.parse(atob(token.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/'))) as { exp?: unknown };
    return typeof payload.exp === 'number' ? payload.exp * 1000 : 0;
  } catch {
    return 0;
  }
}

/** The message of an error answer: the server's `error`, or the status. */
async function errorOf(response: Response): Promise<string> {
  try {
    const body = (await response.json()) as { error?: unknown };
    if (typeof body.error === 'string' && body.error) return body.error.charAt(0).toUpperCase() + body.error.slice(1);
  } catch {
    // not JSON
  }
  return `The server answered ${response.status}.`;
}
