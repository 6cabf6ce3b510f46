import type { Peer } from './presence.js';
import type { ConnectionStatus } from './provider/connectionStatus.js';
import type { SaveStatus } from './saveStatus.js';
import { scrollToCursor } from './cursors.js';
import { textColorOn } from './user.js';

/** Words for each connection status, as the status badge shows them. */
export const STATUS_LABELS: Record<ConnectionStatus, string> = {
  connecting: 'Connecting…',
  connected: 'Connected',
  offline: 'Offline — reconnecting',
};

/**
 * What the status line shows: the save status, except `connecting` (first attempt, nothing
 * unsaved), `connecting-unsaved` (first attempt, changes the server lacks are kept on this
 * device, e.g. loaded from it) and `loading` (connected, nothing unsaved, document not yet received).
 */
export type DisplayStatus = SaveStatus | 'connecting' | 'connecting-unsaved' | 'loading';

/** Words for each {@link DisplayStatus}. */
export const SAVE_STATUS_LABELS: Record<DisplayStatus, string> = {
  connecting: 'Connecting…',
  'connecting-unsaved': 'Connecting — changes kept on this device',
  loading: 'Loading…',
  saving: 'Saving…',
  saved: 'All changes saved',
  'offline-storing': 'Offline — storing changes on this device…',
  'offline-unsaved': 'Offline — changes kept on this device',
  offline: 'Offline — all changes saved',
  error: 'Not saved — copy your recent text, then reload',
};

/** The label for unsaved offline edits when there is no local copy: they live in this tab only. */
export const OFFLINE_UNSAVED_IN_TAB_LABEL = 'Offline — changes kept in this tab until back online';
/** The same while the first connection is under way. */
export const CONNECTING_UNSAVED_IN_TAB_LABEL = 'Connecting — changes kept in this tab';

/** Combine connection and save status into what the person sees. */
export function displayStatus(connection: ConnectionStatus, save: SaveStatus, everSynced: boolean): DisplayStatus {
  if (save === 'error') return 'error';
  if (connection === 'connecting') {
    // The first attempt is under way: not "offline" yet, but changes the server lacks are said so.
    if (save === 'offline-unsaved') return 'connecting-unsaved';
    return save === 'offline-storing' ? save : 'connecting';
  }
  if (save === 'saving' || save === 'offline-unsaved' || save === 'offline-storing') return save;
  if (save === 'saved' || connection === 'connected') return everSynced ? 'saved' : 'loading';
  return 'offline';
}

/** The words for a {@link DisplayStatus}; `localCopy` says whether IndexedDB keeps the changes. */
export function statusLabel(status: DisplayStatus, localCopy = true): string {
  if (!localCopy && status === 'offline-unsaved') return OFFLINE_UNSAVED_IN_TAB_LABEL;
  if (!localCopy && status === 'connecting-unsaved') return CONNECTING_UNSAVED_IN_TAB_LABEL;
  return SAVE_STATUS_LABELS[status];
}

/** How many avatars show before the rest collapse into "+N". */
const MAX_AVATARS = 5;

/**
 * Fill `list` with one avatar per person (initials on their colour, name as tooltip), self
 * first, the overflow as "+N". Someone else's avatar is a button that scrolls the editor around
 * `list` to their cursor. Plain DOM so that the vanilla editor and the React app share it.
 */
export function renderAvatars(list: HTMLElement, peers: readonly Peer[], max = MAX_AVATARS): void {
  list.replaceChildren();
  list.setAttribute('aria-label', `${peers.length} ${peers.length === 1 ? 'person' : 'people'} in this document`);
  for (const peer of peers.slice(0, max)) {
    const avatar = document.createElement(peer.isSelf ? 'span' : 'button');
    avatar.className = 'tandem-avatar';
    avatar.dataset.clientId = String(peer.clientId);
    if (peer.isSelf) avatar.dataset.self = 'true';
    avatar.style.setProperty('--tandem-peer-color', peer.color);
    avatar.style.color = textColorOn(peer.color);
    avatar.textContent = peer.initials;
    avatar.title = peer.isSelf ? `${peer.name} (you)` : peer.name;
    if (avatar instanceof HTMLButtonElement) {
      avatar.type = 'button';
      avatar.setAttribute('aria-label', `${peer.name}: show their cursor`);
      avatar.addEventListener('click', () => {
        if (!scrollToCursor(list.closest('.tandem-editor') ?? document, peer.clientId)) avatar.title = `${peer.name} (not in the text right now)`;
      });
    } else {
      avatar.setAttribute('aria-label', avatar.title);
    }
    const item = document.createElement('span');
    item.setAttribute('role', 'listitem');
    item.className = 'tandem-avatar-item';
    item.append(avatar);
    list.append(item);
  }
  if (peers.length > max) {
    const more = document.createElement('span');
    more.className = 'tandem-avatar tandem-avatar-more';
    more.setAttribute('role', 'listitem');
    const rest = peers.slice(max).map((p) => p.name);
    more.textContent = `+${rest.length}`;
    more.title = rest.join(', ');
    list.append(more);
  }
}

/**
 * A bar with the presence avatars and the connection and save status, for editors embedded
 * without an app around them. Returns functions to update it and to remove it.
 */
export function createPresenceBar(container: HTMLElement): {
  setPeers(peers: readonly Peer[]): void;
  /**
   * Show the connection status, and with `save` where the document's changes are (`localCopy`:
   * whether IndexedDB keeps them).
   */
  setStatus(status: ConnectionStatus, save?: SaveStatus, everSynced?: boolean, localCopy?: boolean): void;
  destroy(): void;
} {
  const root = document.createElement('div');
  root.className = 'tandem-presence-bar';
  const avatars = document.createElement('div');
  avatars.className = 'tandem-avatars';
  avatars.setAttribute('role', 'list');
  const status = document.createElement('span');
  status.className = 'tandem-status';
  status.setAttribute('role', 'status');
  status.setAttribute('aria-live', 'polite');
  root.append(avatars, status);
  container.append(root);
  return {
    setPeers: (peers) => renderAvatars(avatars, peers),
    setStatus: (value, save, everSynced = false, localCopy = true) => {
      status.dataset.status = value;
      if (save === undefined) {
        status.textContent = STATUS_LABELS[value];
        return;
      }
      const shown = displayStatus(value, save, everSynced);
      status.dataset.saveStatus = shown;
      const label = statusLabel(shown, localCopy);
      if (status.textContent !== label) status.textContent = label;
    },
    destroy: () => root.remove(),
  };
}
