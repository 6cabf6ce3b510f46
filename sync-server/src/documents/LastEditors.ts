/**
 * Who last edited each document, for the document list: a small record beside the document,
 * written when someone other than the last recorded person edits it (so a person typing costs one
 * write per room session, not one per keystroke). Who a connection is comes from its token (`name`,
 * else `sub`) or, in open mode, the name in its presence.
 */
import type { Logger } from 'pino';
import type { DocStore } from '../storage/DocStore.js';

const KIND = 'editor';
const ID = 'last';

const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder();

export class LastEditors {
  /** The last editor recorded per document while it is in memory (dropped by {@link forget}). */
  private readonly recorded = new Map<string, string>();

  constructor(
    private readonly store: DocStore,
    private readonly logger: Logger,
  ) {}

  /** `editor` has just changed `docName`: record it unless it is already the last one recorded. */
  edited(docName: string, editor: string | undefined): void {
    if (editor === undefined || this.recorded.get(docName) === editor) return;
    this.recorded.set(docName, editor);
    this.store.putRecord(docName, KIND, ID, utf8.encode(JSON.stringify({ name: editor }))).catch((error: Error) => {
      this.recorded.delete(docName);
      this.logger.warn({ err: error, doc: docName }, 'could not record who last edited the document');
    });
  }

  /** The document left memory: the next edit is recorded again. */
  forget(docName: string): void {
    this.recorded.delete(docName);
  }

  /** Who last edited each of `names` (null when nobody was recorded), in the same order. */
  async of(names: readonly string[]): Promise<Array<string | null>> {
    return Promise.all(names.map(async (name) => decode(await this.store.getRecord(name, KIND, ID))));
  }
}

function decode(value: Uint8Array | undefined): string | null {
  if (!value) return null;
  try {
    const { name } = JSON.parse(fromUtf8.decode(value)) as { name?: unknown };
    return typeof name === 'string' ? name : null;
  } catch {
    return null;
  }
}
