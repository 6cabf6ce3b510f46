'use client';

import { textColorOn, type Peer } from '@tandem/editor';

const MAX_SHOWN = 4;

/** Who is in the document: overlapping initials in each person's colour, self first. */
export function Avatars({ peers }: { peers: Peer[] }) {
  const shown = peers.slice(0, MAX_SHOWN);
  const rest = peers.slice(MAX_SHOWN);
  return (
    <ul className="avatars" aria-label={`${peers.length} ${peers.length === 1 ? 'person' : 'people'} here`} data-testid="presence">
      {shown.map((peer) => (
        <li
          key={peer.clientId}
          className="avatar"
          data-self={peer.isSelf || undefined}
          data-name={peer.name}
          title={peer.isSelf ? `${peer.name} (you)` : peer.name}
          style={{ background: peer.color, color: textColorOn(peer.color) }}
        >
          <span aria-hidden="true">{peer.initials}</span>
          <span className="sr-only">{peer.isSelf ? `${peer.name} (you)` : peer.name}</span>
        </li>
      ))}
      {rest.length > 0 ? (
        <li className="avatar avatar-more" title={rest.map((p) => p.name).join(', ')}>
          +{rest.length}
        </li>
      ) : null}
    </ul>
  );
}
