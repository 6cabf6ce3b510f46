/**
 * Images kept beside a document, in the document's own records (DocStore.putRecord), so they live
 * wherever the document does — LevelDB, memory, or the cluster's store — and go with it when it is
 * purged. A file's id is the SHA-256 of its bytes: uploading the same picture twice stores it once,
 * and an id can never be made to stand for other bytes.
 */
import { createHash } from 'node:crypto';
import { type ImageInfo, readImageInfo } from '@tandem/document';
import { FILE_ID_PATTERN, type UploadedFile } from '@tandem/protocol';
import type { DocStore } from '../storage/DocStore.js';

/** The record kind holding a file's bytes. */
export const FILE_RECORD = 'file';

/** Why an upload was refused, with the HTTP status that says it. */
export class FileRefusal extends Error {
  override name = 'FileRefusal';
  constructor(
    readonly status: 413 | 415,
    message: string,
  ) {
    super(message);
  }
}

/** A stored file and what its bytes are. */
export interface StoredFile {
  bytes: Uint8Array;
  info: ImageInfo;
}

export class FileStore {
  constructor(
    private readonly store: DocStore,
    readonly maxBytes: number,
  ) {}

  /** Store `bytes` beside `docName` if they are an allowed image; throws {@link FileRefusal} if not. */
  async put(docName: string, bytes: Uint8Array): Promise<UploadedFile> {
    if (bytes.byteLength > this.maxBytes) throw new FileRefusal(413, `the file is larger than the limit of ${this.maxBytes} bytes`);
    const info = readImageInfo(bytes);
    if (!info) throw new FileRefusal(415, 'only PNG, JPEG, GIF and WebP images are accepted (judged by the file\'s bytes)');
    const id = createHash('sha256').update(bytes).digest('hex');
    if (!(await this.store.getRecord(docName, FILE_RECORD, id))) await this.store.putRecord(docName, FILE_RECORD, id, bytes);
    return { id, type: info.type, size: bytes.byteLength, width: info.width, height: info.height };
  }

  /** The file `id` of `docName`, or undefined when that document holds no such file. */
  async get(docName: string, id: string): Promise<StoredFile | undefined> {
    if (!FILE_ID_PATTERN.test(id)) return undefined;
    const bytes = await this.store.getRecord(docName, FILE_RECORD, id);
    const info = bytes && readImageInfo(bytes);
    return bytes && info ? { bytes, info } : undefined;
  }
}
