/**
 * Who last edited each document, for the document list: a small record beside the document,
 * written when someone other than the last recorded person edits it (so a person typing costs one
 * write per room session, not one per keystroke). Who a connection is comes from its token (`name`,
 * else `sub`) or, in open mode, the name in its presence (versions/authors.ts); an edit made before
 * an open-mode connection showed any presence names nobody, and the next one is recorded.
 */
import type { Logger } from 'pino';
import type { Connection } from '../Connection.js';
import type { DocStore } from '../storage/DocStore.js';
import { type PresenceView, authorOf } from '../versions/authors.js';

/** What LastEditors needs of a room. */
export interface EditedRoom {
  readonly name: string;
  readonly currentPresence: PresenceView | undefined;
}

const KIND = 'editor';
const ID = 'last';

const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder();

export class LastEditors {
  /** The last editor recorded per loaded room, and the connection it was recorded for (gone with the room). */
  private readonly recorded = new WeakMap<EditedRoom, { editor: string; conn: Connection }>();

  constructor(
    private readonly store: DocStore,
    private readonly logger: Logger,
  ) {}

  /** `conn` has just changed the room's document: record who, unless they are the last one recorded. */
  edited(room: EditedRoom, conn: Connection): void {
    const last = this.recorded.get(room);
    if (last?.conn === conn) return; // the same connection typing on: nothing to look up (this runs per update)
    const editor = authorOf(conn, room.currentPresence)?.name;
    if (editor === undefined) return;
    this.recorded.set(room, { editor, conn });
    if (last?.editor === editor) return;
    this.store.putRecord(room.name, KIND, ID, utf8.encode(JSON.stringify({ name: editor }))).catch((error: Error) => {
      this.recorded.delete(room);
      this.logger.warn({ err: error, doc: room.name }, 'could not record who last edited the document');
    });
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
