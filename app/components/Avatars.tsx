'use client';

import { textColorOn, type Peer } from '@tandem/editor';
import { useState } from 'react';

const MAX_SHOWN = 4;

/**
 * Who is in the document: overlapping initials in each person's colour, self first. Someone
 * else's avatar is a button: `onShow` brings their cursor into view, and says false when they have
 * none in the text (which is then said, for a moment, in the avatar's tooltip and to screen readers).
 */
export function Avatars({ peers, onShow }: { peers: Peer[]; onShow?: (peer: Peer) => boolean }) {
  const [absent, setAbsent] = useState<number>();
  const shown = peers.slice(0, MAX_SHOWN);
  const rest = peers.slice(MAX_SHOWN);
  const show = (peer: Peer) => {
    const found = onShow?.(peer) ?? false;
    setAbsent(found ? undefined : peer.clientId);
  };
  const absentPeer = peers.find((peer) => peer.clientId === absent);
  return (
    <>
      <ul className="avatars" aria-label={`${peers.length} ${peers.length === 1 ? 'person' : 'people'} here`} data-testid="presence">
        {shown.map((peer) => {
          const style = { background: peer.color, color: textColorOn(peer.color) };
          const label = peer.isSelf ? `${peer.name} (you)` : peer.name;
          return (
            <li key={peer.clientId} className="avatar-item" data-self={peer.isSelf || undefined} data-name={peer.name}>
              {peer.isSelf || !onShow ? (
                <span className="avatar" title={label} style={style}>
                  <span aria-hidden="true">{peer.initials}</span>
                  <span className="sr-only">{label}</span>
                </span>
              ) : (
                <button
                  type="button"
                  className="avatar avatar-button"
                  title={absent === peer.clientId ? `${peer.name} is not in the text right now` : `${peer.name}: show their cursor`}
                  style={style}
                  onClick={() => show(peer)}
                  data-testid="avatar"
                  data-client-id={peer.clientId}
                >
                  <span aria-hidden="true">{peer.initials}</span>
                  <span className="sr-only">{`${peer.name}: show their cursor`}</span>
                </button>
              )}
            </li>
          );
        })}
        {rest.length > 0 ? (
          <li className="avatar avatar-more" title={rest.map((p) => p.name).join(', ')}>
            +{rest.length}
          </li>
        ) : null}
      </ul>
      <span className="sr-only" role="status">{absentPeer ? `${absentPeer.name} is not in the text right now` : ''}</span>
    </>
  );
}
