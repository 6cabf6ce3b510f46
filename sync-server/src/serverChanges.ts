/**
 * Changes the server itself makes to a document (restoring a version, importing), and reads that
 * must see the document exactly as stored (checkpoints). Each runs at a room's next cut, after
 * that cut's client updates, so it goes through the same write pipeline as a client's update:
 * what it changes is stored in the cut's batch before it is relayed, and every connected client
 * receives it as an ordinary update. The caller learns the outcome once the batch is stored.
 */
import * as Y from 'yjs';

/** A function run on the document at a cut; what it returns is handed back once the cut is stored. */
export type ServerChange<T> = (doc: Y.Doc) => T;

/** The transaction origin of the server's own changes. */
export const SERVER_ORIGIN = Symbol('tandem-server');

interface Queued {
  run: ServerChange<unknown>;
  resolve(value: unknown): void;
  reject(error: Error): void;
}

/** The changes of one cut, run: the update they made (if any) and how to tell their callers. */
export interface RunServerChanges {
  /** What the changes made, as one Yjs update; undefined when they changed nothing. */
  update: Uint8Array | undefined;
  /** The cut is stored: each caller gets what its change returned, or what it threw. */
  stored(): void;
  /** The cut could not be stored: every caller gets the error. */
  failed(error: Error): void;
}

/** A room's queue of server changes waiting for its next cut. */
export class ServerChanges {
  private queued: Queued[] = [];

  get pending(): boolean {
    return this.queued.length > 0;
  }

  /** Queue `change` for the next cut; resolves with its result once the cut is stored. */
  add<T>(change: ServerChange<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queued.push({ run: change, resolve: resolve as (value: unknown) => void, reject });
    });
  }

  /**
   * Run every queued change on `doc`, in one transaction with {@link SERVER_ORIGIN}. A change that
   * throws does not stop the others, and what it did before throwing is kept (Yjs cannot take it
   * back): it is stored like the rest, so the document in memory never differs from storage.
   */
  run(doc: Y.Doc): RunServerChanges {
    const changes = this.queued;
    this.queued = [];
    const outcomes: Array<{ value?: unknown; error?: Error }> = [];
    let update: Uint8Array | undefined;
    const capture = (made: Uint8Array): void => void (update = made);
    doc.on('update', capture);
    try {
      Y.transact(
        doc,
        () => {
          for (const change of changes) {
            try {
              outcomes.push({ value: change.run(doc) });
            } catch (error) {
              outcomes.push({ error: error as Error });
            }
          }
        },
        SERVER_ORIGIN,
      );
    } finally {
      doc.off('update', capture);
    }
    return {
      update,
      stored: () =>
        changes.forEach((change, i) => {
          const { value, error } = outcomes[i]!;
          if (error) change.reject(error);
          else change.resolve(value);
        }),
      failed: (error) => changes.forEach((change) => change.reject(error)),
    };
  }

  /** The room is gone: nothing queued will run. */
  rejectAll(error: Error): void {
    for (const change of this.queued.splice(0)) change.reject(error);
  }
}
