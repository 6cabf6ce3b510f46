import { isValidDocName } from '@tandem/protocol';
import { WebsocketProvider } from 'y-websocket';
import type { Awareness } from 'y-protocols/awareness';
import type * as Y from 'yjs';
import { announcePresenceOnConnect } from './presenceRefresh.js';
import { acceptRemotePresence } from './remotePresence.js';
import { tokenRefreshingWebSocket, type GetToken } from './tokenRefresh.js';

/** The connection as people see it: connecting for the first time, connected, or offline (and retrying). */
export type ConnectionStatus = 'connecting' | 'connected' | 'offline';

/** A permanent close by the server (for example 4413, document too large); the provider stops retrying. */
export interface ConnectionClosed {
  code: number;
  reason: string;
}

/** What {@link createProvider} needs. */
export interface ProviderOptions {
  /** `ws://` or `wss://` URL of the sync server, without the document name. */
  serverUrl: string;
  /** Document name: 1–200 characters of `A-Z a-z 0-9 . _ -`. */
  docName: string;
  doc: Y.Doc;
  awareness: Awareness;
  /** Sent as the `token` URL parameter when the server requires authentication. */
  token?: string;
  /**
   * Fetches a fresh token. Called before any (re)connection whose token is stale: after close
   * 4001 (TokenExpired), after a connection that never opened (a 401 looks like that), when the
   * token has expired or when there is none yet. See tokenRefresh.ts.
   */
  getToken?: GetToken;
  /** Extra URL parameters (for opt-in protocol extensions). */
  params?: Record<string, string>;
  /** A WebSocket implementation to use instead of the global one. */
  WebSocketPolyfill?: typeof WebSocket;
  /**
   * Sync with other tabs of this browser directly (BroadcastChannel), so that they stay in step
   * while the server is unreachable. Default true.
   */
  crossTab?: boolean;
}

/**
 * The one place where Tandem opens a connection to the sync server. Everything that changes
 * how an editor talks to the server (URL parameters, a WebSocket wrapper, offline persistence)
 * belongs here.
 *
 * Throws right away on an invalid document name or server URL, rather than letting the
 * server refuse the upgrade later.
 */
export function createProvider(options: ProviderOptions): WebsocketProvider {
  const { serverUrl, docName, doc, awareness, token, WebSocketPolyfill, crossTab = true } = options;
  if (!isValidDocName(docName)) {
    throw new Error(`Invalid document name ${JSON.stringify(docName)}: use 1–200 characters of A-Z a-z 0-9 . _ -`);
  }
  if (!/^wss?:\/\//i.test(serverUrl)) {
    throw new Error(`Invalid sync server URL ${JSON.stringify(serverUrl)}: it must start with ws:// or wss://`);
  }
  const params: Record<string, string> = { ...options.params };
  if (token) params.token = token;
  let provider: WebsocketProvider | undefined;
  const getToken = options.getToken;
  const Socket = getToken
    ? tokenRefreshingWebSocket(WebSocketPolyfill ?? WebSocket, { getToken, getParams: () => provider?.params ?? params })
    : WebSocketPolyfill;
  provider = new WebsocketProvider(serverUrl, docName, doc, {
    awareness,
    params,
    // Tabs of one browser also sync directly, so that they agree while the server is
    // unreachable. What arrives from another tab is unsaved here too until the server has it
    // (see SaveTracker): that tab sends it, and so does this tab's step 2 on its next connection.
    disableBc: !crossTab,
    ...(Socket ? { WebSocketPolyfill: Socket } : {}),
  });
  // No presence state reaches the awareness (and so the presence list and the cursors) unchecked.
  acceptRemotePresence(provider);
  announcePresenceOnConnect(provider);
  return provider;
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
