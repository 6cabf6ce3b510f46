/**
 * One loaded document's checkpoints: an automatic one when editing pauses (--version-pause after
 * the last edit) and when the document is unloaded with edits since the last one; named and
 * before-restore ones on request. Tracks who edited since the last checkpoint. Made by the Room on
 * its first edit (or first request), so a document nobody edits costs nothing here.
 */
import type { VersionInfo, VersionKind } from '@tandem/protocol';
import type { Logger } from 'pino';
import * as Y from 'yjs';
import type { Connection } from '../Connection.js';
import type { ServerStats } from '../metrics.js';
import type { ServerChange } from '../serverChanges.js';
import { AuthorSet, type PresenceView } from './authors.js';
import type { VersionStore } from './VersionStore.js';

/** What every room's history shares. */
export interface Versions {
  store: VersionStore;
  /** Milliseconds without an edit after which an automatic checkpoint is taken. */
  pauseMs: number;
  logger: Logger;
  stats: ServerStats;
}

/** What a history needs of its room. */
export interface HistoryRoom {
  readonly name: string;
  /** The room's presence, if anyone has shown any. */
  readonly currentPresence: PresenceView | undefined;
  atNextCut<T>(change: ServerChange<T>): Promise<T>;
}

export class RoomHistory {
  private readonly authors = new AuthorSet();
  /** Edits since the last checkpoint was taken. */
  private dirty = false;
  private lastEditAt = 0;
  private pauseTimer: NodeJS.Timeout | undefined = undefined;

  constructor(
    private readonly room: HistoryRoom,
    private readonly versions: Versions,
  ) {}

  /** `conn` changed the document (called for every update, so it only notes the time). */
  edited(conn: Connection): void {
    this.authors.add(conn, this.room.currentPresence);
    this.dirty = true;
    this.lastEditAt = Date.now();
    this.pauseTimer ??= this.armPause(this.versions.pauseMs);
  }

  /**
   * Take a checkpoint of the document as stored at the next cut, with the people who edited since
   * the last one. Resolves with the version, or undefined for an automatic one identical to the
   * newest version. Rejects when the document or the version cannot be stored.
   */
  async checkpoint(kind: VersionKind, label?: string): Promise<VersionInfo | undefined> {
    const { state, authors } = await this.room.atNextCut((doc) => {
      this.dirty = false;
      return { state: Y.encodeStateAsUpdate(doc), authors: this.authors.take(this.room.currentPresence) };
    });
    const version = await this.versions.store.save(this.room.name, { kind, label, authors, state });
    if (version) this.versions.stats.versionSaved(kind);
    return version;
  }

  /** The document is about to be unloaded: keep what changed since the last checkpoint. */
  async beforeUnload(): Promise<void> {
    this.dispose();
    if (this.dirty) await this.automaticCheckpoint();
  }

  /** The room is gone: no more timers. */
  dispose(): void {
    clearTimeout(this.pauseTimer);
    this.pauseTimer = undefined;
  }

  private armPause(delay: number): NodeJS.Timeout {
    const timer = setTimeout(() => this.pauseElapsed(), delay);
    timer.unref();
    return timer;
  }

  /** Re-armed, instead of reset on every edit, until a whole pause has passed without one. */
  private pauseElapsed(): void {
    const quietFor = Date.now() - this.lastEditAt;
    if (quietFor < this.versions.pauseMs) {
      this.pauseTimer = this.armPause(this.versions.pauseMs - quietFor);
      return;
    }
    this.pauseTimer = undefined;
    if (this.dirty) void this.automaticCheckpoint();
  }

  /** Automatic checkpoints answer to nobody: a failure is logged and counted. */
  private async automaticCheckpoint(): Promise<void> {
    try {
      await this.checkpoint('auto');
    } catch (error) {
      this.versions.stats.storageErrors++;
      this.versions.logger.error({ err: error, doc: this.room.name }, 'automatic checkpoint failed');
    }
  }
}
