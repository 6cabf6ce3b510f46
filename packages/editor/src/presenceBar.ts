import type { Peer } from './presence.js';
import type { ConnectionStatus } from './provider.js';
import { textColorOn } from './user.js';

/** Words for each connection status, as the status badge shows them. */
export const STATUS_LABELS: Record<ConnectionStatus, string> = {
  connecting: 'Connecting…',
  connected: 'Connected',
  offline: 'Offline — reconnecting',
};

/** How many avatars show before the rest collapse into "+N". */
const MAX_AVATARS = 5;

/**
 * Fill `list` with one avatar per person (initials on their colour, name as tooltip), self
 * first, the overflow as "+N". Plain DOM so that the vanilla editor and the React app share it.
 */
export function renderAvatars(list: HTMLElement, peers: readonly Peer[], max = MAX_AVATARS): void {
  list.replaceChildren();
  list.setAttribute('aria-label', `${peers.length} ${peers.length === 1 ? 'person' : 'people'} in this document`);
  for (const peer of peers.slice(0, max)) {
    const avatar = document.createElement('span');
    avatar.className = 'tandem-avatar';
    avatar.setAttribute('role', 'listitem');
    avatar.dataset.clientId = String(peer.clientId);
    if (peer.isSelf) avatar.dataset.self = 'true';
    avatar.style.setProperty('--tandem-peer-color', peer.color);
    avatar.style.color = textColorOn(peer.color);
    avatar.textContent = peer.initials;
    const label = peer.isSelf ? `${peer.name} (you)` : peer.name;
    avatar.title = label;
    avatar.setAttribute('aria-label', label);
    list.append(avatar);
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
 * A bar with the presence avatars and the connection status, for editors embedded without an
 * app around them. Returns functions to update it and to remove it.
 */
export function createPresenceBar(container: HTMLElement): {
  setPeers(peers: readonly Peer[]): void;
  setStatus(status: ConnectionStatus): void;
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
  root.append(avatars, status);
  container.append(root);
  return {
    setPeers: (peers) => renderAvatars(avatars, peers),
    setStatus: (value) => {
      status.dataset.status = value;
      status.textContent = STATUS_LABELS[value];
    },
    destroy: () => root.remove(),
  };
}
