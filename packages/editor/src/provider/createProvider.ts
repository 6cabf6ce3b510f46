/**
 * The one place where Tandem opens a connection to the sync server: the seam between the editor
 * and y-websocket. Everything that changes how an editor talks to the server (URL parameters,
 * tokens, reconnects, what the save tracker sees of the wire, the presence gate) is set up here,
 * and nothing else in the editor touches y-websocket beyond its public events and fields.
 *
 * y-websocket is pinned to an exact version (package.json) because the seam relies on these
 * details of it, beyond its documented options and events. Check each one before moving the pin
 * (the contract test, syncServer.contract.test.ts, runs the seam against the real sync server):
 *
 * 1. `WebSocketPolyfill`: the provider constructs one socket per connection attempt, as
 *    `new WebSocketPolyfill(url, protocols)` with `url` built from `params` at that moment. It uses
 *    only `binaryType`, `readyState`, `OPEN`, the `onopen`, `onmessage` (`event.data`, an
 *    ArrayBuffer), `onerror` and `onclose` (`code`, `reason`) properties, `send(Uint8Array)` and
 *    `close()`. It sends its opening messages (sync step 1, this client's presence) inside `onopen`
 *    and applies each message synchronously inside `onmessage`. Before it closes a socket itself
 *    (`disconnect()`, its 30 s silence watchdog) it detaches the socket's handlers.
 * 2. `maxBackoffTime: 0`: after a close the provider constructs the next socket on the next tick
 *    (`min(2^n · 100, maxBackoffTime)` ms), so the socket (connectionSocket.ts) does all the waiting.
 * 3. `provider.messageHandlers[1]` (awareness), a per-provider copy of the handler table called as
 *    `(encoder, decoder, provider, emitSynced, messageType)`, is replaced to gate remote presence
 *    (presence.ts). Messages of a type without a handler are logged by the provider, so Tandem's
 *    Saved acknowledgement (type 100) never reaches it (connectionSocket.ts keeps it).
 * 4. Public fields and events read elsewhere: `ws`, `wsconnected`, `wsUnsuccessfulReconnects`
 *    (counts every close, reset when synced), `synced`, `params`; `status`, `connection-close`,
 *    `sync`, and `closed`, emitted when a close code in 4400–4499 ends the retries.
 */
import { AUTH_BY_MESSAGE, AUTH_MESSAGE_PARAM, isValidDocName, SAVED_ACK_PARAM } from '@tandem/protocol';
import type { Awareness } from 'y-protocols/awareness';
import { WebsocketProvider } from 'y-websocket';
import type * as Y from 'yjs';
import { logToConsole, type OnError } from '../editorError.js';
import { connectionSocketClass, type TokenTransport, type WireTap } from './connectionSocket.js';
import { acceptRemotePresence, announcePresenceOnConnect } from './presence.js';
import { followBrowserNetwork, ReconnectSchedule, type BackoffOptions } from './reconnects.js';
import { TokenKeeper, type GetToken } from './tokens.js';

/** What {@link createProvider} needs. */
export interface ProviderOptions {
  /** `ws://` or `wss://` URL of the sync server, without the document name. */
  serverUrl: string;
  /** Document name: 1–200 characters of `A-Z a-z 0-9 . _ -`. */
  docName: string;
  doc: Y.Doc;
  awareness: Awareness;
  /** A JWT for servers that require one. */
  token?: string;
  /**
   * Fetches a fresh token. Called ahead of the current token's expiry (the next token is sent on
   * the open connection), and before a connection whose token is stale: after close 4001 or
   * 4002, after a connection that never opened in URL transport (a 401 looks like that), when the
   * token has expired or when there is none yet.
   */
  getToken?: GetToken;
  /** How long `getToken()` may take before it counts as failed (default 15 s). */
  tokenTimeoutMs?: number;
  /**
   * How the token travels: `'message'` (default), as the connection's first message, out of URLs
   * and so out of proxy and access logs, and renewed on the open connection; or `'url'`, as the
   * `token` URL parameter (for servers without auth by message: the connection is then closed
   * with 4001 at each expiry and reopened with a fresh token).
   */
  tokenTransport?: TokenTransport;
  /** Extra URL parameters (for opt-in protocol extensions). */
  params?: Record<string, string>;
  /** A WebSocket implementation to use instead of the global one. */
  WebSocketPolyfill?: typeof WebSocket;
  /**
   * Sync with other tabs of this browser directly (BroadcastChannel), so that they stay in step
   * while the server is unreachable. Default true.
   */
  crossTab?: boolean;
  /** Sees every frame (the save tracker); with it the connection asks for Saved acknowledgements. */
  tap?: WireTap;
  /** The window whose `online`, `offline` and `visibilitychange` events matter. */
  window?: Window | null;
  /** Problems the connection survives (a failed `getToken()`, a refused presence state). Default: the console. */
  onError?: OnError;
  /** Backoff between reconnect attempts (default {@link DEFAULT_BACKOFF}). */
  backoff?: BackoffOptions;
  /** A number in [0, 1) for jitter, `Math.random` by default (injected in tests). */
  random?: () => number;
}

