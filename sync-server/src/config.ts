import { DEFAULT_MAX_FILE_BYTES, secretProblem } from '@tandem/protocol';

/**
 * The sync server's configuration: command-line flags and environment variables, parsed and
 * validated into one typed object. Nothing else in the server reads `process.env` or argv.
 */

export interface SyncServerConfig {
  host: string;
  port: number;
  dataDir: string;
  /** Make every storage batch synchronous (survives power loss, not only a process crash). */
  fsync: boolean;
  /** HS256 secret for JWTs; undefined means open mode (no auth). */
  authSecret: string | undefined;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  pingIntervalMs: number;
  compactAfterUpdates: number;
  compactAfterBytes: number;
  maxMessageBytes: number;
  /** 0 means unlimited. */
  maxMessagesPerSecond: number;
  /** 0 means unlimited. */
  maxConnectionsPerIp: number;
  /** 0 means unlimited. */
  maxLoadedDocs: number;
  maxDocBytes: number;
  maxAwarenessBytes: number;
  /** Bytes that may wait to be sent to one connection (beyond what it is catching up on). */
  maxSendBacklogBytes: number;
  /** Bytes waiting to be sent to all connections together before the ones with the most are dropped. */
  maxTotalSendBacklogBytes: number;
  handshakeTimeoutMs: number;
  /** Empty means any origin (and then no cookie token is accepted). */
  allowedOrigins: string[];
  trustProxy: boolean;
  /** Longest a token may still have to live when presented, in seconds. */
  maxTokenLifetimeSeconds: number;
  /** Documents one token may create per hour; 0 means unlimited. */
  maxDocsCreatedPerToken: number;
  /** How long a connection that opted in to sending its token as its first message has to send it. */
  authMessageTimeoutMs: number;
  /** Days a document stays in the trash before it is deleted for good. */
  trashRetentionDays: number;
  /** How often the trash is swept for documents whose retention period has ended. */
  trashSweepIntervalMs: number;
  /** Cluster mode: Redis holds the documents and carries updates between instances; undefined: LevelDB. */
  redisUrl: string | undefined;
  /** Start even if Redis may lose what it accepted (no AOF, or an evicting memory policy): development only. */
  redisAllowVolatile: boolean;
  /** Prefix of every Redis key: deployments sharing one Redis keep apart by it. */
  redisKeyPrefix: string;
  /** Milliseconds without an edit after which a document's automatic checkpoint is taken. */
  versionPauseMs: number;
  /** Days automatic checkpoints are kept at most (thinned with age before that); 0 keeps them all. */
  versionRetentionDays: number;
  /** Largest file (image) a document may hold, in bytes. */
  maxFileBytes: number;
  /** How long a client has to send a whole HTTP request, body included (an upload on a slow link). */
  uploadTimeoutMs: number;
}

type Kind = 'string' | 'int' | 'bool' | 'list' | 'level';

