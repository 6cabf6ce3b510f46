/**
 * Test peers: the stock y-websocket provider (knowing nothing of Tandem) and a raw WebSocket
 * client that speaks frames directly, for protocol-level tests and hostile input.
 */
import { WebSocket } from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { waitFor } from './server.js';

/** A WebSocket class the provider can construct (ws's, or a subclass that adds headers or a first message). */
export type WebSocketClass = new (url: string, protocols?: string | string[]) => WebSocket;

export interface ProviderClient {
  doc: Y.Doc;
  provider: WebsocketProvider;
  text: Y.Text;
  destroy(): void;
}

/** A stock WebsocketProvider over `ws`, with cross-tab BroadcastChannel off so only the server syncs. */
export function connectProvider(
  url: string,
  docName: string,
  options: { params?: Record<string, string>; doc?: Y.Doc; WebSocketClass?: WebSocketClass } = {},
): ProviderClient {
  const doc = options.doc ?? new Y.Doc();
  const provider = new WebsocketProvider(url, docName, doc, {
    WebSocketPolyfill: (options.WebSocketClass ?? WebSocket) as unknown as typeof globalThis.WebSocket,
    disableBc: true,
    params: options.params ?? {},
  });
  return {
    doc,
    provider,
    text: doc.getText('text'),
    destroy() {
      provider.destroy();
      doc.destroy();
    },
  };
}

export async function waitForSynced(client: ProviderClient, timeoutMs = 5000): Promise<void> {
  await waitFor(() => client.provider.synced, { timeoutMs, what: 'provider synced' });
}

/**
 * A WebSocket ping, answered: the server has handled every frame this client sent before it, and
 * every frame the server sent before answering has arrived (one TCP stream, in order). The way to
 * show that something was NOT sent, without waiting an arbitrary time for it.
 */
export function roundTrip(socket: WebSocket): Promise<void> {
  return new Promise((resolve, reject) => {
    socket.once('pong', () => resolve());
    socket.ping(undefined, undefined, (error) => error && reject(error));
  });
}

/** The `ws` socket a provider is connected over (it was made with ws's WebSocket class). */
export function providerSocket(client: ProviderClient): WebSocket {
  const socket = client.provider.ws as unknown as WebSocket | null;
  if (!socket) throw new Error(`provider of ${client.provider.roomname} is not connected`);
  return socket;
}

export interface RawClient {
  socket: WebSocket;
  /** Binary frames received, in order. */
  frames: Uint8Array[];
  /** Resolves with the close code and reason. */
  closed: Promise<{ code: number; reason: string }>;
  send(frame: Uint8Array): void;
}

/** A bare WebSocket to `/<docName>`; resolves once open. */
export async function connectRaw(
  url: string,
  docName: string,
  options: { autoPong?: boolean; headers?: Record<string, string>; localAddress?: string } = {},
): Promise<RawClient> {
  const socket = new WebSocket(`${url}/${docName}`, { autoPong: options.autoPong ?? true, headers: options.headers, localAddress: options.localAddress });
  const frames: Uint8Array[] = [];
  socket.binaryType = 'nodebuffer';
  socket.on('message', (data: Buffer) => frames.push(new Uint8Array(data)));
  const closed = new Promise<{ code: number; reason: string }>((resolve) => socket.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  socket.on('error', () => {});
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    socket.once('error', reject);
  });
  return { socket, frames, closed, send: (frame) => socket.send(frame) };
}

/** The HTTP status a WebSocket upgrade to `path` is answered with (101 when accepted). */
export function upgradeStatus(url: string, path: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`${url}${path}`, { headers });
    socket.on('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      socket.terminate();
    });
    socket.on('open', () => {
      resolve(101);
      socket.close();
    });
    socket.on('error', (error) => reject(error));
  });
}

/**
 * The peers one test opens against one server, closed together after it: the set-up every
 * server test file needs, in one place. `url` is read at each connect (the server is usually
 * started per test).
 */
export class Peers {
  private readonly providers: ProviderClient[] = [];
  private readonly raws: RawClient[] = [];

  constructor(private readonly url: () => string) {}

  /** A stock provider on `docName`, with `token` (if any) as its URL token. */
  provider(docName: string, token?: string, doc?: Y.Doc): ProviderClient {
    const client = connectProvider(this.url(), docName, { params: token === undefined ? {} : { token }, doc });
    this.providers.push(client);
    return client;
  }

  /** A stock provider on `docName` (see {@link provider}), once it has synced. */
  async synced(docName: string, token?: string): Promise<ProviderClient> {
    const client = this.provider(docName, token);
    await waitForSynced(client);
    return client;
  }

  /** A raw client on `docName`, with `token` as its URL token. */
  async raw(docName: string, token: string): Promise<RawClient> {
    const client = await connectRaw(this.url(), `${docName}?token=${token}`);
    this.raws.push(client);
    return client;
  }

  closeAll(): void {
    for (const client of this.providers.splice(0)) client.destroy();
    for (const client of this.raws.splice(0)) client.socket.terminate();
  }
}
