/**
 * Start-up recovery. A document that was in memory when the process died keeps its log (an unload
 * compacts it), so its first visitor after the restart would be sent the snapshot and every log
 * entry as separate updates and would apply all but the last before it counts itself synced.
 * Merging them into the snapshot once, before the server accepts connections, lets that visitor
 * receive the whole document as one update.
 */
import type { Logger } from 'pino';
import * as Y from 'yjs';
import type { ServerStats } from './metrics.js';
import type { DocStore } from './storage/DocStore.js';

/** How long the start may wait for merges; documents left over keep their log and load whole all the same. */
const BUDGET_MS = 1000;
/** Larger documents are left as they are: merging one in a process that has just started could take seconds. */
const MAX_DOC_BYTES = 8 * 1024 * 1024;

/** Merge the log each document was left with into its snapshot, within the start-up budget. */
export async function mergeLeftoverLogs(store: DocStore, logger: Logger, stats: ServerStats): Promise<void> {
  const started = performance.now();
  const names = await store.namesWithLog();
  let merged = 0;
  for (const name of names) {
    if (performance.now() - started > BUDGET_MS) break;
    try {
      const stored = await store.load(name);
      if (stored.updates.length < 2 || stored.totalBytes > MAX_DOC_BYTES) continue;
      const whole = Y.mergeUpdates(stored.updates);
      await store.mergeLog(name, whole, stored.logCount, Y.encodeStateVectorFromUpdate(whole));
      merged++;
    } catch (error) {
      stats.storageErrors++;
      logger.error({ err: error, doc: name }, `could not merge the log left in storage for document ${name}; it keeps its log`);
    } finally {
      store.release(name);
    }
  }
  if (names.length > 0) {
    logger.info({ documents: names.length, merged, ms: Math.round(performance.now() - started) }, 'merged the logs documents were left with');
  }
}