/** A provider and what runs around it. */
export interface SyncConnection {
  /** The y-websocket provider: connection, awareness, sync events. */
  readonly provider: WebsocketProvider;
  /** The token in use (the latest fetched), if any. */
  readonly token: string | undefined;
  /** Drop the current connection as lost and reconnect (what the browser going offline does). */
  dropConnection(): void;
  /** Stop following the browser and destroy the provider (closing the connection). */
  destroy(): void;
}

/**
 * Connect `doc` and `awareness` to the document `docName` on the sync server at `serverUrl`.
 *
 * Throws right away on an invalid document name or server URL, rather than letting the
 * server refuse the upgrade later.
 */
export function createProvider(options: ProviderOptions): SyncConnection {
  const { serverUrl, docName, doc, awareness, crossTab = true } = options;
  if (!isValidDocName(docName)) {
    throw new Error(`Invalid document name ${JSON.stringify(docName)}: use 1–200 characters of A-Z a-z 0-9 . _ -`);
  }
  if (!/^wss?:\/\//i.test(serverUrl) || !parses(serverUrl)) {
    throw new Error(`Invalid sync server URL ${JSON.stringify(serverUrl)}: it must be a ws:// or wss:// URL`);
  }
  const onError = options.onError ?? logToConsole;
  const transport = options.tokenTransport ?? 'message';
  const tokens = options.token || options.getToken ? new TokenKeeper({ token: options.token, getToken: options.getToken, timeoutMs: options.tokenTimeoutMs }) : undefined;
  const params: Record<string, string> = { ...options.params };
  if (options.tap) params[SAVED_ACK_PARAM] = '1';
  if (tokens && transport === 'message') params[AUTH_MESSAGE_PARAM] = AUTH_BY_MESSAGE;
  if (options.token && transport === 'url') params.token = options.token;
  const reconnects = new ReconnectSchedule(options.backoff, options.random);
  const sockets = connectionSocketClass({
    Base: options.WebSocketPolyfill ?? WebSocket,
    tokens,
    transport,
    params,
    reconnects,
    tap: options.tap,
    onError,
  });
  const provider = new WebsocketProvider(serverUrl, docName, doc, {
    awareness,
    params,
    // Tabs of one browser also sync directly, so that they agree while the server is
    // unreachable. What arrives from another tab is unsaved here too until the server has it
    // (see SaveTracker): that tab sends it, and so does this tab's step 2 on its next connection.
    disableBc: !crossTab,
    WebSocketPolyfill: sockets.Socket,
    maxBackoffTime: 0,
  });
  acceptRemotePresence(provider, onError);
  announcePresenceOnConnect(provider);
  const onSync = (synced: boolean) => {
    if (synced) reconnects.synced();
  };
  provider.on('sync', onSync);
  const dropConnection = () => sockets.current()?.drop();
  const stopFollowing = options.window ? followBrowserNetwork(options.window, reconnects, dropConnection) : () => {};
  return {
    provider,
    get token() {
      return tokens?.current;
    },
    dropConnection,
    destroy() {
      stopFollowing();
      reconnects.stop();
      provider.off('sync', onSync);
      provider.destroy();
    },
  };
}

/** True when `url` is a URL the WebSocket constructor can take (URL.canParse is too new for some browsers). */
function parses(url: string): boolean {
  try {
    new URL(url);
    return true;
  } catch {
    return false;
  }
}
