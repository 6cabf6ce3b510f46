/**
 * The WebSocket class the editor hands to y-websocket (`WebSocketPolyfill`): the one place where
 * the editor stands between the provider and the wire. Each connection attempt the provider makes
 * constructs one of these, which
 *
 * 1. waits before dialing when the last connection was lost (reconnects.ts), and fetches a fresh
 *    token first when the one it has is stale (tokens.ts) — the provider reconnects synchronously
 *    from a timer, so there is no other place to wait;
 * 2. opens the real socket, with the token in the URL, or (the default) with `tandem-auth=message`
 *    in the URL and the token as the first message; then the provider hears "open" only once the
 *    server has spoken (its sync step 1 is its word that the token was accepted), and the token is
 *    renewed on the open connection before it expires (tokenRenewal.ts);
 * 3. shows the save tracker every frame (WireTap) and keeps Tandem's Saved acknowledgements, which
 *    the stock provider does not know, to itself.
 *
 * The provider uses a small part of the WebSocket interface (see createProvider.ts for the list);
 * this class has that part and no more.
 */
import { CloseCode, decodeSavedAck, encodeTokenMessage } from '@tandem/protocol';
import type { OnError } from '../editorError.js';
import type { ReconnectSchedule } from './reconnects.js';
import { renewBeforeExpiry } from './tokenRenewal.js';
import type { TokenKeeper } from './tokens.js';

/**
 * What a save tracker learns from the wire (saveStatus.ts). `connection` identifies one
 * connection (the socket object); frames of different connections are counted apart.
 */
export interface WireTap {
  /** This client sent `frame` on `connection`. */
  frameSent(connection: object, frame: Uint8Array): void;
  /** The server says the first `count` document-change frames sent on `connection` are durable. */
  savedAck(connection: object, count: number): void;
  /** The server sent `frame` on `connection`; `deliver()` hands it to the provider, which applies it at once. */
  frameReceived(connection: object, frame: Uint8Array, deliver: () => void): void;
}

/** How the token travels: in the first message (default) or in the URL. */
export type TokenTransport = 'message' | 'url';

/** What every socket of one provider shares. */
export interface SocketContext {
  Base: typeof WebSocket;
  /** Absent when the server needs no token. */
  tokens: TokenKeeper | undefined;
  transport: TokenTransport;
  /** The provider's URL parameters: in URL transport, `token` is kept current there. */
  params: Record<string, string>;
  reconnects: ReconnectSchedule;
  tap: WireTap | undefined;
  onError: OnError;
}

const CONNECTING = 0;
const OPEN = 1;
const CLOSED = 3;

type Phase = 'preparing' | 'dialing' | 'authenticating' | 'open' | 'closed';

/** A close event as the provider reads it (Node before 23 has no CloseEvent class). */
function closeEvent(code: number, reason: string): CloseEvent {
  return { type: 'close', code, reason, wasClean: false } as CloseEvent;
}

/** One connection attempt, as the provider sees it. */
export class ConnectionSocket {
  static readonly CONNECTING = CONNECTING;
  static readonly OPEN = OPEN;
  static readonly CLOSING = 2;
  static readonly CLOSED = CLOSED;
  readonly CONNECTING = CONNECTING;
  readonly OPEN = OPEN;
  readonly CLOSING = 2;
  readonly CLOSED = CLOSED;
  /** The provider sets it; frames always arrive as ArrayBuffers. */
  binaryType: BinaryType = 'arraybuffer';
  onopen: ((event: Event) => void) | null = null;
  onmessage: ((event: MessageEvent) => void) | null = null;
  onerror: ((event: Event) => void) | null = null;
  onclose: ((event: CloseEvent) => void) | null = null;
  private phase: Phase = 'preparing';
  private real: WebSocket | undefined;
  private cancelWait: (() => void) | undefined;
  private stopRenewal: (() => void) | undefined;

  constructor(
    readonly url: string,
    private readonly protocols: string | string[] | undefined,
    private readonly context: SocketContext,
  ) {
    void this.prepare();
  }

  get readyState(): number {
    if (this.phase === 'open') return this.real!.readyState;
    return this.phase === 'closed' ? CLOSED : CONNECTING;
  }

  send(data: Uint8Array): void {
    if (this.phase !== 'open') throw new Error('Tandem: the connection is not open yet');
    this.real!.send(data);
    this.context.tap?.frameSent(this, data);
  }

  /** Close on the provider's request (it has detached its handlers first). */
  close(code?: number, reason?: string): void {
    if (this.phase === 'closed') return;
    this.finish(false);
    if (this.real) this.real.close(code, reason);
    else queueMicrotask(() => this.onclose?.(closeEvent(CloseCode.Abnormal.code, 'closed before connecting')));
  }

