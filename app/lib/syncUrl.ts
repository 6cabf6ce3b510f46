/**
 * Where the sync server is, read on the server at request time so that one build can be pointed
 * at any server. The lookup goes through a variable on purpose: Next inlines literal
 * `process.env.NEXT_PUBLIC_…` references at build time, which would freeze the URL.
 */
const SYNC_URL_VARIABLE = 'NEXT_PUBLIC_SYNC_URL';
const INTERNAL_URL_VARIABLE = 'TANDEM_SYNC_INTERNAL_URL';
export const DEFAULT_SYNC_URL = 'ws://localhost:1234';

/** The WebSocket URL browsers connect to. */
export function getSyncUrl(): string {
  const value = process.env[SYNC_URL_VARIABLE]?.trim();
  return (value || DEFAULT_SYNC_URL).replace(/\/+$/, '');
}

/**
 * The sync server's HTTP base URL, for the Next server's own requests (`/api/docs`): from
 * `TANDEM_SYNC_INTERNAL_URL` when the server reaches it by another address, else derived from
 * the public WebSocket URL (ws → http, wss → https).
 */
export function getSyncHttpUrl(): string {
  const internal = process.env[INTERNAL_URL_VARIABLE]?.trim();
  if (internal) return internal.replace(/\/+$/, '');
  return httpUrlFromWs(getSyncUrl());
}

/** `ws://h:1/x` → `http://h:1/x`, `wss://…` → `https://…`. */
export function httpUrlFromWs(url: string): string {
  return url.replace(/^ws(s?):\/\//i, 'http$1://');
}
