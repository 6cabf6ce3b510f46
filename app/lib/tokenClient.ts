/** Browser side of the token exchange: ask the app's `/api/token` for a fresh sync-server token. */
import type { Access } from '@tandem/protocol';

export interface TokenFetcherOptions {
  docName: string;
  /** The key from the page's link. */
  linkKey: string;
  access: Access;
  /** The display name to put in the token (read on every request). */
  getName?: () => string | undefined;
  fetch?: typeof fetch;
  /** Where the app is (default: this page's origin). */
  endpoint?: string;
}

/** Thrown when the app refuses the key (403): retrying will not help. */
export class LinkRefusedError extends Error {
  override name = 'LinkRefusedError';
}

/**
 * A `getToken` for the editor. Each request carries the previous token, so that the app keeps the
 * same `sub` for this editor even where the browser keeps no cookie.
 */
export function createTokenFetcher(options: TokenFetcherOptions): () => Promise<string> {
  let previous: string | undefined;
  const doFetch = options.fetch ?? ((input, init) => fetch(input, init));
  return async () => {
    const response = await doFetch(options.endpoint ?? '/api/token', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      credentials: 'same-origin',
      cache: 'no-store',
      body: JSON.stringify({ doc: options.docName, key: options.linkKey, access: options.access, name: options.getName?.(), previous }),
      signal: AbortSignal.timeout(10_000),
    });
    if (response.status === 403) throw new LinkRefusedError('The app no longer accepts this link.');
    if (!response.ok) throw new Error(`The app answered ${response.status} for a token.`);
    const body = (await response.json()) as { token?: unknown };
    if (typeof body.token !== 'string' || body.token === '') throw new Error('The app sent no token.');
    previous = body.token;
    return body.token;
  };
}