  /** The browser says it is offline: the connection is lost, whatever the socket still says. */
  drop(): void {
    if (this.phase === 'closed' || !this.real) return;
    this.finish(true);
    this.real.close();
    this.onclose?.(closeEvent(CloseCode.Abnormal.code, 'the browser is offline'));
  }

  private async prepare(): Promise<void> {
    const { tokens, reconnects, onError } = this.context;
    const wait = reconnects.wait();
    this.cancelWait = wait.cancel;
    await wait.done;
    this.cancelWait = undefined;
    let token: string | undefined;
    try {
      token = await tokens?.forConnection();
    } catch (error) {
      if (this.phase === 'closed') return;
      onError({ kind: 'token', message: 'could not get a fresh token; retrying later', cause: error });
      return this.failBeforeDialing('no fresh token');
    }
    if (this.phase !== 'closed') this.dial(token);
  }

  private dial(token: string | undefined): void {
    const { Base, transport, params } = this.context;
    const byMessage = token !== undefined && transport === 'message';
    let url = this.url;
    if (token !== undefined && transport === 'url') {
      params.token = token;
      const withToken = new URL(url);
      withToken.searchParams.set('token', token);
      url = withToken.toString();
    }
    let real: WebSocket;
    try {
      real = new Base(url, this.protocols);
    } catch (error) {
      this.context.onError({ kind: 'connection', message: `could not open a WebSocket to ${this.url}`, cause: error });
      return this.failBeforeDialing('could not open a WebSocket');
    }
    this.real = real;
    this.phase = 'dialing';
    real.binaryType = 'arraybuffer';
    real.onopen = () => {
      if (this.phase !== 'dialing') return;
      if (!byMessage) return this.openForProvider();
      real.send(encodeTokenMessage(token!));
      this.phase = 'authenticating';
    };
    real.onmessage = (event: MessageEvent) => {
      if (this.phase === 'authenticating') this.openForProvider();
      if (this.phase === 'open') this.receive(event);
    };
    real.onerror = (event) => {
      if (this.phase !== 'closed') this.onerror?.(event);
    };
    real.onclose = (event) => {
      if (this.phase === 'closed') return;
      this.context.tokens?.connectionEnded(event.code, this.phase === 'open', transport === 'url');
      this.finish(true);
      this.onclose?.(event);
    };
  }

  /** The server accepted the connection: tell the provider, which sends its opening messages. */
  private openForProvider(): void {
    const { tokens, transport, onError } = this.context;
    this.phase = 'open';
    tokens?.proven();
    if (tokens?.canRefresh && transport === 'message') {
      const real = this.real!;
      this.stopRenewal = renewBeforeExpiry({ tokens, onError, send: (token) => real.readyState === OPEN && real.send(encodeTokenMessage(token)) });
    }
    this.onopen?.({ type: 'open' } as Event);
  }

  private receive(event: MessageEvent): void {
    const frame = new Uint8Array(event.data as ArrayBuffer);
    const { tap } = this.context;
    const saved = decodeSavedAck(frame);
    if (saved !== undefined) tap?.savedAck(this, saved);
    else if (tap) tap.frameReceived(this, frame, () => this.onmessage?.(event));
    else this.onmessage?.(event);
  }

  /** No token or no socket: behave like a connection that failed, so the provider tries again. */
  private failBeforeDialing(reason: string): void {
    if (this.phase === 'closed') return;
    this.finish(true);
    this.onerror?.({ type: 'error' } as Event);
    this.onclose?.(closeEvent(CloseCode.Abnormal.code, reason));
  }

  /** This connection is over: `lost` when it ended on its own, not at the provider's request. */
  private finish(lost: boolean): void {
    this.phase = 'closed';
    this.cancelWait?.();
    this.stopRenewal?.();
    this.context.reconnects.ended(lost);
  }
}

/**
 * The class to pass as y-websocket's `WebSocketPolyfill`, and a way to reach the socket of the
 * current attempt (to drop it when the browser goes offline).
 */
export function connectionSocketClass(context: SocketContext): { Socket: typeof WebSocket; current: () => ConnectionSocket | undefined } {
  let latest: ConnectionSocket | undefined;
  class ProviderSocket extends ConnectionSocket {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols, context);
      // eslint-disable-next-line @typescript-eslint/no-this-alias -- y-websocket makes the sockets: this is how the provider finds the current one
      latest = this;
    }
  }
  return { Socket: ProviderSocket as unknown as typeof WebSocket, current: () => latest };
}
