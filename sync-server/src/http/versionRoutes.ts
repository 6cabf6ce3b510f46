/**
 * The version-history API (PROTOCOL.md, "Version history"), authorised like the document's
 * WebSocket (requestAuth.ts): read access may list and view, write access may name and restore.
 *
 *   GET  /api/docs/<doc>/versions                 → 200 [{ id, createdAt, kind, label?, authors, bytes }], newest first
 *   POST /api/docs/<doc>/versions  { "label" }    → 201 { id }: a named version of the current state
 *   GET  /api/docs/<doc>/versions/<id>?format=json|text → 200 the version's ProseMirror JSON or plain text
 *   POST /api/docs/<doc>/versions/<id>/restore    → 200 { restored, beforeRestore }
 *
 * Refusals: 400 (invalid document name, bad label or format), 401/403 (token), 403 (an Origin
 * outside --allowed-origins, or a read token that would write), 404 (no such version, or naming
 * a document that holds nothing), 405, 413, 415, 503 (too many documents loaded).
 */
import { MAX_VERSION_LABEL_LENGTH, isValidDocName } from '@tandem/protocol';
import { toPlainText, toProseMirrorJSON } from '@tandem/document';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RoomRegistry } from '../RoomRegistry.js';
import type { ServerStats } from '../metrics.js';
import { restoreVersion } from '../versions/restore.js';
import type { VersionStore } from '../versions/VersionStore.js';
import { readJsonBody } from './jsonBody.js';
import { type RequestAuthContext, requestGrant } from './requestAuth.js';
import { sendJson } from './respond.js';
import { withRoom } from './withRoom.js';

/** `/api/docs/<doc>/versions`, `…/versions/<id>` and `…/versions/<id>/restore`. */
export const VERSIONS_PATH = /^\/api\/docs\/([^/]+)\/versions(?:\/([^/]+)(\/restore)?)?$/;

export interface VersionRouteContext extends RequestAuthContext {
  rooms: RoomRegistry;
  versions: VersionStore;
  stats: ServerStats;
  /** --max-loaded-docs (0: unlimited): naming and restoring load the document like a connection does. */
  maxLoadedDocs: number;
}

/** A label request is a few hundred bytes. */
const MAX_BODY_BYTES = 8 * 1024;

export async function handleVersionsRequest(req: IncomingMessage, res: ServerResponse, url: URL, ctx: VersionRouteContext): Promise<void> {
  const [, docName, id, restore] = VERSIONS_PATH.exec(url.pathname)!;
  if (!isValidDocName(docName!)) return sendJson(res, 400, { error: 'invalid document name: use 1-200 characters of A-Z a-z 0-9 . _ -' });
  const method = req.method === 'HEAD' ? 'GET' : req.method;
  const allowed = id === undefined ? ['GET', 'POST'] : restore ? ['POST'] : ['GET'];
  if (!allowed.includes(method!)) return sendJson(res, 405, { error: 'method not allowed' }, { Allow: allowed.join(', ') });
  if (originRefused(req, url, ctx)) return sendJson(res, 403, { error: 'origin not allowed' });
  const authorized = await requestGrant(req, res, url, ctx, docName);
  if (!authorized) return;
  if (method === 'POST' && authorized.grant?.access === 'read') {
    ctx.logger.info({ doc: docName, userId: authorized.grant.userId, path: url.pathname }, 'refused request: read-only token');
    return sendJson(res, 403, { error: 'this token may only read the document' });
  }
  const who = authorized.grant?.userId;
  if (id === undefined) return method === 'GET' ? list(res, docName!, ctx) : name(req, res, docName!, ctx, who);
  return restore ? restoreOne(res, docName!, id, ctx, who) : view(res, docName!, id, url, ctx);
}

/** A browser on a site that may not connect to the document may not use its API either (requests without an Origin are not from browsers). */
function originRefused(req: IncomingMessage, url: URL, ctx: VersionRouteContext): boolean {
  const origin = req.headers.origin;
  if (origin === undefined || ctx.allowedOrigins.length === 0 || ctx.allowedOrigins.includes(origin)) return false;
  ctx.logger.info({ path: url.pathname, origin }, 'refused request: origin not allowed');
  return true;
}

async function list(res: ServerResponse, docName: string, ctx: VersionRouteContext): Promise<void> {
  sendJson(res, 200, await ctx.versions.list(docName));
}

async function view(res: ServerResponse, docName: string, id: string, url: URL, ctx: VersionRouteContext): Promise<void> {
  const format = url.searchParams.get('format') ?? 'json';
  if (format !== 'json' && format !== 'text') return sendJson(res, 400, { error: 'format must be json or text' });
  const content = await ctx.versions.content(docName, id);
  if (!content) return sendJson(res, 404, { error: 'no such version' });
  if (format === 'json') return sendJson(res, 200, toProseMirrorJSON(content.body));
  const text = toPlainText(content.body);
  res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

async function name(req: IncomingMessage, res: ServerResponse, docName: string, ctx: VersionRouteContext, who: string | undefined): Promise<void> {
  const body = await readJsonBody(req, MAX_BODY_BYTES);
  if (!body.ok) return sendJson(res, body.status, { error: body.error }, body.status === 413 ? { Connection: 'close' } : {});
  const label = typeof body.value.label === 'string' ? body.value.label.trim() : '';
  if (label === '' || label.length > MAX_VERSION_LABEL_LENGTH) {
    return sendJson(res, 400, { error: `label must be a string of 1-${MAX_VERSION_LABEL_LENGTH} characters` });
  }
  await withRoom(res, docName, ctx, async (room) => {
    if (room.isEmpty) return sendJson(res, 404, { error: 'no such document: it holds nothing to name' });
    const version = await room.history.checkpoint('named', label);
    ctx.logger.info({ doc: docName, version: version!.id, userId: who }, 'named a version');
    sendJson(res, 201, { id: version!.id });
  });
}

async function restoreOne(res: ServerResponse, docName: string, id: string, ctx: VersionRouteContext, who: string | undefined): Promise<void> {
  await withRoom(res, docName, ctx, async (room) => {
    const result = await restoreVersion(room, ctx.versions, id);
    if (!result) return sendJson(res, 404, { error: 'no such version' });
    ctx.stats.restores++;
    ctx.logger.info({ doc: docName, version: id, beforeRestore: result.beforeRestore, userId: who }, 'restored a version');
    sendJson(res, 200, result);
  });
}
