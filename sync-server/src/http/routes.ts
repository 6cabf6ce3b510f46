/**
 * Plain HTTP on the sync server's port: health, readiness, metrics, the document list and the
 * document file and export APIs (fileRoutes.ts). Anything else is 404. Health and metrics reveal
 * no document names.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type Grant, type TokenPolicy, AuthError, cookieTokenAllowed, grantCovers, tokenFromRequest, verifyToken } from '../auth.js';
import type { Logger } from 'pino';
import type { ServerMetrics } from '../metrics.js';
import type { DocStore } from '../storage/DocStore.js';
import { FILE_API_PATH, type FileRouteContext, handleFileApiRequest } from './fileRoutes.js';

export interface RouteContext extends FileRouteContext {
  store: DocStore;
  metrics: ServerMetrics;
  logger: Logger;
  /** Undefined in open mode. */
  tokenPolicy: TokenPolicy | undefined;
  /** --allowed-origins: without it no cookie token is accepted. */
  allowedOrigins: readonly string[];
  startedAt: number;
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

export async function handleHttpRequest(req: IncomingMessage, res: ServerResponse, ctx: RouteContext): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  if (FILE_API_PATH.test(url.pathname)) return handleFileApiRequest(req, res, url, ctx);
  if (req.method !== 'GET' && req.method !== 'HEAD') return sendJson(res, 405, { error: 'method not allowed' });
  switch (url.pathname) {
    case '/healthz':
      return sendJson(res, 200, { status: 'ok', uptimeSeconds: Math.round((Date.now() - ctx.startedAt) / 1000) });
    case '/readyz':
      return ctx.store.isOpen() ? sendJson(res, 200, { status: 'ready' }) : sendJson(res, 503, { status: 'storage closed' });
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
