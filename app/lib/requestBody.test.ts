import { describe, expect, it } from 'vitest';
import { readBodyText, readJsonObject } from './requestBody';

const LIMIT = 8 * 1024;

/** A chunked body (no Content-Length) of `chunks` 1 KiB pieces, pulled one at a time; records how far it was read. */
function endlessBody(chunks: number, headers: Record<string, string> = {}) {
  const seen = { pulled: 0, cancelled: false };
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (seen.pulled === chunks) return controller.close();
        seen.pulled++;
        controller.enqueue(new Uint8Array(1024).fill(0x20));
      },
      cancel() {
        seen.cancelled = true;
      },
    },
    { highWaterMark: 0 },
  );
  const request = new Request('http://app.test/api/token', { method: 'POST', body: stream, headers, duplex: 'half' } as RequestInit);
  return { request, seen };
}

describe('readBodyText', () => {
  it('refuses a declared Content-Length over the limit without reading a byte', async () => {
    const { request, seen } = endlessBody(1_000_000, { 'content-length': String(200 * 1024 * 1024) });
    expect(request.headers.get('content-length')).toBe(String(200 * 1024 * 1024));
    expect(await readBodyText(request, LIMIT)).toMatchObject({ ok: false, status: 413 });
    expect(seen.pulled).toBe(0);
  });

  it('stops reading a chunked body as soon as it passes the limit, and cancels the rest', async () => {
    const { request, seen } = endlessBody(1_000_000);
    expect(request.headers.get('content-length')).toBeNull();
    expect(await readBodyText(request, LIMIT)).toMatchObject({ ok: false, status: 413 });
    expect(seen.pulled).toBe(LIMIT / 1024 + 1);
    expect(seen.cancelled).toBe(true);
  });

  it('reads a body up to exactly the limit', async () => {
    const { request } = endlessBody(LIMIT / 1024);
    const result = await readBodyText(request, LIMIT);
    expect(result.ok && result.value.length).toBe(LIMIT);
  });

  it('refuses bytes that are not UTF-8', async () => {
    const request = new Request('http://app.test/', { method: 'POST', body: new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]) });
    expect(await readBodyText(request, LIMIT)).toMatchObject({ ok: false, status: 400 });
  });
});

describe('readJsonObject', () => {
  const post = (body: string) => new Request('http://app.test/', { method: 'POST', body });

  it('returns the object', async () => {
    expect(await readJsonObject(post('{"doc":"plans","access":"read"}'), LIMIT)).toEqual({ ok: true, value: { doc: 'plans', access: 'read' } });
  });

  it('refuses anything but a JSON object with 400', async () => {
    for (const body of ['', 'nope', '{"doc":', '[1,2]', 'null', '42', '"text"']) {
      expect(await readJsonObject(post(body), LIMIT), body).toMatchObject({ ok: false, status: 400 });
    }
  });

  it('refuses an object over the limit with 413', async () => {
    const big = JSON.stringify({ doc: 'plans', padding: 'x'.repeat(LIMIT) });
    expect(await readJsonObject(post(big), LIMIT)).toMatchObject({ ok: false, status: 413 });
  });
});