interface OptionSpec {
  key: keyof SyncServerConfig;
  flag: string;
  env: string;
  kind: Kind;
  help: string;
  /** Smallest allowed value for ints. */
  min?: number;
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** Every option, in the order `--help` lists them. */
export const OPTIONS: readonly OptionSpec[] = [
  { key: 'host', flag: '--host', env: 'TANDEM_HOST', kind: 'string', help: 'address to bind (default 127.0.0.1 without --auth-secret, 0.0.0.0 with it)' },
  { key: 'port', flag: '--port', env: 'TANDEM_PORT', kind: 'int', min: 0, help: 'TCP port; 0 picks a free one (default 1234)' },
  { key: 'dataDir', flag: '--data-dir', env: 'TANDEM_DATA_DIR', kind: 'string', help: 'LevelDB folder (default ./data)' },
  { key: 'fsync', flag: '--fsync', env: 'TANDEM_FSYNC', kind: 'bool', help: 'sync every storage batch to disk: power-loss safe, slower (default off)' },
  { key: 'authSecret', flag: '--auth-secret', env: 'TANDEM_AUTH_SECRET', kind: 'string', help: 'HS256 secret; turns on JWT auth (default: open mode, local use only)' },
  { key: 'logLevel', flag: '--log-level', env: 'TANDEM_LOG_LEVEL', kind: 'level', help: `one of ${LOG_LEVELS.join(', ')} (default info)` },
  { key: 'pingIntervalMs', flag: '--ping-interval', env: 'TANDEM_PING_INTERVAL', kind: 'int', min: 10, help: 'milliseconds between pings; a connection that misses a pong is terminated (default 30000)' },
  { key: 'compactAfterUpdates', flag: '--compact-after-updates', env: 'TANDEM_COMPACT_AFTER_UPDATES', kind: 'int', min: 1, help: 'compact a document once its log holds this many entries (one per write batch; default 256)' },
  { key: 'compactAfterBytes', flag: '--compact-after-bytes', env: 'TANDEM_COMPACT_AFTER_BYTES', kind: 'int', min: 1, help: 'compact a document once its log holds this many bytes (default 1048576)' },
  { key: 'maxMessageBytes', flag: '--max-message-bytes', env: 'TANDEM_MAX_MESSAGE_BYTES', kind: 'int', min: 1024, help: 'largest WebSocket message; larger closes with 1009 (default 16777216)' },
  { key: 'maxMessagesPerSecond', flag: '--max-messages-per-second', env: 'TANDEM_MAX_MESSAGES_PER_SECOND', kind: 'int', min: 0, help: 'messages per second per connection, 0 = unlimited (default 300)' },
  { key: 'maxConnectionsPerIp', flag: '--max-connections-per-ip', env: 'TANDEM_MAX_CONNECTIONS_PER_IP', kind: 'int', min: 0, help: 'open connections per client address, 0 = unlimited; more get HTTP 429 (default 512: an office behind one NAT)' },
  { key: 'maxLoadedDocs', flag: '--max-loaded-docs', env: 'TANDEM_MAX_LOADED_DOCS', kind: 'int', min: 0, help: 'documents held in memory at once, 0 = unlimited; more get HTTP 503 (default 10000)' },
  { key: 'maxDocBytes', flag: '--max-doc-bytes', env: 'TANDEM_MAX_DOC_BYTES', kind: 'int', min: 1024, help: 'largest stored document; updates beyond it close the connection (default 67108864)' },
  { key: 'maxAwarenessBytes', flag: '--max-awareness-bytes', env: 'TANDEM_MAX_AWARENESS_BYTES', kind: 'int', min: 64, help: 'largest presence state of one client (default 16384)' },
  { key: 'maxSendBacklogBytes', flag: '--max-send-backlog-bytes', env: 'TANDEM_MAX_SEND_BACKLOG_BYTES', kind: 'int', min: 65536, help: 'bytes waiting to be sent to one connection, beyond the document it is catching up on, before it is dropped as too slow to read (never less than --max-message-bytes; default 33554432)' },
  { key: 'maxTotalSendBacklogBytes', flag: '--max-total-send-backlog-bytes', env: 'TANDEM_MAX_TOTAL_SEND_BACKLOG_BYTES', kind: 'int', min: 65536, help: 'the same, for all connections together, checked every second: past it the connections with the most waiting are dropped first (default 268435456)' },
  { key: 'handshakeTimeoutMs', flag: '--handshake-timeout', env: 'TANDEM_HANDSHAKE_TIMEOUT', kind: 'int', min: 100, help: 'milliseconds a client has to send its HTTP request headers (default 10000)' },
  { key: 'allowedOrigins', flag: '--allowed-origins', env: 'TANDEM_ALLOWED_ORIGINS', kind: 'list', help: 'comma-separated Origin values allowed to connect; also required for tandem_token cookies to be accepted (default: any origin, no cookie tokens)' },
  { key: 'trustProxy', flag: '--trust-proxy', env: 'TANDEM_TRUST_PROXY', kind: 'bool', help: 'take the client address from X-Forwarded-For (only behind your own proxy; default off)' },
  { key: 'maxTokenLifetimeSeconds', flag: '--max-token-lifetime', env: 'TANDEM_MAX_TOKEN_LIFETIME', kind: 'int', min: 1, help: 'seconds a token may still have to live when presented; a later exp gets 401 (default 86400)' },
  { key: 'maxDocsCreatedPerToken', flag: '--max-docs-created-per-token', env: 'TANDEM_MAX_DOCS_CREATED_PER_TOKEN', kind: 'int', min: 0, help: 'documents one write token may create per hour, 0 = unlimited; more get HTTP 429 (default 100)' },
  { key: 'authMessageTimeoutMs', flag: '--auth-message-timeout', env: 'TANDEM_AUTH_MESSAGE_TIMEOUT', kind: 'int', min: 100, help: 'milliseconds a client that opted in to sending its token as its first message has to send it (default 10000)' },
  { key: 'trashRetentionDays', flag: '--trash-retention-days', env: 'TANDEM_TRASH_RETENTION_DAYS', kind: 'int', min: 1, help: 'days a deleted document stays in the trash, restorable, before it is deleted for good (default 30)' },
  { key: 'trashSweepIntervalMs', flag: '--trash-sweep-interval', env: 'TANDEM_TRASH_SWEEP_INTERVAL', kind: 'int', min: 100, help: 'milliseconds between sweeps of the trash for documents past their retention (default 3600000)' },
  { key: 'redisUrl', flag: '--redis-url', env: 'TANDEM_REDIS_URL', kind: 'string', help: 'cluster mode: redis://host:port (or unix:///path/to/redis.sock) of the Redis every instance shares for documents and updates, one primary or any node of a Redis Cluster; LevelDB (--data-dir) is then not used (default: off)' },
  { key: 'redisAllowVolatile', flag: '--redis-allow-volatile', env: 'TANDEM_REDIS_ALLOW_VOLATILE', kind: 'bool', help: 'start even if Redis has appendonly no or an evicting maxmemory-policy, so may lose saved edits: development only, reported on /readyz (default off)' },
  { key: 'redisKeyPrefix', flag: '--redis-key-prefix', env: 'TANDEM_REDIS_KEY_PREFIX', kind: 'string', help: 'prefix of every Redis key, to keep deployments sharing one Redis apart (default tandem)' },
  { key: 'versionPauseMs', flag: '--version-pause', env: 'TANDEM_VERSION_PAUSE', kind: 'int', min: 10, help: 'milliseconds without an edit after which a document gets an automatic version; one is also taken when a changed document is unloaded (default 180000)' },
  { key: 'versionRetentionDays', flag: '--version-retention-days', env: 'TANDEM_VERSION_RETENTION_DAYS', kind: 'int', min: 0, help: 'days automatic versions are kept: all from the last day, the newest of each hour for a week, of each day after that; 0 keeps them all. Named and before-restore versions are always kept (default 30)' },
  { key: 'maxFileBytes', flag: '--max-file-bytes', env: 'TANDEM_MAX_FILE_BYTES', kind: 'int', min: 1024, help: 'largest image a document may hold; larger uploads get HTTP 413 (default 10485760)' },
  { key: 'uploadTimeoutMs', flag: '--upload-timeout', env: 'TANDEM_UPLOAD_TIMEOUT', kind: 'int', min: 1000, help: 'milliseconds a client has to send a whole HTTP request, an upload\'s body included; its headers still within --handshake-timeout (default 120000)' },
];

/** Defaults; `host` is decided by {@link parseConfig} from whether auth is on. */
export const DEFAULTS: Omit<SyncServerConfig, 'host'> = {
  port: 1234,
  dataDir: './data',
  fsync: false,
  authSecret: undefined,
  logLevel: 'info',
  pingIntervalMs: 30_000,
  compactAfterUpdates: 256,
  compactAfterBytes: 1024 * 1024,
  maxMessageBytes: 16 * 1024 * 1024,
  maxMessagesPerSecond: 300,
  maxConnectionsPerIp: 512,
  maxLoadedDocs: 10_000,
  maxDocBytes: 64 * 1024 * 1024,
  maxAwarenessBytes: 16 * 1024,
  maxSendBacklogBytes: 32 * 1024 * 1024,
  maxTotalSendBacklogBytes: 256 * 1024 * 1024,
  handshakeTimeoutMs: 10_000,
  allowedOrigins: [],
  trustProxy: false,
  maxTokenLifetimeSeconds: 24 * 60 * 60,
  maxDocsCreatedPerToken: 100,
  authMessageTimeoutMs: 10_000,
  trashRetentionDays: 30,
  trashSweepIntervalMs: 60 * 60 * 1000,
  redisUrl: undefined,
  redisAllowVolatile: false,
  redisKeyPrefix: 'tandem',
  versionPauseMs: 3 * 60 * 1000,
  versionRetentionDays: 30,
  maxFileBytes: DEFAULT_MAX_FILE_BYTES,
  uploadTimeoutMs: 120_000,
};

/** A configuration problem, with a message fit to print to the person who started the server. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

export type ParseResult = { help: true } | { help: false; config: SyncServerConfig };

/** Parse argv (without `node script`) and an environment; flags win over environment variables. */
export function parseConfig(argv: readonly string[], env: Record<string, string | undefined> = {}): ParseResult {
  const raw = new Map<OptionSpec, string>();
  for (const option of OPTIONS) {
    const value = env[option.env];
    if (value !== undefined && value !== '') raw.set(option, value);
  }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') return { help: true };
    const [flag, inlineValue] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const option = OPTIONS.find((o) => o.flag === flag);
    if (!option) throw new ConfigError(`unknown option ${flag} (see --help)`);
    if (option.kind === 'bool' && inlineValue === undefined) {
      raw.set(option, 'true');
      continue;
    }
    const value = inlineValue ?? argv[++i];
    if (value === undefined) throw new ConfigError(`${flag} needs a value`);
    raw.set(option, value);
  }

