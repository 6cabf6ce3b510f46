/**
 * Presence over the provider: no remote presence state reaches the awareness unchecked, and this
 * client's own presence is announced afresh on every connection.
 */
import { MessageType } from '@tandem/protocol';
import * as decoding from 'lib0/decoding';
import { applyAwarenessUpdate } from 'y-protocols/awareness';
import type { WebsocketProvider } from 'y-websocket';
import type { OnError } from '../editorError.js';
import { acceptableEntries } from '../remotePresence.js';

/**
 * Put gate 1 (remotePresence.ts) in front of the provider's awareness messages, from the server
 * and from other tabs alike: each incoming update is decoded, states this editor will not store
 * are left out and reported (once per client ID), and the rest is applied as y-websocket would.
 * Returns a function that restores the provider's own handler.
 */
export function acceptRemotePresence(provider: WebsocketProvider, onError: OnError): () => void {
  const own = provider.messageHandlers[MessageType.Awareness];
  const reported = new Set<number>();
  provider.messageHandlers[MessageType.Awareness] = (_encoder, decoder, reader) => {
    const update = decoding.readVarUint8Array(decoder);
    const { awareness } = provider;
    const accepted = acceptableEntries(update, { clientId: awareness.clientID, state: awareness.getLocalState() }, (clientId, problem) => {
      if (reported.has(clientId)) return;
      reported.add(clientId);
      onError({ kind: 'presence', message: `ignored a presence state from client ${clientId}: ${problem}` });
    });
    if (accepted) applyAwarenessUpdate(awareness, accepted, reader);
  };
  return () => {
    if (own) provider.messageHandlers[MessageType.Awareness] = own;
  };
}

/**
 * Announce this client's presence afresh on every connection.
 *
 * When a connection closes, a server (like y-protocols' own Awareness) drops that client's
 * presence but keeps its clock. On reconnecting, the provider re-sends the local state with the
 * same clock, which a stock y-websocket server ignores as old news: after a reconnect (a network
 * blip, a token that could not be renewed in time) the others would not see this person until
 * their presence next changes, up to 15 s later. (Tandem's server takes such an announcement
 * anyway.) Setting the same state again bumps the clock, so it is news everywhere. Sent right
 * after the provider's own opening messages.
 *
 * Returns a function that stops it (destroying the provider stops it too).
 */
export function announcePresenceOnConnect(provider: WebsocketProvider): () => void {
  const onStatus = ({ status }: { status: string }) => {
    if (status !== 'connected') return;
    queueMicrotask(() => {
      const state = provider.awareness.getLocalState();
      if (provider.wsconnected && state !== null) provider.awareness.setLocalState(state);
    });
  };
  provider.on('status', onStatus);
  return () => provider.off('status', onStatus);
}
