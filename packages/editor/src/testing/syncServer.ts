/**
 * The real Tandem sync server for the editor's tests: @tandem/sync-server's `createSyncServer` on
 * 127.0.0.1, port 0, over an in-memory store whose writes a test can hold back (the server
 * acknowledges a client's changes only after they are written, and relays nothing before).
 */
import { createLogger, createSyncServer, DEFAULTS, MemoryDocStore, type DocAppend, type SyncServer, type SyncServerConfig } from '@tandem/sync-server';
import type { TokenClaims } from '@tandem/protocol';
import { SignJWT } from 'jose';
import * as Y from 'yjs';

/** A MemoryDocStore whose appends wait while a test holds them. */
export class HeldWritesStore extends MemoryDocStore {
  private gate: Promise<void> | undefined;
  private openGate: (() => void) | undefined;

  /** Writes wait from now on, until {@link release}. */
  hold(): void {
    this.gate ??= new Promise<void>((resolve) => (this.openGate = resolve));
  }

  /** Let every waiting write (and later ones) through. */
  release(): void {
    this.openGate?.();
    this.gate = this.openGate = undefined;
  }

  override async append(appends: DocAppend[]): Promise<void> {
    while (this.gate) await this.gate;
    return super.append(appends);
  }
}

/** Claims of a test token; `exp` in seconds since the epoch (default an hour from now). */
export type TestTokenClaims = Partial<Pick<TokenClaims, 'sub' | 'doc' | 'access' | 'exp' | 'name'>>;

export interface TestSyncServer {
  /** `ws://127.0.0.1:<port>` */
  readonly url: string;
  readonly port: number;
  readonly server: SyncServer;
  readonly store: HeldWritesStore;
  /** A Y.Doc with what the server has stored of `docName`. */
  storedDoc(docName: string): Promise<Y.Doc>;
  /** Open WebSocket connections, as the server counts them (`tandem_connections`). */
  connections(): Promise<number>;
  /** A token signed with the server's secret (auth mode only). */
  token(claims?: TestTokenClaims): Promise<string>;
  /** Stop the server (the store keeps what it holds). */
  stop(): Promise<void>;
  /** Start it again on the same port over the same store (with another secret, if given). */
  restart(options?: { authSecret?: string }): Promise<void>;
}

export interface TestSyncServerOptions {
  /** Run in auth mode with this secret. */
  authSecret?: string;
  /** Anything else to change from the defaults. */
  config?: Partial<SyncServerConfig>;
  /** Log level (default silent; `TANDEM_TEST_LOG=debug` to see the server's lines). */
  logLevel?: SyncServerConfig['logLevel'];
}

/** A secret long enough for the server. */
export const TEST_SECRET = 'editor-tests-secret-that-is-long-enough-0123456789';


/** Start the real sync server for a test. */
export async function startSyncServer(options: TestSyncServerOptions = {}): Promise<TestSyncServer> {
  const store = new HeldWritesStore();
  const logger = createLogger(options.logLevel ?? (process.env.TANDEM_TEST_LOG as SyncServerConfig['logLevel'] | undefined) ?? 'silent');
  let port = 0;
  let secret = options.authSecret;
  const start = async () => {
    const config: SyncServerConfig = { ...DEFAULTS, host: '127.0.0.1', dataDir: '', authSecret: secret, ...options.config, port };
    const server = await createSyncServer(config, { logger, store });
    port = (await server.listen()).port;
    return server;
  };
  let server = await start();
  return {
    get url() {
      return `ws://127.0.0.1:${port}`;
    },
    get port() {
      return port;
    },
    get server() {
      return server;
    },
    store,
    async storedDoc(docName) {
      const doc = new Y.Doc();
      const { updates } = await store.load(docName);
      Y.transact(doc, () => updates.forEach((update) => Y.applyUpdate(doc, update)));
      return doc;
    },
    async connections() {
      const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      return Number(/^tandem_connections (\d+)$/m.exec(text)?.[1] ?? NaN);
    },
    async token({ sub = 'u-1', doc = '*', access = 'write', exp = Math.floor(Date.now() / 1000) + 3600, name } = {}) {
      if (!secret) throw new Error('token(): the server runs without --auth-secret');
      const iat = Math.floor(Date.now() / 1000);
      const claims: TokenClaims = { sub, doc, access, iat, exp, ...(name === undefined ? {} : { name }) };
      return new SignJWT({ ...claims }).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(new TextEncoder().encode(secret));
    },
    stop: () => server.close(),
    async restart(again = {}) {
      secret = again.authSecret ?? secret;
      server = await start();
    },
  };
}
