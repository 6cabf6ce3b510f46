/**
 * Plain HTTP on the sync server's port: health, readiness, metrics, and the document APIs: the
 * list, the trash and managing one document (documentRoutes.ts), versions (versionRoutes.ts),
 * files and export (fileRoutes.ts). Anything else is 404. Health and metrics reveal no document names.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ServerMetrics } from '../metrics.js';
import { type DocumentRouteContext, handleDocumentRequest, isDocumentPath } from './documentRoutes.js';
import { FILE_API_PATH, type FileRouteContext, handleFileApiRequest } from './fileRoutes.js';
import { sendJson } from './respond.js';
import { VERSIONS_PATH, type VersionRouteContext, handleVersionsRequest } from './versionRoutes.js';

export interface RouteContext extends DocumentRouteContext, VersionRouteContext, FileRouteContext {
  metrics: ServerMetrics;
  startedAt: number;
  /** What /readyz reports even while ready (e.g. Redis may lose what it accepted). */
  readinessWarnings: readonly string[];
}

export async function handleHttpRequest(req: IncomingMessage, res: ServerResponse, ctx: RouteContext): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  if (VERSIONS_PATH.test(url.pathname)) return handleVersionsRequest(req, res, url, ctx);
  if (FILE_API_PATH.test(url.pathname)) return handleFileApiRequest(req, res, url, ctx);
  if (isDocumentPath(url.pathname)) return handleDocumentRequest(req, res, url, ctx);
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
    default:
      return sendJson(res, 404, { error: 'not found' });
  }
}
