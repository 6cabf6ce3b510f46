/**
 * Cross-origin access to the document file and export APIs, for editors embedded in pages of
 * another origin than the sync server's (the app's pages included). Requests carry their token in
 * an Authorization header, never a cookie across sites, so no credentials are allowed.
 *
 * Without --allowed-origins any origin may call (the token is the authority, as for the WebSocket).
 * With it, only those origins get CORS headers, and a request from any other origin is refused
 * with 403, like a WebSocket upgrade from it.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson } from './respond.js';

/** How long a browser may keep a preflight's answer (seconds). */
const PREFLIGHT_MAX_AGE = 600;

/**
 * Set the CORS headers for `req`. Returns true when the request has been answered: a preflight,
 * or a request from an origin that is not allowed.
 */
export function answerCors(req: IncomingMessage, res: ServerResponse, allowedOrigins: readonly string[], methods: string): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) {
    if (req.method !== 'OPTIONS') return false;
    res.writeHead(204, { Allow: `${methods}, OPTIONS` }).end();
    return true;
  }
  const anyOrigin = allowedOrigins.length === 0;
  if (!anyOrigin && !allowedOrigins.includes(origin)) {
    sendJson(res, 403, { error: 'origin not allowed' });
    return true;
  }
  res.setHeader('Access-Control-Allow-Origin', anyOrigin ? '*' : origin);
  if (!anyOrigin) res.setHeader('Vary', 'Origin');
  res.setHeader('Access-Control-Expose-Headers', 'Content-Disposition, Content-Length, Location');
  if (req.method !== 'OPTIONS') return false;
  res.writeHead(204, {
    'Access-Control-Allow-Methods': methods,
    'Access-Control-Allow-Headers': 'Authorization, Content-Type',
    'Access-Control-Max-Age': String(PREFLIGHT_MAX_AGE),
  });
  res.end();
  return true;
}
