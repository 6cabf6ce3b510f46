import type { WebsocketProvider } from 'y-websocket';

/** The connection as people see it: connecting for the first time, connected, or offline (and retrying). */
export type ConnectionStatus = 'connecting' | 'connected' | 'offline';

/** A permanent close by the server (for example 4413, document too large); the provider stops retrying. */
export interface ConnectionClosed {
  code: number;
  reason: string;
}

/**
 * Call `listener` with the connection status now and whenever it changes, and `onClosed` when
 * the server closes the connection for good. Returns a function that stops listening.
 *
 * The provider's own events are "connecting" for every attempt; here an attempt after the
 * first failure or after a lost connection counts as "offline", because that is what the
 * person is: offline, with edits kept locally until the connection is back.
 */
export function observeConnectionStatus(
  provider: WebsocketProvider,
  listener: (status: ConnectionStatus) => void,
  onClosed?: (closed: ConnectionClosed) => void,
): () => void {
  let current: ConnectionStatus | undefined;
  let everConnected = false;
  const set = (status: ConnectionStatus) => {
    if (status === current) return;
    current = status;
    listener(status);
  };
  const onStatus = ({ status }: { status: 'connected' | 'disconnected' | 'connecting' }) => {
    if (status === 'connected') {
      everConnected = true;
      set('connected');
    } else if (status === 'disconnected') {
      set('offline');
    } else {
      set(everConnected || provider.wsUnsuccessfulReconnects > 0 ? 'offline' : 'connecting');
    }
  };
  const onClose = () => {
    if (!provider.wsconnected) set(everConnected || provider.wsUnsuccessfulReconnects > 0 ? 'offline' : 'connecting');
  };
  const onTerminal = (event: ConnectionClosed) => {
    set('offline');
    onClosed?.(event);
  };
  provider.on('status', onStatus);
  provider.on('connection-close', onClose);
  provider.on('closed', onTerminal);
  set(provider.wsconnected ? 'connected' : 'connecting');
  return () => {
    provider.off('status', onStatus);
    provider.off('connection-close', onClose);
    provider.off('closed', onTerminal);
  };
}
