/**
 * Token refresh for servers that require a JWT (`--auth-secret`).
 *
 * The sync server closes a connection with 4001 (TokenExpired) when its token expires, and refuses
 * an expired or invalid token at the upgrade with HTTP 401, which a browser reports only as a
 * connection that closed before it opened. Either way the next attempt must carry a fresh token.
 *
 * The y-websocket provider reconnects by itself, synchronously, from a timer; there is no place to
 * wait for a token there. So the refresh lives in the WebSocket class the provider constructs:
 * when the token it would connect with is fresh, that is the real WebSocket and nothing else;
 * when it is stale (after a 4001, after a connection that never opened, when it expires within a
 * second or when there is none yet) it is a stand-in that stays "connecting" while `getToken()`
 * runs and then opens the real socket with the new token. Whoever asks the provider to connect
 * (its own backoff, `connect()`, a page coming back online), a stale token is never sent.
 */

/** Fetches a fresh token for this document from the application's own server. */
export type GetToken = () => Promise<string>;

/** The claims the client may read from a token (without verifying it: the server does that). */
export interface TokenClaims {
  /** Expiry, seconds since the epoch. */
  exp?: number;
  access?: string;
  doc?: string;
  sub?: string;
}

/** The payload of a JWT, or undefined for anything that is not one. Never verifies. */
export function readTokenClaims(token: string | undefined): TokenClaims | undefined {
  const payload = token?.split('.')[1];
  if (!payload) return undefined;
  try {
    const base64 = payload.replace(/-/g, '+').replace(/_/g, '/');
    const json = decodeURIComponent(
      Array.from(atob(base64.padEnd(base64.length + ((4 - (base64.length % 4)) % 4), '=')), (c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`).join(''),
    );
    const claims = JSON.parse(json) as unknown;
    return typeof claims === 'object' && claims !== null ? (claims as TokenClaims) : undefined;
  } catch {
    return undefined;
  }
}

/** True when the token is a `read` token (the editor is then shown read-only). */
export function isReadOnlyToken(token: string | undefined): boolean {
  return readTokenClaims(token)?.access === 'read';
}

/** The close code the sync server uses when a token expires during a session. */
export const TOKEN_EXPIRED_CLOSE_CODE = 4001;
/** A token that expires within this long is refreshed before connecting with it. */
const EXPIRY_MARGIN_MS = 1000;
/** A `getToken()` that has not answered by then counts as failed (and is retried with backoff). */
const GET_TOKEN_TIMEOUT_MS = 15_000;

export interface TokenRefreshOptions {
  /** The provider's URL parameters; `token` in it is read and replaced. */
  getParams: () => Record<string, string>;
  getToken: GetToken;
  /** How long `getToken()` may take (default 15 s). */
  timeoutMs?: number;
  /** For tests. */
  now?: () => number;
}

type Listener = Parameters<WebSocket['addEventListener']>[1];

/**
 * A WebSocket class for `WebsocketProvider` that never connects with a stale token (see the
 * module comment). `Base` is the real WebSocket class.
 */
export function tokenRefreshingWebSocket(Base: typeof WebSocket, options: TokenRefreshOptions): typeof WebSocket {
  const now = options.now ?? Date.now;
  /**
   * Why the current token may not be used again: 'expired' (4001, or past its `exp`) means never;
   * 'unproven' (the last connection never opened: perhaps a 401, perhaps the server is down) means
   * refresh first, but keep the token if the refresh itself fails and it has not expired.
   */
  let stale: 'expired' | 'unproven' | undefined;

  const watch = (socket: WebSocket) => {
    let opened = false;
    socket.addEventListener('open', () => {
      opened = true;
      stale = undefined;
    });
    socket.addEventListener('close', (event) => {
      if ((event as CloseEvent).code === TOKEN_EXPIRED_CLOSE_CODE) stale = 'expired';
      else if (!opened) stale ??= 'unproven';
    });
    return socket;
  };

  const expired = (token: string) => {
    const exp = readTokenClaims(token)?.exp;
    return typeof exp === 'number' && exp * 1000 - EXPIRY_MARGIN_MS <= now();
  };

  /** Stays CONNECTING while a fresh token is fetched, then stands in for the real socket. */
  class PendingSocket {
    static readonly CONNECTING = 0;
    static readonly OPEN = 1;
    static readonly CLOSING = 2;
    static readonly CLOSED = 3;
    readonly CONNECTING = 0;
    readonly OPEN = 1;
    readonly CLOSING = 2;
    readonly CLOSED = 3;
    onopen: ((event: Event) => void) | null = null;
    onmessage: ((event: MessageEvent) => void) | null = null;
    onerror: ((event: Event) => void) | null = null;
    onclose: ((event: CloseEvent) => void) | null = null;
    private real: WebSocket | undefined;
    private closed = false;
    private type: BinaryType = 'blob';
    private readonly listeners: Array<[string, Listener]> = [];

    constructor(
      private readonly baseUrl: string,
      private readonly protocols: string | string[] | undefined,
      private readonly current: string | undefined,
      private readonly reason: 'expired' | 'unproven',
    ) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const fetched = Promise.race([
        Promise.resolve().then(() => options.getToken()),
        new Promise<never>((_resolve, reject) => {
          timer = setTimeout(() => reject(new Error('getToken() timed out')), options.timeoutMs ?? GET_TOKEN_TIMEOUT_MS);
        }),
      ]).finally(() => clearTimeout(timer));
      fetched.then(
        (token) => {
          if (typeof token !== 'string' || token === '') return this.refreshFailed(new Error('getToken() gave no token'));
          try {
            this.open(token);
          } catch (error) {
            this.refreshFailed(error);
          }
        },
        (error: unknown) => this.refreshFailed(error),
      );
    }

    private refreshFailed(error: unknown) {
      // The token may still be good (the server, not the token, was the problem): use it.
      if (this.reason === 'unproven' && this.current && !expired(this.current)) return this.open(this.current);
      if (!this.closed) console.warn('Tandem: could not get a fresh token; retrying later.', error);
      this.fail();
    }

    get readyState(): number {
      return this.real ? this.real.readyState : this.closed ? 3 : 0;
    }
    get binaryType(): BinaryType {
      return this.type;
    }
    set binaryType(value: BinaryType) {
      this.type = value;
      if (this.real) this.real.binaryType = value;
    }
    get url(): string {
      return this.real?.url ?? this.baseUrl;
    }
    get protocol(): string {
      return this.real?.protocol ?? '';
    }
    get extensions(): string {
      return this.real?.extensions ?? '';
    }
    get bufferedAmount(): number {
      return this.real?.bufferedAmount ?? 0;
    }

    send(data: Parameters<WebSocket['send']>[0]): void {
      if (!this.real) throw new Error('WebSocket is not open yet (waiting for a fresh token)');
      this.real.send(data);
    }

    close(code?: number, reason?: string): void {
      if (this.real) return this.real.close(code, reason);
      if (this.closed) return;
      this.closed = true;
      queueMicrotask(() => this.emit('close', { type: 'close', code: 1006, reason: 'closed before connecting', wasClean: false }));
    }

    addEventListener(type: string, listener: Listener): void {
      this.listeners.push([type, listener]);
      this.real?.addEventListener(type, listener);
    }
    removeEventListener(type: string, listener: Listener): void {
      const index = this.listeners.findIndex(([t, l]) => t === type && l === listener);
      if (index >= 0) this.listeners.splice(index, 1);
      this.real?.removeEventListener(type, listener);
    }

    private open(token: string) {
      if (this.closed) return;
      const params = options.getParams();
      params.token = token;
      stale = undefined;
      const url = new URL(this.baseUrl);
      url.searchParams.set('token', token);
      const real = watch(new Base(url.toString(), this.protocols));
      real.binaryType = this.type;
      real.onopen = (event) => this.onopen?.(event);
      real.onmessage = (event) => this.onmessage?.(event);
      real.onerror = (event) => this.onerror?.(event);
      real.onclose = (event) => this.onclose?.(event);
      for (const [type, listener] of this.listeners) real.addEventListener(type, listener);
      this.real = real;
    }

    /** No token: behave like a connection that failed, so the provider backs off and tries again. */
    private fail() {
      if (this.closed) return;
      this.closed = true;
      this.emit('error', { type: 'error' });
      this.emit('close', { type: 'close', code: 1006, reason: 'no fresh token', wasClean: false });
    }

    private emit(type: 'error' | 'close', event: Record<string, unknown>) {
      const handler = type === 'error' ? this.onerror : this.onclose;
      (handler as ((event: unknown) => void) | null)?.(event);
      for (const [t, listener] of this.listeners) {
        if (t !== type) continue;
        if (typeof listener === 'function') listener(event as unknown as Event);
        else listener?.handleEvent(event as unknown as Event);
      }
    }
  }

  /** What the provider constructs: the real socket when the token is fresh, a stand-in otherwise. */
  function TokenWebSocket(url: string, protocols?: string | string[]): WebSocket {
    const current = options.getParams().token;
    const reason = stale ?? (!current || expired(current) ? 'expired' : undefined);
    if (!reason) return watch(new Base(url, protocols));
    return new PendingSocket(url, protocols, current, reason) as unknown as WebSocket;
  }
  Object.assign(TokenWebSocket, { CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3 });
  return TokenWebSocket as unknown as typeof WebSocket;
}
