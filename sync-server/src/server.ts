/**
 * createSyncServer(): the HTTP + WebSocket server, wired to storage, rooms, limits and metrics.
 * No globals and no process.env: everything comes from the config and the dependencies given.
 */
import { AUTH_BY_MESSAGE, AUTH_MESSAGE_PARAM, CloseCode, type LinkClaim, SAVED_ACK_PARAM, docNameFromPath } from '@tandem/protocol';
import { type IncomingMessage, type Server, createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Logger } from 'pino';
import { AuthError, type Grant, type TokenPolicy, authorize, cookieTokenAllowed, tokenCookie, tokenFromRequest } from './auth.js';
import { type TokenMessageGate, awaitTokenMessage } from './authByMessage.js';
import type { SyncServerConfig } from './config.js';
import { Connection, type ConnectionIdentity, type ConnectionServices } from './Connection.js';
import { DocumentCreations } from './documentCreations.js';
import { DocumentGate, type GateRefusal } from './documents/DocumentGate.js';
import { LastEditors } from './documents/LastEditors.js';
import { LinkGenerations } from './documents/LinkGenerations.js';
import { Trash } from './documents/Trash.js';
import { TrashIndex } from './documents/TrashIndex.js';
import { FileStore } from './files/FileStore.js';
import { refuseUpgrade } from './http/refuse.js';
import { handleHttpRequest } from './http/routes.js';
import { ConnectionsPerAddress, MessageRateLimiter, limitTotalBacklog } from './limits.js';
import { type ServerMetrics, createMetrics, labelInstance } from './metrics.js';
import { openCluster } from './cluster/openCluster.js';
import { PresenceClaims } from './PresenceClaims.js';
import { mergeLeftoverLogs } from './recovery.js';
import { RoomRegistry } from './RoomRegistry.js';
import type { DocStore } from './storage/DocStore.js';
import { LevelDocStore } from './storage/LevelDocStore.js';
import { warmUpYjs } from './storedState.js';
import type { Versions } from './versions/RoomHistory.js';
import { VersionStore } from './versions/VersionStore.js';
import { completeHandshake, handshakeRefusal } from './websocket/handshake.js';
import { WritePipeline } from './WritePipeline.js';

export interface SyncServerDeps {
  logger: Logger;
  /**
   * Storage; when omitted the server opens one and closes it on close(): with `config.redisUrl`
   * the Redis store and presence bus of cluster mode, else a LevelDocStore in `config.dataDir`.
   */
  store?: DocStore;
  /** The clock (milliseconds since the epoch) the trash's retention is measured by; Date.now when omitted. */
  now?: () => number;
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
  /** Deleting documents: the trash, restoring, deleting for good, the retention sweep. */
  readonly trash: Trash;
  /** This instance's ID in cluster mode. */
  readonly instanceId: string | undefined;
}

const ignoreSocketError = (): void => {};
/** Cluster mode: how often each instance closes the connections another instance's trash or link reset shut out. */
const SHARED_STATE_RECHECK_MS = 5000;
/** How often what waits for all connections together is held to --max-total-send-backlog-bytes. */
const BACKLOG_CHECK_MS = 1000;

