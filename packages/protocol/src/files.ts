/**
 * Files kept beside a document (images), and the document's export: the HTTP contract between the
 * editor, the app and the sync server. See sync-server/README.md, "Files and export".
 *
 * A file's id is the SHA-256 of its bytes, in lowercase hex: the same bytes always get the same id,
 * in every document, so a browser knows the id before the upload finishes. The document never
 * holds a URL, only the reference `tandem-file:<id>`, which each reader resolves at render time
 * against its own server and with its own token.
 */

/** The scheme of a file reference in an image's `src`. */
export const FILE_REFERENCE_SCHEME = 'tandem-file:';

/** A file id: SHA-256 of the bytes, 64 lowercase hex digits. */
export const FILE_ID_PATTERN = /^[0-9a-f]{64}$/;

/** The image types a document may hold, by the MIME type the server serves them with. No SVG: it can carry scripts. */
export const IMAGE_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'] as const;
export type ImageType = (typeof IMAGE_TYPES)[number];

/** The sync server's default for --max-file-bytes. */
export const DEFAULT_MAX_FILE_BYTES = 10 * 1024 * 1024;

/** Formats of `GET /api/docs/<doc>/export?format=…`. */
export const EXPORT_FORMATS = ['md', 'html', 'docx'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** What `POST /api/docs/<doc>/files` answers (201). */
export interface UploadedFile {
  id: string;
  type: ImageType;
  /** Bytes. */
  size: number;
  /** Pixels. */
  width: number;
  height: number;
}

/** `tandem-file:<id>`. */
export function fileReference(id: string): string {
  if (!FILE_ID_PATTERN.test(id)) throw new Error(`invalid file id ${JSON.stringify(id)}`);
  return `${FILE_REFERENCE_SCHEME}${id}`;
}

/** The id in a `tandem-file:<id>` reference; undefined for anything else. */
export function fileIdOf(src: unknown): string | undefined {
  if (typeof src !== 'string' || !src.startsWith(FILE_REFERENCE_SCHEME)) return undefined;
  const id = src.slice(FILE_REFERENCE_SCHEME.length);
  return FILE_ID_PATTERN.test(id) ? id : undefined;
}

/**
 * The sync server's HTTP base for a WebSocket URL: `ws://h:1` → `http://h:1`, `wss://…` → `https://…`
 * (the WebSocket and the HTTP API share one port).
 */
export function syncHttpBase(serverUrl: string): string {
  return serverUrl.replace(/^ws(s?):\/\//i, 'http$1://').replace(/\/+$/, '');
}

/** `<base>/api/docs/<doc>/files`, the upload URL; with `id`, the file's URL. */
export function filesUrl(base: string, docName: string, id?: string): string {
  return `${base}/api/docs/${encodeURIComponent(docName)}/files${id === undefined ? '' : `/${id}`}`;
}

/** `<base>/api/docs/<doc>/export?format=<format>`. */
export function exportUrl(base: string, docName: string, format: ExportFormat): string {
  return `${base}/api/docs/${encodeURIComponent(docName)}/export?format=${format}`;
}
