/**
 * Deleting documents: into the trash (hidden, refused to connections, its connections closed,
 * everything it holds kept), back out of it (restored whole), or out of the store for good —
 * by request, or by the sweep once the retention period (--trash-retention-days) has passed.
 *
 * The operations on one document run one after another (a restore never lands in the middle of a
 * purge). Deleting for good waits until the document is out of memory: DocStore.purge must not run
 * under a loaded room. In cluster mode that must hold on every instance, and another instance learns
 * of the trash only at its next recheck: deleting for good waits until the document has been in the
 * trash for {@link TrashDeps.settleMs}, by when every instance has closed its connections and
 * unloaded it. (Without the wait, one deleted for good right after it was trashed stayed open on
 * another instance, whose next edit or unload wrote it back.)
 */
import type { Logger } from 'pino';
import type { RoomRegistry } from '../RoomRegistry.js';
import type { DocStore } from '../storage/DocStore.js';
import type { DocumentGate } from './DocumentGate.js';
import type { TrashIndex, TrashRecord } from './TrashIndex.js';

export interface TrashDeps {
  store: DocStore;
  index: TrashIndex;
  gate: DocumentGate;
  rooms: RoomRegistry;
  logger: Logger;
  /** How long a document stays in the trash before the sweep deletes it for good. */
  retentionMs: number;
  /**
   * How long after a document went to the trash every instance sharing the store has seen it
   * there, closed its connections and unloaded it (0 on a single server): deleting it for good
   * waits until then.
   */
  settleMs: number;
  now: () => number;
}

export type TrashOutcome = { ok: true; record: TrashRecord } | { ok: false; why: 'not-found' | 'already-in-trash' };

export class Trash {
  /** The operation running on each document, if any: the next one waits for it. */
  private readonly running = new Map<string, Promise<unknown>>();

  constructor(private readonly deps: TrashDeps) {}

  /** When a document trashed at `deletedAt` is deleted for good (milliseconds since the epoch). */
  purgeAt(record: Pick<TrashRecord, 'deletedAt'>): number {
    return record.deletedAt + this.deps.retentionMs;
  }

  /**
   * Move a document to the trash and close its connections. Not found: nothing is stored for it
   * and nobody has it open.
   */
  moveToTrash(name: string, deletedBy: string | null): Promise<TrashOutcome> {
    return this.serially(name, async () => {
      const { index, store, rooms, gate } = this.deps;
      if (await index.get(name)) return { ok: false, why: 'already-in-trash' } as const;
      const exists = rooms.has(name) || (await store.list()).some((doc) => doc.name === name);
      if (!exists) return { ok: false, why: 'not-found' } as const;
      const record: TrashRecord = { name, deletedAt: this.deps.now(), deletedBy };
      await index.put(record);
      gate.documentDeleted(name);
      this.deps.logger.info({ doc: name, deletedBy }, 'document moved to the trash');
      return { ok: true, record } as const;
    });
  }

  /** Take a document out of the trash, as it was. False when it was not in the trash. */
  restore(name: string): Promise<boolean> {
    return this.serially(name, async () => {
      if (!(await this.deps.index.get(name))) return false;
      await this.deps.index.remove(name);
      this.deps.logger.info({ doc: name }, 'document restored from the trash');
      return true;
    });
  }

  /** Delete a trashed document and everything stored for it. False when it is not in the trash. */
  deleteForGood(name: string): Promise<boolean> {
    return this.serially(name, async () => {
      const record = await this.deps.index.get(name);
      if (!record) return false;
      const wait = record.deletedAt + this.deps.settleMs - this.deps.now();
      if (wait > 0) {
        await new Promise((resolve) => setTimeout(resolve, wait));
        if ((await this.deps.index.get(name))?.deletedAt !== record.deletedAt) return false; // restored (or trashed again) meanwhile
      }
      await this.purge(name);
      return true;
    });
  }

  /** Delete for good every document whose retention period has passed; resolves with how many. */
  async sweep(): Promise<number> {
    const now = this.deps.now();
    let purged = 0;
    for (const record of await this.deps.index.all()) {
      if (this.purgeAt(record) > now) continue;
      const done = await this.serially(record.name, async () => {
        const current = await this.deps.index.get(record.name);
        if (!current || this.purgeAt(current) > this.deps.now()) return false; // restored (or trashed again) meanwhile
        await this.purge(record.name);
        return true;
      });
      if (done) purged++;
    }
    if (purged > 0) this.deps.logger.info({ purged }, 'trash sweep deleted documents whose retention period ended');
    return purged;
  }

  /** Run {@link sweep} now and every `intervalMs`; returns a function that stops it. Failures are logged, and the next run tries again. */
  sweepEvery(intervalMs: number): () => void {
    const run = (): void => {
      this.sweep().catch((error: Error) => {
        if (this.deps.store.isOpen()) this.deps.logger.error({ err: error }, 'trash sweep failed');
      });
    };
    run();
    const timer = setInterval(run, intervalMs);
    timer.unref();
    return () => clearInterval(timer);
  }

  private async purge(name: string): Promise<void> {
    const { rooms, store, index, gate } = this.deps;
    // Nobody may connect (it is in the trash); wait for whatever still holds it in memory.
    for (let room = rooms.get(name); room; room = rooms.get(name)) {
      gate.documentDeleted(name);
      await room.shutdown();
    }
    await store.purge(name);
    // The entry goes last: a crash before this line leaves it in the trash, and the next sweep purges again.
    await index.remove(name);
    this.deps.logger.info({ doc: name }, 'document deleted for good');
  }

  private serially<T>(name: string, work: () => Promise<T>): Promise<T> {
    const previous = this.running.get(name) ?? Promise.resolve();
    const next = previous.catch(() => {}).then(work);
    this.running.set(name, next);
    const forget = (): void => {
      if (this.running.get(name) === next) this.running.delete(name);
    };
    next.then(forget, forget);
    return next;
  }
}
