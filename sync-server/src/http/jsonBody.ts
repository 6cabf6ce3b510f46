/**
 * A request's JSON body, read with a size cap. The refusals are the client's to fix: 415 for a
 * body that is not declared as JSON, 413 past the cap (the connection is then closed, so the rest
 * is not read), 400 for JSON that does not parse or is not an object.
 */
import type { IncomingMessage } from 'node:http';

export type JsonBody = { ok: true; value: Record<string, unknown> } | { ok: false; status: 400 | 413 | 415; error: string };

export async function readJsonBody(req: IncomingMessage, maxBytes: number): Promise<JsonBody> {
  const type = req.headers['content-type']?.split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/json') return { ok: false, status: 415, error: 'send the body as application/json' };
  const declared = Number(req.headers['content-length']);
  if (declared > maxBytes) return tooLarge(maxBytes);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.byteLength;
    if (size > maxBytes) return tooLarge(maxBytes);
    chunks.push(chunk);
  }
  let value: unknown;
  try {
    value = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    return { ok: false, status: 400, error: 'the body is not valid JSON' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { ok: false, status: 400, error: 'the body must be a JSON object' };
  return { ok: true, value: value as Record<string, unknown> };
}

function tooLarge(maxBytes: number): JsonBody {
  return { ok: false, status: 413, error: `the body is larger than ${maxBytes} bytes` };
}
