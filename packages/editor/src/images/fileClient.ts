/**
 * The editor's side of the sync server's file API (see @tandem/protocol's files.ts): uploading an
 * image with progress, and fetching one to show. Requests carry the editor's current token as a
 * bearer header — never in the URL, never in the document — and a 401 fetches a fresh token once.
 */
import { type UploadedFile, filesUrl } from '@tandem/protocol';

export interface FileClientOptions {
  /** HTTP(S) base of the file API: the sync server (`http://host:port`), or an app that passes it on. */
  baseUrl: string;
  docName: string;
  /** The token the connection uses now (undefined in open mode). */
  token: () => string | undefined;
  /** Fetches a fresh token (after a 401). */
  getToken?: () => Promise<string>;
}

/**
 * Why a request failed. `retry`: the network or the server had a problem, try again later;
 * otherwise the answer is final for these bytes (too large, not an image, no access).
 */
export class FileRequestError extends Error {
  override name = 'FileRequestError';
  constructor(
    message: string,
    readonly status: number,
    readonly retry: boolean,
  ) {
    super(message);
  }
}

/** Statuses worth trying again: the server is busy, restarting or unreachable (0). */
const RETRYABLE = new Set([0, 408, 429, 500, 502, 503, 504]);

export class FileClient {
  private freshToken: string | undefined;

  constructor(private readonly options: FileClientOptions) {}

  private currentToken(): string | undefined {
    return this.freshToken ?? this.options.token();
  }

  /** Call `request` with the current token; after a 401, once more with a fresh one. */
  private async withToken<T extends { status: number }>(request: (token: string | undefined) => Promise<T>): Promise<T> {
    const first = await request(this.currentToken());
    if (first.status !== 401 || !this.options.getToken) return first;
    try {
      this.freshToken = await this.options.getToken();
    } catch {
      return first;
    }
    return request(this.freshToken);
  }

  /** Upload `blob`; `onProgress` gets the fraction sent (0–1). Throws {@link FileRequestError}. */
  async upload(blob: Blob, onProgress?: (fraction: number) => void): Promise<UploadedFile> {
    const url = filesUrl(this.options.baseUrl, this.options.docName);
    const answer = await this.withToken((token) => sendWithProgress(url, blob, token, onProgress));
    if (answer.status === 201) return JSON.parse(answer.body) as UploadedFile;
    throw new FileRequestError(errorMessage(answer.status, answer.body), answer.status, RETRYABLE.has(answer.status));
  }

  /** The image `id` of this document. Throws {@link FileRequestError} (404: not uploaded yet). */
  async download(id: string): Promise<Blob> {
    const url = filesUrl(this.options.baseUrl, this.options.docName, id);
    let response: Response;
    try {
      response = await this.withToken((token) => fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {}, credentials: 'omit' }));
    } catch {
      throw new FileRequestError('The image could not be loaded: no connection.', 0, true);
    }
    if (response.ok) return response.blob();
    const body = await response.text().catch(() => '');
    throw new FileRequestError(errorMessage(response.status, body), response.status, RETRYABLE.has(response.status) || response.status === 404);
  }
}

/** POST with XMLHttpRequest, the one browser API that reports upload progress. */
function sendWithProgress(url: string, blob: Blob, token: string | undefined, onProgress?: (fraction: number) => void): Promise<{ status: number; body: string }> {
  return new Promise((resolve) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    if (token) xhr.setRequestHeader('Authorization', `Bearer ${token}`);
    xhr.setRequestHeader('Content-Type', blob.type || 'application/octet-stream');
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) onProgress?.(event.loaded / event.total);
    };
    xhr.onload = () => resolve({ status: xhr.status, body: xhr.responseText });
    xhr.onerror = xhr.ontimeout = xhr.onabort = () => resolve({ status: 0, body: '' });
    xhr.send(blob);
  });
}

/** What to tell the person: the server's reason, or what the status means. */
function errorMessage(status: number, body: string): string {
  let reason = '';
  try {
    const parsed = JSON.parse(body) as { error?: unknown };
    if (typeof parsed.error === 'string') reason = parsed.error;
  } catch {
    // not JSON
  }
  if (status === 0) return 'No connection to the server.';
  if (status === 413) return reason ? `Too large: ${reason}.` : 'The image is too large.';
  if (status === 415) return 'Not an image Tandem accepts (PNG, JPEG, GIF or WebP).';
  if (status === 401 || status === 403) return 'You may not add images to this document.';
  if (status === 404) return 'The image is not on the server (yet).';
  return reason ? `The server refused the image: ${reason}.` : `The server answered ${status}.`;
}
