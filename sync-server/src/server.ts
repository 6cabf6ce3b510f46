/**
 * createSyncServer(): the HTTP + WebSocket server, wired to storage, rooms, limits and metrics.
 * No globals and no process.env: everything comes from the config and the dependencies given.
 */
import { CloseCode, SAVED_ACK_PARAM, docNameFromPath } from '@tandem/protocol';
import { type IncomingMessage, type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { WebSocketServer, type WebSocket } from 'ws';
import { AuthError, type Grant, authorize, tokenFromRequest } from './auth.js';
import type { SyncServerConfig } from './config.js';
import { Connection, type ConnectionIdentity } from './Connection.js';
import { refuseUpgrade } from './http/refuse.js';
import { handleHttpRequest } from './http/routes.js';
import { ConnectionsPerAddress, MessageRateLimiter } from './limits.js';
import { type ServerMetrics, createMetrics } from './metrics.js';
import type { Room } from './Room.js';
import { mergeLeftoverLogs } from './recovery.js';
import { RoomRegistry } from './RoomRegistry.js';
import type { DocStore } from './storage/DocStore.js';
import { LevelDocStore } from './storage/LevelDocStore.js';
import { warmUpYjs } from './storedState.js';

/** The longest delay setTimeout honours. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export interface SyncServerDeps {
  logger: Logger;
  /** Storage; when omitted the server opens a LevelDocStore in `config.dataDir` and closes it on close(). */
  store?: DocStore;
}

export interface SyncServer {
  /** Start listening; resolves with the bound URL (ws://host:port). */
  listen(): Promise<{ url: string; port: number }>;
  /** Stop accepting, close every connection, write what is pending, unload every document. */
  close(): Promise<void>;
  readonly httpServer: Server;
  readonly metrics: ServerMetrics;
  readonly rooms: RoomRegistry;
  readonly store: DocStore;
}

const ignoreSocketError = (): void => {};

