/**
 * Who edited a document since its last checkpoint. With auth, a person is the token's subject
 * (named by the token's `name`, else by their presence name, else by the subject); in open mode
 * there is only the presence name the editor announces (`user.name` of the connection's awareness
 * state). An edit can come before the connection's first presence: its author is named at the
 * checkpoint, or called Anonymous if it never said.
 */
import type { VersionAuthor } from '@tandem/protocol';
import type { Awareness } from 'y-protocols/awareness';
import type { Connection } from '../Connection.js';

/** What the author lookup needs of a room's presence (Presence.ts). */
export interface PresenceView {
  readonly awareness: Awareness;
  clientIdsOf(conn: Connection): ReadonlySet<number> | undefined;
}

/** The name of a connection's author when nothing says who they are. */
export const ANONYMOUS = 'Anonymous';

export class AuthorSet {
  private readonly byKey = new Map<string, VersionAuthor>();
  /** Connections counted since the last take. */
  private readonly counted = new Set<Connection>();
  /** Connections that edited before anything named them. */
  private readonly unnamed = new Set<Connection>();

  /** `conn` has edited. Cheap for a connection already counted: this runs for every update. */
  add(conn: Connection, presence: PresenceView | undefined): void {
    if (this.counted.has(conn)) return;
    this.counted.add(conn);
    const author = authorOf(conn, presence);
    if (author) this.byKey.set(keyOf(author), author);
    else this.unnamed.add(conn);
  }

  /** Everyone counted since the last call, in the order they first edited; starts a new set. */
  take(presence: PresenceView | undefined): VersionAuthor[] {
    for (const conn of this.unnamed) {
      const author = authorOf(conn, presence) ?? { name: ANONYMOUS };
      this.byKey.set(keyOf(author), author);
    }
    this.unnamed.clear();
    this.counted.clear();
    const authors = [...this.byKey.values()];
    this.byKey.clear();
    return authors;
  }
}

function keyOf(author: VersionAuthor): string {
  return author.id !== undefined ? `id:${author.id}` : `name:${author.name}`;
}

/** Who `conn` is, or undefined when nothing says yet. */
export function authorOf(conn: Connection, presence: PresenceView | undefined): VersionAuthor | undefined {
  const { userId, userName } = conn.identity;
  if (userId !== undefined) return { id: userId, name: userName ?? presenceName(conn, presence) ?? userId };
  const name = presenceName(conn, presence);
  return name === undefined ? undefined : { name };
}

/** The `user.name` in the connection's presence state, if it has one. */
function presenceName(conn: Connection, presence: PresenceView | undefined): string | undefined {
  const ids = presence?.clientIdsOf(conn);
  if (!presence || !ids) return undefined;
  for (const clientId of ids) {
    const user = (presence.awareness.getStates().get(clientId) as { user?: { name?: unknown } } | undefined)?.user;
    if (typeof user?.name === 'string' && user.name.trim() !== '') return user.name.trim().slice(0, 100);
  }
  return undefined;
}
