import type { Awareness } from 'y-protocols/awareness';
import { initialsOf, sanitizeColor, sanitizeName, type EditorUser } from './user.js';

/** One person in the document, as the presence list shows them. */
export interface Peer {
  /** The Yjs client ID of their editor (one per tab). */
  clientId: number;
  name: string;
  color: string;
  /** One or two letters for the avatar. */
  initials: string;
  /** True for this editor's own entry. */
  isSelf: boolean;
}

/** The awareness field that holds the user (`{ name, color }`), as y-prosemirror expects. */
export const USER_FIELD = 'user';

/**
 * The people in a document, from its awareness states: one entry per client that has a
 * `user` field, self first, then by name. Names and colours come from other people's
 * browsers, so they are sanitised here.
 */
export function peersFromAwareness(awareness: Awareness): Peer[] {
  const self = awareness.clientID;
  const peers: Peer[] = [];
  awareness.getStates().forEach((state, clientId) => {
    const user = (state as { user?: Partial<EditorUser> })[USER_FIELD];
    if (!user || typeof user !== 'object') return;
    const name = sanitizeName(user.name, `Guest ${clientId % 1000}`);
    peers.push({ clientId, name, color: sanitizeColor(user.color), initials: initialsOf(name), isSelf: clientId === self });
  });
  return peers.sort((a, b) =>
    a.isSelf !== b.isSelf ? (a.isSelf ? -1 : 1) : a.name.localeCompare(b.name) || a.clientId - b.clientId,
  );
}

/** A string that changes exactly when the presence list would look different. */
export function presenceKey(peers: readonly Peer[]): string {
  return peers.map((p) => `${p.clientId}:${p.name}:${p.color}`).join('|');
}

/**
 * Call `listener` with the presence list now and whenever it changes (someone joins, leaves,
 * or renames). Cursor movements alone do not call it. Returns a function that stops listening.
 */
export function observePresence(awareness: Awareness, listener: (peers: Peer[]) => void): () => void {
  let lastKey: string | undefined;
  const emit = () => {
    const peers = peersFromAwareness(awareness);
    const key = presenceKey(peers);
    if (key === lastKey) return;
    lastKey = key;
    listener(peers);
  };
  awareness.on('change', emit);
  emit();
  return () => awareness.off('change', emit);
}