export async function createSyncServer(config: SyncServerConfig, deps: SyncServerDeps): Promise<SyncServer> {
  const { logger } = deps;
  const ownsStore = !deps.store;
  const store = deps.store ?? (await LevelDocStore.open(config.dataDir, { fsync: config.fsync }));
  warmUpYjs();
  const metrics = createMetrics();
  const { stats } = metrics;
  await mergeLeftoverLogs(store, logger, stats);
  const rooms = new RoomRegistry({ store, logger, metrics, config });
  const authSecret = config.authSecret ? new TextEncoder().encode(config.authSecret) : undefined;
  const perAddress = new ConnectionsPerAddress(config.maxConnectionsPerIp);
  const connections = new Set<Connection>();
  const startedAt = Date.now();

  const httpServer = createServer({
    headersTimeout: config.handshakeTimeoutMs,
    requestTimeout: config.handshakeTimeoutMs,
    connectionsCheckingInterval: Math.min(1000, config.handshakeTimeoutMs),
  });
  const wss = new WebSocketServer({ noServer: true, maxPayload: config.maxMessageBytes, perMessageDeflate: false });

  httpServer.on('request', (req, res) => {
    handleHttpRequest(req, res, { store, metrics, authSecret, startedAt }).catch((error: Error) => {
      logger.error({ err: error, path: req.url?.split('?')[0] }, 'HTTP request failed');
      if (!res.headersSent) res.writeHead(500).end();
    });
  });

  httpServer.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    // A reset before the handshake completes is not our failure. The listener is module-level so
    // that it, living as long as the socket, does not keep this closure's `req` alive (~1 KiB each).
    socket.on('error', ignoreSocketError);
    const path = req.url?.split('?')[0];
    handleUpgrade(req, socket, head).catch((error: Error) => {
      logger.error({ err: error, path }, 'upgrade failed');
      refuseUpgrade(socket, 500, 'internal error');
    });
  });

  function remoteAddressOf(req: IncomingMessage): string {
    const direct = req.socket.remoteAddress ?? 'unknown';
    if (!config.trustProxy) return direct;
    // Our proxy appends the address it saw last; anything before that is the client's claim.
    const forwarded = String(req.headers['x-forwarded-for'] ?? '').split(',').map((s) => s.trim()).filter(Boolean);
    return forwarded[forwarded.length - 1] ?? direct;
  }

  async function handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const path = req.url ?? '/';
    const docName = docNameFromPath(path);
    const logPath = path.split('?')[0]!.slice(0, 256); // never log the query: it may hold a token
    if (!docName) {
      stats.reject('bad-document-name');
      logger.info({ path: logPath }, 'refused upgrade: invalid document name');
      return refuseUpgrade(socket, 400, 'invalid document name: use 1-200 characters of A-Z a-z 0-9 . _ -');
    }
    if (config.allowedOrigins.length > 0 && !config.allowedOrigins.includes(String(req.headers.origin))) {
      stats.reject('origin');
      logger.info({ doc: docName, origin: req.headers.origin }, 'refused upgrade: origin not allowed');
      return refuseUpgrade(socket, 403, 'origin not allowed');
    }
    const url = new URL(path, 'http://localhost');
    let grant: Grant | undefined;
    if (authSecret) {
      try {
        grant = await authorize(tokenFromRequest(url, req.headers), authSecret, docName);
      } catch (error) {
        if (!(error instanceof AuthError)) throw error;
        stats.reject(error.status === 401 ? 'unauthenticated' : 'forbidden');
        logger.info({ doc: docName, status: error.status }, `refused upgrade: ${error.message}`);
        return refuseUpgrade(socket, error.status, error.message);
      }
    }
    const remoteAddress = remoteAddressOf(req);
    if (!perAddress.tryAcquire(remoteAddress)) {
      stats.reject('connections-per-ip');
      logger.warn({ doc: docName, remoteAddress }, 'refused upgrade: too many connections from this address');
      return refuseUpgrade(socket, 429, 'too many connections from this address');
    }
    if (config.maxLoadedDocs > 0 && !rooms.has(docName) && rooms.size >= config.maxLoadedDocs) {
      perAddress.release(remoteAddress);
      stats.reject('too-many-documents');
      logger.warn({ doc: docName }, 'refused upgrade: too many documents loaded');
      return refuseUpgrade(socket, 503, 'too many documents open; try again later');
    }
    if (socket.destroyed) return perAddress.release(remoteAddress);
    const identity: ConnectionIdentity = {
      docName,
      remoteAddress,
      userId: grant?.userId,
      readOnly: grant?.access === 'read',
      wantsSavedAck: url.searchParams.get(SAVED_ACK_PARAM) === '1',
      expiresAt: grant?.expiresAt,
    };
    // ws refuses a broken handshake (say, no Sec-WebSocket-Key) with 400 and never calls back:
    // give the slot back when the socket closes unless a connection (which releases it) took over.
    let accepted = false;
    socket.once('close', () => {
      if (!accepted) perAddress.release(remoteAddress);
    });
    wss.handleUpgrade(req, socket, head, (ws) => {
      accepted = true;
      accept(ws, identity);
    });
  }

  function accept(ws: WebSocket, identity: ConnectionIdentity): void {
    const rateLimiter = config.maxMessagesPerSecond > 0 ? new MessageRateLimiter(config.maxMessagesPerSecond) : undefined;
    const conn = new Connection(ws, identity, stats, rateLimiter, logger);
    connections.add(conn);
    stats.connections = connections.size;
    if (logger.isLevelEnabled('debug')) conn.log.debug({ remoteAddress: identity.remoteAddress, readOnly: identity.readOnly }, 'connection opened');

    let room: Room | undefined;
    const early: Uint8Array[] = [];
    // setTimeout fires at once for delays over 2^31-1 ms (~24.8 days), so a long-lived token
    // would be closed immediately: wait in steps no longer than that.
    let expiry: NodeJS.Timeout | undefined;
    const armExpiry = (expiresAt: number): void => {
      const remaining = expiresAt - Date.now();
      if (remaining <= 0) return conn.close(CloseCode.TokenExpired);
      expiry = setTimeout(() => armExpiry(expiresAt), Math.min(remaining, MAX_TIMER_MS));
    };
    if (identity.expiresAt !== undefined) armExpiry(identity.expiresAt);

    ws.on('message', (data: Buffer, isBinary: boolean) => {
      if (conn.closed || !conn.admit(data.byteLength)) return;
      if (!isBinary) return conn.close(CloseCode.MalformedMessage, 'text frame');
      if (room) room.receive(conn, data);
      else early.push(data);
    });
    ws.on('pong', () => (conn.alive = true));
    ws.on('error', (error) => {
      // ws reports protocol violations (oversized or broken frames) here and then closes with the right code.
      stats.closed(error.message.includes('Max payload') ? 'MessageTooBig' : 'ProtocolError');
      conn.log.warn({ err: error.message }, 'connection error');
    });
    ws.on('close', () => {
      conn.closed = true;
      clearTimeout(expiry);
      connections.delete(conn);
      stats.connections = connections.size;
      perAddress.release(identity.remoteAddress);
      room?.leave(conn);
      if (logger.isLevelEnabled('debug')) conn.log.debug('connection closed');
    });

    const attach = (): Promise<void> =>
      rooms.acquire(identity.docName).then((loaded) => {
        if (loaded.state !== 'ready') return attach();
        if (conn.closed) return loaded.unloadIfIdle();
        room = loaded;
        room.join(conn);
        for (const frame of early.splice(0)) room.receive(conn, frame);
      });
    attach().catch(() => conn.close(CloseCode.StorageError, 'document could not be loaded'));
  }

  const heartbeat = setInterval(() => {
    for (const conn of connections) {
      if (!conn.alive) {
        conn.terminate();
        continue;
      }
      conn.alive = false;
      conn.socket.ping();
    }
  }, config.pingIntervalMs);
  heartbeat.unref();

  let closing: Promise<void> | undefined;
  return {
    httpServer,
    metrics,
    rooms,
    store,
    listen() {
      return new Promise((resolve, reject) => {
        httpServer.once('error', reject);
        httpServer.listen(config.port, config.host, () => {
          httpServer.off('error', reject);
          const { port } = httpServer.address() as AddressInfo;
          const host = config.host.includes(':') ? `[${config.host}]` : config.host;
          resolve({ url: `ws://${host}:${port}`, port });
        });
      });
    },
    close() {
      closing ??= (async () => {
        clearInterval(heartbeat);
        httpServer.close();
        await Promise.all(rooms.all().map((room) => room.shutdown()));
        for (const conn of connections) conn.terminate();
        httpServer.closeAllConnections();
        if (ownsStore) await store.close();
      })();
      return closing;
    },
  };
}