export async function createSyncServer(config: SyncServerConfig, deps: SyncServerDeps): Promise<SyncServer> {
  const { logger } = deps;
  const metrics = createMetrics();
  const { stats } = metrics;
  const ownsStore = !deps.store;
  const cluster = !deps.store && config.redisUrl ? await openCluster(config, logger, metrics) : undefined;
  if (cluster) labelInstance(metrics, cluster.instanceId);
  const store: DocStore = deps.store ?? cluster?.store ?? (await LevelDocStore.open(config.dataDir, { fsync: config.fsync }));
  warmUpYjs();
  await mergeLeftoverLogs(store, logger, stats);
  const pipeline = new WritePipeline(store, metrics);
  const presenceBus = cluster?.presenceBus;
  const versionStore = new VersionStore(store, { autoRetentionDays: config.versionRetentionDays }, logger);
  const versions: Versions = { store: versionStore, pauseMs: config.versionPauseMs, logger, stats };
  const lastEditors = new LastEditors(store, logger);
  const rooms = new RoomRegistry({
    store, pipeline, logger, metrics, config, presenceClaims: new PresenceClaims(), presenceBus, versions,
    onEdited: (room, conn) => lastEditors.edited(room, conn),
  });
  const tokenPolicy: TokenPolicy | undefined = config.authSecret
    ? { secret: new TextEncoder().encode(config.authSecret), maxLifetimeSeconds: config.maxTokenLifetimeSeconds }
    : undefined;
  const creations = new DocumentCreations(config.maxDocsCreatedPerToken);
  const files = new FileStore(store, config.maxFileBytes);
  const perAddress = new ConnectionsPerAddress(config.maxConnectionsPerIp);
  const connections = new Set<Connection>();
  const startedAt = Date.now();
  const trashIndex = new TrashIndex(store);
  const links = new LinkGenerations(store);
  const gate = new DocumentGate(trashIndex, links, connections, logger, stats);
  const trash = new Trash({
    store, index: trashIndex, gate, rooms, logger,
    retentionMs: config.trashRetentionDays * 24 * 3600 * 1000,
    // Cluster mode: two rechecks, so every instance has closed and unloaded a trashed document before it is deleted for good.
    settleMs: store.follow ? 2 * SHARED_STATE_RECHECK_MS : 0,
    now: deps.now ?? Date.now,
  });
  const stopSweeping = trash.sweepEvery(config.trashSweepIntervalMs);
  // A store other instances share (cluster mode): they may trash a document or rotate a link, and
  // the connections here that shut out must close too.
  const recheck = store.follow ? setInterval(() => void gate.recheck().catch((error: Error) => logger.warn({ err: error }, 'could not recheck trashed documents and rotated links')), SHARED_STATE_RECHECK_MS) : undefined;
  recheck?.unref();

  const httpServer = createServer({
    headersTimeout: config.handshakeTimeoutMs,
    // The headers within the handshake timeout; the body (an upload) may take longer.
    requestTimeout: Math.max(config.handshakeTimeoutMs, config.uploadTimeoutMs),
    connectionsCheckingInterval: Math.min(1000, config.handshakeTimeoutMs),
  });
  const services: ConnectionServices = {
    stats,
    logger,
    maxMessageBytes: config.maxMessageBytes,
    maxSendBacklogBytes: config.maxSendBacklogBytes,
    forget(conn) {
      connections.delete(conn);
      stats.connections = connections.size;
      perAddress.release(conn.identity.remoteAddress);
    },
  };

  const routeContext = {
    store, metrics, logger, tokenPolicy, allowedOrigins: config.allowedOrigins, startedAt,
    rooms, files, versions: versionStore, stats, maxLoadedDocs: config.maxLoadedDocs, readinessWarnings: cluster?.warnings ?? [],
    trash, trashIndex, links, lastEditors, gate, linkRevoked: (docName: string, link: LinkClaim) => gate.revoked(docName, link),
  };
  httpServer.on('request', (req, res) => {
    handleHttpRequest(req, res, routeContext).catch((error: Error) => {
      logger.error({ err: error, path: req.url?.split('?')[0] }, 'HTTP request failed');
      if (!res.headersSent) res.writeHead(500).end();
    });
  });

  // An HTTP server's upgrade sockets are net.Sockets (typed as Duplex for the sake of custom servers).
  httpServer.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    // A reset before the handshake completes is not our failure. The listener is module-level so
    // that it does not keep this closure's `req` alive while the upgrade waits (~1 KiB each).
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

  async function handleUpgrade(req: IncomingMessage, socket: Socket, head: Buffer): Promise<void> {
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
    // Opted in to sending the token as the first message: no token is looked for here (see authByMessage.ts).
    const tokenByMessage = url.searchParams.get(AUTH_MESSAGE_PARAM) === AUTH_BY_MESSAGE;
    let grant: Grant | undefined;
    if (tokenPolicy && !tokenByMessage) {
      const origin = req.headers.origin;
      const found = tokenFromRequest(url, req.headers, cookieTokenAllowed(config.allowedOrigins, origin));
      if (!found && tokenCookie(req.headers.cookie) !== undefined) {
        logger.info({ doc: docName }, 'ignored the tandem_token cookie: cookie tokens are accepted only with --allowed-origins');
      }
      try {
        grant = await authorize(found?.token, tokenPolicy, docName);
      } catch (error) {
        if (!(error instanceof AuthError)) throw error;
        stats.reject(error.status === 401 ? 'unauthenticated' : 'forbidden');
        logger.info({ doc: docName, status: error.status, tokenFrom: found?.source }, `refused upgrade: ${error.detail}`);
        return refuseUpgrade(socket, error.status, error.publicMessage);
      }
    }
    // A token still to come as the first message is checked with the document when it comes.
    const answer = tokenByMessage && tokenPolicy ? undefined : await gate.check(docName, grant?.link).catch((error: Error) => unreadableGate(docName, error));
    const checked = answer ?? undefined; // null: unreadable
    if (checked?.refusal) return refuseShutOut(socket, docName, checked.refusal);
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
    const refusal = handshakeRefusal(req);
    if (refusal) {
      perAddress.release(remoteAddress);
      stats.reject('bad-handshake');
      logger.info({ doc: docName }, `refused upgrade: ${refusal.message}`);
      return refuseUpgrade(socket, refusal.status, refusal.message, refusal.headers);
    }
    let overCreationCap: boolean;
    try {
      overCreationCap = await createsPastCap(grant, docName, () => socket.destroyed);
    } catch {
      perAddress.release(remoteAddress); // the room logged why it could not load
      return refuseUpgrade(socket, 503, 'document could not be loaded');
    }
    if (overCreationCap) {
      perAddress.release(remoteAddress);
      stats.reject('document-creation-limit');
      logger.warn({ doc: docName, userId: grant!.userId }, 'refused upgrade: this token has created as many documents as it may this hour');
      return refuseUpgrade(socket, 429, 'this token has created as many documents as it may; try again later');
    }
    if (socket.destroyed) return perAddress.release(remoteAddress);
    if (checked && !gate.stillCurrent(docName, checked.epoch)) {
      perAddress.release(remoteAddress); // trashed, or its link rotated, while this upgrade waited
      return refuseShutOut(socket, docName, (await gate.check(docName, grant?.link)).refusal);
    }
    const identity: ConnectionIdentity = {
      docName,
      remoteAddress,
      userId: grant?.userId,
      userName: grant?.name,
      readOnly: grant?.access === 'read' || (tokenByMessage && tokenPolicy !== undefined), // until its token says otherwise
      wantsSavedAck: url.searchParams.get(SAVED_ACK_PARAM) === '1',
      expiresAt: grant?.expiresAt,
      link: grant?.link,
    };
    completeHandshake(req, socket);
    socket.removeListener('error', ignoreSocketError); // the connection's socket listens from here on
    const rateLimiter = config.maxMessagesPerSecond > 0 ? new MessageRateLimiter(config.maxMessagesPerSecond) : undefined;
    const conn = new Connection(socket, head, identity, services, rateLimiter);
    connections.add(conn);
    stats.connections = connections.size;
    if (answer === null) checkAgainAtAttach.add(conn);
    if (logger.isLevelEnabled('debug')) conn.log.debug({ remoteAddress, readOnly: identity.readOnly, tokenByMessage }, 'connection opened');
    if (tokenByMessage) awaitTokenMessage(conn, tokenGate);
    else attach(conn);
  }

  /** Connections let through while the store could not say whether they may open their document: asked again once it is loaded. */
  const checkAgainAtAttach = new WeakSet<Connection>();

  /**
   * The store could not say whether the document is in the trash (or its links' generations): a
   * storage error like any other, logged and counted. The connection goes on to load the document
   * (which fails the same way, closing it with 4500) and is checked again before it enters.
   */
  function unreadableGate(docName: string, error: Error): null {
    stats.storageErrors++;
    logger.error({ err: error, doc: docName }, 'could not read whether the document is in the trash or its links were reset');
    return null;
  }

  /** Refuse an upgrade the document gate shut out (a trashed document, a rotated link). */
  function refuseShutOut(socket: Socket, docName: string, refusal: GateRefusal | undefined): void {
    if (!refusal) return refuseUpgrade(socket, 503, 'the document changed while connecting; try again');
    logger.info({ doc: docName, reason: refusal.reason }, `refused upgrade: ${refusal.close.reason}`);
    refuseUpgrade(socket, refusal.status, refusal.close.reason);
  }

  /**
   * Whether a write grant would create `docName` past its token's cap (--max-docs-created-per-token);
   * when not, the creation is counted. Loads the document to know whether it holds anything: the
   * connection would wait for that load anyway.
   */
  async function createsPastCap(grant: Grant | undefined, docName: string, gone: () => boolean): Promise<boolean> {
    if (grant?.access !== 'write' || config.maxDocsCreatedPerToken === 0) return false;
    const room = await rooms.acquire(docName);
    const refused = !gone() && room.isEmpty && !creations.tryCreate(grant.tokenKey, docName);
    if (refused || gone()) room.unloadIfIdle();
    return refused;
  }

  /** For connections that send their token as their first message (authByMessage.ts). */
  const tokenGate: TokenMessageGate = {
    timeoutMs: config.authMessageTimeoutMs,
    authorize: tokenPolicy && ((token, docName) => authorize(token, tokenPolicy, docName)),
    reject: (reason) => stats.reject(reason),
    admit(conn, grant) {
      gate.check(conn.docName, grant?.link).then(
        ({ refusal }) => (refusal ? conn.close(refusal.close) : admitUnderCap(conn, grant)),
        (error: unknown) => closeUnattached(conn, 'document state could not be read', error),
      );
    },
  };

  /** Attach a connection that sent its token as its first message, unless it would create a document past its token's cap. */
  function admitUnderCap(conn: Connection, grant: Grant | undefined): void {
    createsPastCap(grant, conn.docName, () => conn.closed).then(
      (refused) => {
        if (!refused) return attach(conn);
        stats.reject('document-creation-limit');
        conn.close(CloseCode.DocumentCreationLimit, 'this token has created as many documents as it may this hour');
      },
      (error: unknown) => closeUnattached(conn, 'document could not be loaded', error),
    );
  }

  /** Put a connection in its document's room once the document is loaded. */
  function attach(conn: Connection): void {
    rooms.acquire(conn.docName).then(
      (room) => {
        if (room.state !== 'ready') return attach(conn);
        if (conn.closed) return room.unloadIfIdle();
        if (!checkAgainAtAttach.delete(conn)) return conn.enter(room);
        gate.check(conn.docName, conn.identity.link).then(
          ({ refusal }) => (refusal ? conn.close(refusal.close) : conn.closed ? room.unloadIfIdle() : attach(conn)),
          (error: unknown) => closeUnattached(conn, 'document state could not be read', error),
        );
      },
      (error: unknown) => closeUnattached(conn, 'document could not be loaded', error),
    );
  }

  /**
   * A connection that cannot enter its document because storage failed on the way: log the cause
   * with the document's name, then close it with 4500. (A room that fails to load also logs its
   * own line; this one says which connection it cost.)
   */
  function closeUnattached(conn: Connection, what: string, error: unknown): void {
    logger.error({ err: error, doc: conn.docName }, `closing a connection: ${what}`);
    conn.close(CloseCode.StorageError, what);
  }

  const heartbeat = setInterval(() => {
    for (const conn of connections) {
      if (!conn.alive) {
        conn.terminate();
        continue;
      }
      conn.ping();
    }
  }, config.pingIntervalMs);
  heartbeat.unref();
  const backlogCheck = setInterval(() => limitTotalBacklog(connections, config.maxTotalSendBacklogBytes), BACKLOG_CHECK_MS);
  backlogCheck.unref();

  let closing: Promise<void> | undefined;
  return {
    httpServer,
    metrics,
    rooms,
    store,
    trash,
    instanceId: cluster?.instanceId,
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
        stopSweeping();
        clearInterval(recheck);
        clearInterval(backlogCheck);
        httpServer.close();
        await Promise.all(rooms.all().map((room) => room.shutdown()));
        for (const conn of connections) conn.terminate();
        httpServer.closeAllConnections();
        await presenceBus?.close();
        if (ownsStore) await store.close();
      })();
      return closing;
    },
  };
}
