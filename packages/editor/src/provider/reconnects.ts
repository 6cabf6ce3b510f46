/**
 * When the editor reconnects: after a lost connection, jittered and capped exponential backoff
 * (instead of y-websocket's own, unjittered); at once when the browser says it is online again or
 * the tab becomes visible; and a connection is dropped as soon as the browser says it is offline
 * (browsers keep dead WebSockets open for a long time), so that the status is honest and a fresh
 * attempt follows.
 *
 * The waiting happens in the socket the provider constructs (connection.ts): it asks
 * {@link ReconnectSchedule.wait} before it dials, while the provider itself reconnects at once.
 */

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

/** A wait before dialing that can be cut short or called off. */
export interface DialWait {
  /** Resolves when the socket may dial. */
  readonly done: Promise<void>;
  /** Never resolve (the socket was closed meanwhile). */
  readonly cancel: () => void;
}

/**
 * The backoff of one provider's connections. A connection that ended on its own (the server
 * closed it, the network failed, it never opened) makes the next attempt wait
 * {@link reconnectDelay}, longer after each failure; a sync resets that. A connection the
 * provider closed itself (`disconnect()`, its watchdog) is followed at once.
 */
export class ReconnectSchedule {
  private attempt = 0;
  private retrying = false;
  private waiting: { timer: ReturnType<typeof setTimeout>; resolve: () => void } | undefined;

  constructor(
    private readonly backoff: BackoffOptions = DEFAULT_BACKOFF,
    private readonly random: () => number = Math.random,
  ) {}

  /** The wait before the next attempt dials. */
  wait(): DialWait {
    if (!this.retrying) return { done: Promise.resolve(), cancel: () => {} };
    let waiting!: NonNullable<ReconnectSchedule['waiting']>;
    const done = new Promise<void>((resolve) => {
      waiting = { resolve, timer: setTimeout(() => this.release(waiting), reconnectDelay(this.attempt++, this.random, this.backoff)) };
    });
    this.waiting = waiting;
    return {
      done,
      cancel: () => {
        clearTimeout(waiting.timer);
        if (this.waiting === waiting) this.waiting = undefined;
      },
    };
  }

  /** A connection ended: on its own (`lost`), or closed by the provider. */
  ended(lost: boolean): void {
    this.retrying = lost;
  }

  /** The document synced: the connection worked, the next loss starts the backoff afresh. */
  synced(): void {
    this.attempt = 0;
  }

  /** Reason to believe the server is reachable now (back online, tab visible): stop waiting. */
  wake(): void {
    if (!this.waiting) return;
    this.attempt = 0;
    this.release(this.waiting);
  }

  /** Stop waiting for good. */
  stop(): void {
    if (this.waiting) clearTimeout(this.waiting.timer);
    this.waiting = undefined;
  }

  private release(waiting: NonNullable<ReconnectSchedule['waiting']>): void {
    clearTimeout(waiting.timer);
    if (this.waiting === waiting) this.waiting = undefined;
    waiting.resolve();
  }
}

/**
 * Follow the browser's word on the network: `online` and a tab that becomes visible wake
 * `schedule`; `offline` calls `dropConnection`. Returns a function that stops listening.
 */
export function followBrowserNetwork(win: Window, schedule: ReconnectSchedule, dropConnection: () => void): () => void {
  const wake = () => schedule.wake();
  const onVisibility = () => {
    if (win.document.visibilityState === 'visible') wake();
  };
  win.addEventListener('online', wake);
  win.addEventListener('offline', dropConnection);
  win.document.addEventListener('visibilitychange', onVisibility);
  return () => {
    win.removeEventListener('online', wake);
    win.removeEventListener('offline', dropConnection);
    win.document.removeEventListener('visibilitychange', onVisibility);
  };
}
