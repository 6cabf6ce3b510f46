/**
 * The app's way to the sync server's version API (see PROTOCOL.md, "Version history"). The
 * browser calls `/api/docs/<doc>/versions…` on the app, which passes the request on to the sync
 * server with the browser's bearer token and hands back the answer. Why through the app: the page's
 * own origin needs no CORS on the sync server and no change to the pages' Content-Security-Policy
 * (which lets them reach the sync server by WebSocket only), and the sync server's HTTP port may be
 * reachable from the app alone (`TANDEM_SYNC_INTERNAL_URL`). The app adds no authority of its
 * own: the sync server checks the token exactly as for the document's WebSocket.
 */
import { isValidDocName } from '@tandem/protocol';
import { readBodyText } from './requestBody';
import { getSyncHttpUrl } from './syncUrl';

/** A label request is a few hundred bytes; the sync server caps it at 8 KiB too. */
const MAX_BODY_BYTES = 8 * 1024;
const TIMEOUT_MS = 15_000;
/** What a version id may look like on the way through (the sync server decides what exists); never `.` or `..`, which a URL would resolve. */
const SEGMENT = /^(?!\.+$)[A-Za-z0-9._-]{1,128}$/;

const answer = (status: number, error: string): Response =>
  Response.json({ error }, { status, headers: { 'Cache-Control': 'no-store' } });

/**
 * Pass `request` (to `/api/docs/<docName>/versions[/<id>[/restore]]`) on to the sync server.
 * Only the `format` query parameter, the bearer token and, for POST, a JSON body go through.
 */
export async function forwardVersionsRequest(request: Request, docName: string, path: readonly string[], timeoutMs = TIMEOUT_MS): Promise<Response> {
  if (!isValidDocName(docName)) return answer(400, 'Invalid document name.');
  const shapeOk = path.length === 0 || (path.length <= 2 && SEGMENT.test(path[0]!) && (path.length === 1 || path[1] === 'restore'));
  if (!shapeOk) return answer(404, 'Not found.');
  const target = new URL(`${getSyncHttpUrl()}/api/docs/${docName}/versions${path.map((p) => `/${p}`).join('')}`);
  const format = new URL(request.url).searchParams.get('format');
  if (format !== null) target.searchParams.set('format', format);
  const headers: Record<string, string> = {};
  const authorization = request.headers.get('authorization');
  if (authorization) headers.authorization = authorization;
  let body: string | undefined;
  if (request.method === 'POST') {
    const read = await readBodyText(request, MAX_BODY_BYTES);
    if (!read.ok) return answer(read.status, read.error);
    body = read.value;
    headers['content-type'] = request.headers.get('content-type') ?? 'application/json';
  }
  let response: Response;
  try {
    response = await fetch(target, { method: request.method, headers, body, cache: 'no-store', signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    const timedOut = error instanceof Error && error.name === 'TimeoutError';
    return answer(timedOut ? 504 : 502, timedOut ? 'The sync server did not answer in time.' : 'The sync server is not reachable.');
  }
  const passed = new Headers({ 'Cache-Control': 'no-store' });
  for (const name of ['content-type', 'allow']) {
    const value = response.headers.get(name);
    if (value) passed.set(name, value);
  }
  return new Response(response.body, { status: response.status, headers: passed });
}
