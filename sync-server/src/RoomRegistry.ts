/**
 * The documents in memory, by name. Hands out a loaded Room; a document that is unloading is
 * waited for and then loaded afresh, so a connection never joins a room on its way out.
 */
import { Room, type RoomDeps } from './Room.js';

export class RoomRegistry {
  private readonly rooms = new Map<string, Room>();
  /** One object for every room, so a room costs no closure of its own. */
  private readonly roomDeps: RoomDeps;

  constructor(deps: Omit<RoomDeps, 'onClosed'>) {
    this.roomDeps = { ...deps, onClosed: (closed) => this.forget(closed) };
  }

  get size(): number {
    return this.rooms.size;
  }

  has(name: string): boolean {
    return this.rooms.has(name);
  }

  /** The room for `name` if it is in memory (in any state). */
  get(name: string): Room | undefined {
    return this.rooms.get(name);
  }

  all(): Room[] {
    return [...this.rooms.values()];
  }

  /** The loaded room for `name`. Rejects if it cannot be loaded from storage. */
  async acquire(name: string): Promise<Room> {
    for (;;) {
      const existing = this.rooms.get(name);
      if (!existing) break;
      if (existing.state === 'loading' || existing.state === 'ready') {
        await existing.loaded;
        if (existing.state === 'ready') return existing;
      }
      await existing.closed;
    }
    const room = new Room(name, this.roomDeps);
    this.rooms.set(name, room);
    this.roomDeps.metrics.stats.loadedDocuments = this.rooms.size;
    await room.loaded;
    return room;
  }

  private forget(closed: Room): void {
    if (this.rooms.get(closed.name) === closed) this.rooms.delete(closed.name);
    this.roomDeps.metrics.stats.loadedDocuments = this.rooms.size;
  }
}
