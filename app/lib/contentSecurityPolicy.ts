/**
 * The Content-Security-Policy of every page, set per request by `proxy.ts`.
 *
 * Scripts run only with this response's nonce (Next puts it on its own scripts and inline
 * bootstrap when it finds it in the request's CSP header) or when loaded by such a script
 * ('strict-dynamic'): an injected `<script>` has no nonce and does not run. Connections go to
 * the app itself and the sync server — its WebSocket, and its HTTP API on the same port (images,
 * exports) — whose URL is read at request time, like the page's. Pages
 * may be framed by the app itself only; `/embed/…` exists to be framed by any site.
 */

export interface PolicyOptions {
  /** Fresh for every response: see {@link newNonce}. */
  nonce: string;
  /** The sync server's WebSocket URL (`NEXT_PUBLIC_SYNC_URL`). */
  syncUrl: string;
  /** The embed page: any site may frame it. */
  embed: boolean;
  /** `next dev`: React needs eval for its error overlay, and dev styles arrive inline. */
  dev: boolean;
}

/** 128 random bits, base64. */
export function newNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes));
}

/** `/embed/<doc>`: the page made for iframes on other sites. */
export function isEmbedPath(pathname: string): boolean {
  return pathname.startsWith('/embed/');
}

/**
 * The sync server as a CSP source (`ws://host:port`): the origin only, since the document name
 * follows the path; nothing when the URL is not a ws(s)/http(s) URL (so a malformed setting
 * cannot add directives).
 */
export function syncSource(syncUrl: string): string | undefined {
  try {
    const url = new URL(syncUrl);
    return ['ws:', 'wss:', 'http:', 'https:'].includes(url.protocol) ? `${url.protocol}//${url.host}` : undefined;
  } catch {
    return undefined;
  }
}

/** The sync server's HTTP API as a CSP source (`http://host:port` for `ws://host:port`, `https` for `wss`). */
export function syncHttpSource(syncUrl: string): string | undefined {
  const sync = syncSource(syncUrl);
  return sync?.replace(/^ws(s?):/, 'http$1:');
}

/** The policy, as one header value. */
export function contentSecurityPolicy({ nonce, syncUrl, embed, dev }: PolicyOptions): string {
  const sync = syncSource(syncUrl);
  const syncHttp = syncHttpSource(syncUrl);
  const directives: Array<[string, ...string[]]> = [
    ['default-src', "'self'"],
    ['script-src', "'self'", `'nonce-${nonce}'`, "'strict-dynamic'", ...(dev ? ["'unsafe-eval'"] : [])],
    ['style-src', "'self'", ...(dev ? ["'unsafe-inline'"] : [`'nonce-${nonce}'`])],
    ['img-src', "'self'", 'data:', 'blob:'],
    ['font-src', "'self'"],
    ['connect-src', "'self'", ...new Set([sync, syncHttp].filter((source): source is string => !!source))],
    // The service worker (public/sw.js) and any other worker: from the app only, whoever starts it.
    ['worker-src', "'self'"],
    ['manifest-src', "'self'"],
    ['object-src', "'none'"],
    ['base-uri', "'none'"],
    ['form-action', "'self'"],
    ['frame-ancestors', embed ? '*' : "'self'"],
  ];
  return directives.map((parts) => parts.join(' ')).join('; ');
}
