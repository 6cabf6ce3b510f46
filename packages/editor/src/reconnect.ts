import type { WebsocketProvider } from 'y-websocket';

/** How long to wait before reconnect attempts. */
export interface BackoffOptions {
  /** Upper bound of the first wait, in milliseconds. */
  initialDelayMs: number;
  /** No wait is longer than this, in milliseconds. */
  maxDelayMs: number;
}

/** Half a second for the first retry, doubling, never more than ten seconds. */
export const DEFAULT_BACKOFF: Readonly<BackoffOptions> = { initialDelayMs: 500, maxDelayMs: 10_000 };

/**
 * The wait before reconnect attempt `attempt` (0 for the first after a lost connection):
 * exponential, capped at `maxDelayMs`, with "equal jitter" — somewhere between half and all of
 * `min(maxDelayMs, initialDelayMs · 2^attempt)`, so that clients that lost the same server do not
 * all come back in the same millisecond, and none retries much sooner than its backoff says.
 *
 * @param random a number in [0, 1), `Math.random` by default (injected in tests)
 */
export function reconnectDelay(attempt: number, random: () => number = Math.random, options: BackoffOptions = DEFAULT_BACKOFF): number {
  const n = Number.isFinite(attempt) && attempt > 0 ? Math.floor(attempt) : 0;
  const ceiling = Math.min(options.maxDelayMs, options.initialDelayMs * 2 ** Math.min(n, 30));
  const r = Math.min(Math.max(random(), 0), 1);
  return Math.round(ceiling / 2 + (r * ceiling) / 2);
}

/** What {@link manageReconnects} needs besides the provider. */
export interface ReconnectOptions {
  /** The window whose `online`, `offline` and `visibilitychange` events matter. */
  window?: Window | null;
  random?: () => number;
  backoff?: BackoffOptions;
}

/**
 * Take over the provider's reconnects: after a lost connection, wait {@link reconnectDelay}
 * (jittered, capped) between attempts instead of y-websocket's own unjittered backoff; reconnect
 * at once when the browser says it is online again or the tab becomes visible; and drop a
 * connection as soon as the browser says it is offline (browsers keep dead WebSockets open for
 * a long time), so that the status is honest and a fresh attempt follows.
 *
 * The provider's rules still hold: `provider.disconnect()` stays disconnected, and a permanent
 * close (4400–4499) ends the retries. Returns a function that stops managing.
 */
export function manageReconnects(provider: WebsocketProvider, options: ReconnectOptions = {}): () => void {
  const win = options.window ?? null;
  const random = options.random ?? Math.random;
  const backoff = options.backoff ?? DEFAULT_BACKOFF;
  let attempt = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  /** True while a retry is due: the connection was lost, not closed on purpose. */
  let retrying = false;

  const clear = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
  };
  const connectNow = () => {
    clear();
    retrying = false;
    provider.connect();
  };
  const onConnectionClose = () => {
    // provider.disconnect() clears shouldConnect before it closes: a deliberate close.
    if (!provider.shouldConnect) return;
    // Keep the provider's own retry timer from connecting; ours decides when.
    provider.shouldConnect = false;
    retrying = true;
    clear();
    timer = setTimeout(connectNow, reconnectDelay(attempt++, random, backoff));
  };
  const onClosed = () => {
    // A permanent close: the provider has given up, and so do we.
    clear();
    retrying = false;
  };
  const onSync = (synced: boolean) => {
    if (synced) attempt = 0;
  };
  const wake = () => {
    if (!retrying) return;
    attempt = 0;
    connectNow();
  };
  const onVisibility = () => {
    if (win?.document.visibilityState === 'visible') wake();
  };
  const onOffline = () => {
    const ws = provider.ws;
    if (!ws) return;
    // The same path as the provider's own watchdog for a silent connection: a close "by us"
    // (no event), which counts as lost and is retried.
    (ws.onclose as ((this: WebSocket, event: CloseEvent | null) => void) | null)?.call(ws, null);
  };

  provider.on('connection-close', onConnectionClose);
  provider.on('closed', onClosed);
  provider.on('sync', onSync);
  win?.addEventListener('online', wake);
  win?.addEventListener('offline', onOffline);
  win?.document.addEventListener('visibilitychange', onVisibility);
  return () => {
    clear();
    retrying = false;
    provider.off('connection-close', onConnectionClose);
    provider.off('closed', onClosed);
    provider.off('sync', onSync);
    win?.removeEventListener('online', wake);
    win?.removeEventListener('offline', onOffline);
    win?.document.removeEventListener('visibilitychange', onVisibility);
  };
}
