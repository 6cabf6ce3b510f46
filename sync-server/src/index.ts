export { createSyncServer, type SyncServer, type SyncServerDeps } from './server.js';
export { parseConfig, helpText, ConfigError, DEFAULTS, OPTIONS, type SyncServerConfig } from './config.js';
export { createLogger } from './logger.js';
export type { DocStore, DocInfo, StoredDoc, DocAppend } from './storage/DocStore.js';
export { LevelDocStore } from './storage/LevelDocStore.js';
export { MemoryDocStore, type MemoryContents } from './storage/MemoryDocStore.js';
export { authorize, verifyToken, AuthError, TOKEN_COOKIE, type Grant, type Access, type TokenPolicy } from './auth.js';
