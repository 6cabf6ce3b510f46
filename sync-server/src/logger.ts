import { pino, type Logger } from 'pino';
import type { SyncServerConfig } from './config.js';

/** The process logger: JSON lines on stdout. Tests pass their own logger to createSyncServer. */
export function createLogger(level: SyncServerConfig['logLevel']): Logger {
  return pino({ level, base: undefined, timestamp: pino.stdTimeFunctions.isoTime });
}
