/**
 * Reading a request body without trusting its size. `request.json()` buffers whatever arrives (a
 * 200 MiB body cost the app 226 MB); these helpers refuse a body over a byte limit, by its
 * `Content-Length` before reading anything, and by counting when there is none (chunked).
 */

/** Why a body was refused, with the HTTP status to answer. */
export type BodyRefusal = { ok: false; status: 400 | 413; error: string };
export type BodyResult<T> = { ok: true; value: T } | BodyRefusal;

const tooLarge = (limitBytes: number): BodyRefusal => ({ ok: false, status: 413, error: `The body is larger than ${limitBytes} bytes.` });

/**
 * The body as text, or a refusal: 413 when `Content-Length` or the bytes read pass `limitBytes`
 * (reading stops there and the rest is cancelled, never buffered), 400 when it is not UTF-8.
 */
export async function readBodyText(request: Request, limitBytes: number): Promise<BodyResult<string>> {
  const declared = request.headers.get('content-length');
  if (declared !== null && !(Number(declared) <= limitBytes)) return tooLarge(limitBytes);
  if (!request.body) return { ok: true, value: '' };
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limitBytes) {
      await reader.cancel().catch(() => {});
      return tooLarge(limitBytes);
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  try {
    return { ok: true, value: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
  } catch {
    return { ok: false, status: 400, error: 'The body is not UTF-8 text.' };
  }
}

/** A JSON object from the body (at most `limitBytes`), or a refusal (413 too large, 400 anything else). */
export async function readJsonObject(request: Request, limitBytes: number): Promise<BodyResult<Record<string, unknown>>> {
  const text = await readBodyText(request, limitBytes);
  if (!text.ok) return text;
  try {
    const parsed = JSON.parse(text.value) as unknown;
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return { ok: true, value: parsed as Record<string, unknown> };
  } catch {
    // answered below
  }
  return { ok: false, status: 400, error: 'Send a JSON object.' };
}
