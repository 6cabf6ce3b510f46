/**
 * A request's body as bytes, read with a size cap. Past the cap (declared in Content-Length, or
 * reached while reading a chunked body) reading stops: the caller answers 413 and the connection
 * is closed after the answer, so the rest is never read.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

export type BodyBytes = { ok: true; bytes: Uint8Array } | { ok: false; status: 400 | 413; error: string };

export function readBodyBytes(req: IncomingMessage, maxBytes: number): Promise<BodyBytes> {
  const tooLarge: BodyBytes = { ok: false, status: 413, error: `the file is larger than the limit of ${maxBytes} bytes` };
  if (Number(req.headers['content-length']) > maxBytes) return Promise.resolve(tooLarge);
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (result: BodyBytes): void => {
      req.off('data', onData).off('end', onEnd).off('error', onError);
      if (!result.ok) req.pause();
      resolve(result);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.byteLength;
      if (size > maxBytes) return finish(tooLarge);
      chunks.push(chunk);
    };
    const onEnd = (): void => finish({ ok: true, bytes: new Uint8Array(Buffer.concat(chunks, size)) });
    const onError = (): void => finish({ ok: false, status: 400, error: 'the request body was cut off' });
    req.on('data', onData).on('end', onEnd).on('error', onError);
  });
}

/** After a refusal that left the body unread: close the connection once the answer is out. */
export function closeAfterResponse(req: IncomingMessage, res: ServerResponse): void {
  res.setHeader('Connection', 'close');
  res.once('finish', () => req.socket.destroySoon());
}
