/**
 * The document file and export APIs (see sync-server/README.md, "Files and export"):
 *
 * - `POST /api/docs/<doc>/files` (write access): the body is an image; 201 with its id.
 * - `GET|HEAD /api/docs/<doc>/files/<id>` (read access): the image, cacheable for good (its id is
 *   its hash), served so that a browser can only ever show it as a picture.
 * - `GET|HEAD /api/docs/<doc>/export?format=md|html|docx` (read access): the document as a file.
 *
 * Authorised exactly like the document's WebSocket (requestAuth.ts), and open to other origins
 * through CORS (cors.ts).
 */
import { IMAGE_EXTENSIONS } from '@tandem/document';
import { EXPORT_FORMATS, type ExportFormat, isValidDocName } from '@tandem/protocol';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { exportDocument } from '../export/exportDocument.js';
import { FileRefusal, type FileStore } from '../files/FileStore.js';
import type { RoomRegistry } from '../RoomRegistry.js';
import { closeAfterResponse, readBodyBytes } from './bodyBytes.js';
import { answerCors } from './cors.js';
import { type RequestAuthContext, requestGrant } from './requestAuth.js';
import { sendJson } from './respond.js';

/** The paths this module answers: `/api/docs/<doc>/files`, `/api/docs/<doc>/files/<id>`, `/api/docs/<doc>/export`. */
export const FILE_API_PATH = /^\/api\/docs\/([^/]+)\/(?:files(?:\/([^/]+))?|(export))$/;

export interface FileRouteContext extends RequestAuthContext {
  rooms: RoomRegistry;
  files: FileStore;
}

/** What an image response may do if opened as a page: nothing. */
const IMAGE_POLICY = "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; sandbox";
/** An exported HTML page opened straight from the server: no scripts, no requests but its own images. */
const EXPORT_POLICY = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; sandbox";

export async function handleFileApiRequest(req: IncomingMessage, res: ServerResponse, url: URL, ctx: FileRouteContext): Promise<void> {
  const [, docName, fileId, exportPart] = FILE_API_PATH.exec(url.pathname)!;
  const upload = !fileId && !exportPart;
  const methods = upload ? 'POST' : 'GET, HEAD';
  if (answerCors(req, res, ctx.allowedOrigins, methods)) return;
  if (!methods.split(', ').includes(req.method ?? '')) return sendJson(res, 405, { error: 'method not allowed' }, { Allow: `${methods}, OPTIONS` });
  if (!isValidDocName(docName!)) return sendJson(res, 400, { error: 'invalid document name: use 1-200 characters of A-Z a-z 0-9 . _ -' });
  const authorized = await requestGrant(req, res, url, ctx, docName);
  if (!authorized) return;
  if (upload) {
    if (authorized.grant?.access === 'read') return sendJson(res, 403, { error: 'this token may only read the document' });
    return uploadFile(req, res, ctx, docName!);
  }
  if (fileId) return serveFile(req, res, ctx, docName!, fileId);
  return serveExport(req, res, url, ctx, docName!);
}

async function uploadFile(req: IncomingMessage, res: ServerResponse, ctx: FileRouteContext, docName: string): Promise<void> {
  const body = await readBodyBytes(req, ctx.files.maxBytes);
  if (!body.ok) {
    closeAfterResponse(req, res);
    return sendJson(res, body.status, { error: body.error });
  }
  try {
    const file = await ctx.files.put(docName, body.bytes);
    ctx.logger.info({ doc: docName, file: file.id, bytes: file.size, type: file.type }, 'file stored');
    sendJson(res, 201, file, { Location: `/api/docs/${docName}/files/${file.id}` });
  } catch (error) {
    if (!(error instanceof FileRefusal)) throw error;
    ctx.logger.info({ doc: docName, status: error.status, bytes: body.bytes.byteLength }, `refused file: ${error.message}`);
    sendJson(res, error.status, { error: error.message });
  }
}

async function serveFile(req: IncomingMessage, res: ServerResponse, ctx: FileRouteContext, docName: string, id: string): Promise<void> {
  const etag = `"${id}"`;
  const file = await ctx.files.get(docName, id);
  if (!file) return sendJson(res, 404, { error: 'no such file in this document' });
  const headers = {
    'Content-Type': file.info.type,
    'Content-Length': String(file.bytes.byteLength),
    'Content-Disposition': `inline; filename="${id.slice(0, 16)}.${IMAGE_EXTENSIONS[file.info.type]}"`,
    'Content-Security-Policy': IMAGE_POLICY,
    'X-Content-Type-Options': 'nosniff',
    // Private: what a token may see must not be handed to someone else by a shared cache.
    'Cache-Control': 'private, max-age=31536000, immutable',
    ETag: etag,
  };
  if (req.headers['if-none-match'] === etag) return void res.writeHead(304, { ETag: etag, 'Cache-Control': headers['Cache-Control'] }).end();
  res.writeHead(200, headers);
  res.end(req.method === 'HEAD' ? undefined : file.bytes);
}

async function serveExport(req: IncomingMessage, res: ServerResponse, url: URL, ctx: FileRouteContext, docName: string): Promise<void> {
  const format = url.searchParams.get('format') ?? '';
  if (!(EXPORT_FORMATS as readonly string[]).includes(format)) {
    return sendJson(res, 400, { error: `format must be one of ${EXPORT_FORMATS.join(', ')}` });
  }
  const exported = await exportDocument(ctx.rooms, ctx.files, docName, format as ExportFormat);
  if (!exported) return sendJson(res, 404, { error: 'no such document' });
  const asciiName = exported.fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  res.writeHead(200, {
    'Content-Type': exported.contentType,
    'Content-Length': String(exported.bytes.byteLength),
    'Content-Disposition': `attachment; filename="${asciiName}"; filename*=UTF-8''${encodeURIComponent(exported.fileName)}`,
    'Content-Security-Policy': EXPORT_POLICY,
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'no-store',
  });
  res.end(req.method === 'HEAD' ? undefined : exported.bytes);
}