  const config: Record<string, unknown> = { ...DEFAULTS };
  for (const [option, value] of raw) config[option.key] = convert(option, value);
  if (config.host === undefined) config.host = config.authSecret ? '0.0.0.0' : '127.0.0.1';
  if (config.redisUrl !== undefined && !/^(rediss?:\/\/[^\s]+|unix:\/\/\/[^\s]+)$/.test(config.redisUrl as string)) {
    throw new ConfigError(`--redis-url (TANDEM_REDIS_URL) must look like redis://host:port or unix:///path/to/redis.sock, got "${config.redisUrl as string}"`);
  }
  if (!/^[A-Za-z0-9._-]{1,64}$/.test(config.redisKeyPrefix as string)) {
    throw new ConfigError('--redis-key-prefix (TANDEM_REDIS_KEY_PREFIX) must be 1-64 characters of A-Z a-z 0-9 . _ -');
  }
  const secretTrouble = config.authSecret === undefined ? undefined : secretProblem(config.authSecret as string);
  if (secretTrouble) throw new ConfigError(`--auth-secret (TANDEM_AUTH_SECRET) ${secretTrouble}`);
  return { help: false, config: config as unknown as SyncServerConfig };
}

function convert(option: OptionSpec, value: string): unknown {
  const source = `${option.flag} (${option.env})`;
  switch (option.kind) {
    case 'string':
      return value;
    case 'int': {
      if (!/^\d+$/.test(value)) throw new ConfigError(`${source} must be a whole number, got "${value}"`);
      const n = Number(value);
      if (option.min !== undefined && n < option.min) throw new ConfigError(`${source} must be at least ${option.min}, got ${n}`);
      if (option.key === 'port' && n > 65535) throw new ConfigError(`${source} must be at most 65535, got ${n}`);
      return n;
    }
    case 'bool': {
      if (['true', '1', 'yes', 'on'].includes(value)) return true;
      if (['false', '0', 'no', 'off'].includes(value)) return false;
      throw new ConfigError(`${source} must be true or false, got "${value}"`);
    }
    case 'list': {
      const items = value.split(',').map((s) => s.trim()).filter(Boolean);
      // An empty list would silently mean "any origin": say what was meant instead.
      if (items.length === 0) throw new ConfigError(`${source} needs at least one value, got "${value}" (leave it out to allow any origin)`);
      return items;
    }
    case 'level': {
      if (!(LOG_LEVELS as readonly string[]).includes(value)) throw new ConfigError(`${source} must be one of ${LOG_LEVELS.join(', ')}, got "${value}"`);
      return value;
    }
  }
}

/** The text `--help` prints. */
export function helpText(): string {
  const lines = [
    'Usage: tandem-sync-server [options]',
    '',
    'Tandem sync server: y-websocket protocol over ws://HOST:PORT/<docName>, LevelDB storage (or Redis',
    'shared by several instances, with --redis-url), health and metrics on the same port. Every option',
    'can also be set by its environment variable.',
    '',
  ];
  const width = Math.max(...OPTIONS.map((o) => o.flag.length + o.env.length + 3));
  for (const o of OPTIONS) lines.push(`  ${`${o.flag}, ${o.env}`.padEnd(width)}  ${o.help}`);
  lines.push(`  ${'--help'.padEnd(width)}  print this text`);
  return lines.join('\n');
}
