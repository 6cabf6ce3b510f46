import type { WebsocketProvider } from 'y-websocket';

/**
 * Announce this client's presence afresh on every connection.
 *
 * When a connection closes, the server (like y-protocols' own Awareness) drops that client's
 * presence but keeps its clock. On reconnecting, the provider re-sends the local state with the
 * same clock, which the server ignores as old news: after a reconnect (a token refresh, which the
 * server forces when a token expires, or a network blip) the others would not see this person
 * until their presence next changes, up to 15 s later. Setting the same state again bumps the
 * clock, so it is news. Sent right after the provider's own opening messages.
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
