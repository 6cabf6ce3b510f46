/**
 * Plain HTTP on the sync server's port: health, readiness, metrics and the document list.
 * Anything else is 404. Health and metrics reveal no document names.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type Grant, type TokenPolicy, AuthError, cookieTokenAllowed, grantCovers, tokenFromRequest, verifyToken } from '../auth.js';
import type { Logger } from 'pino';
import type { ServerMetrics } from '../metrics.js';
import type { DocStore } from '../storage/DocStore.js';

export interface RouteContext {
  store: DocStore;
  metrics: ServerMetrics;
  logger: Logger;
  /** Undefined in open mode. */
  tokenPolicy: TokenPolicy | undefined;
  /** --allowed-origins: without it no cookie token is accepted. */
  allowedOrigins: readonly string[];
  startedAt: number;
  /** What /readyz reports even while ready (e.g. Redis may lose what it accepted). */
  readinessWarnings: readonly string[];
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

export async function handleHttpRequest(req: IncomingMessage, res: ServerResponse, ctx: RouteContext): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  if (req.method !== 'GET' && req.method !== 'HEAD') return sendJson(res, 405, { error: 'method not allowed' });
  switch (url.pathname) {
    case '/healthz':
      return sendJson(res, 200, { status: 'ok', uptimeSeconds: Math.round((Date.now() - ctx.startedAt) / 1000) });
    case '/readyz': {
      const warnings = ctx.readinessWarnings.length > 0 ? { warnings: ctx.readinessWarnings } : {};
      // Not open: closed, or (cluster mode) Redis unreachable; nothing is acknowledged meanwhile.
      return ctx.store.isOpen() ? sendJson(res, 200, { status: 'ready', ...warnings }) : sendJson(res, 503, { status: 'storage unavailable', ...warnings });
    }
    case '/metrics': {
      const text = await ctx.metrics.registry.metrics();
      res.writeHead(200, { 'Content-Type': ctx.metrics.registry.contentType });
      return void res.end(text);
    }
    case '/api/docs':
      return listDocs(req, res, url, ctx);
    default:
      return sendJson(res, 404, { error: 'not found' });
  }
}

async function listDocs(req: IncomingMessage, res: ServerResponse, url: URL, ctx: RouteContext): Promise<void> {
  let grant: Grant | undefined;
  if (ctx.tokenPolicy) {
    const found = tokenFromRequest(url, req.headers, cookieTokenAllowed(ctx.allowedOrigins, req.headers.origin));
    try {
      grant = await verifyToken(found?.token, ctx.tokenPolicy);
    } catch (error) {
      if (!(error instanceof AuthError)) throw error;
      ctx.logger.info({ path: url.pathname, status: error.status, tokenFrom: found?.source }, `refused request: ${error.detail}`);
      return sendJson(res, error.status, { error: error.publicMessage });
    }
  }
  const docs = await ctx.store.list();
  sendJson(res, 200, { docs: grant ? docs.filter((d) => grantCovers(grant, d.name)) : docs });
}
