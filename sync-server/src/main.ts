#!/usr/bin/env node
/** The `tandem-sync-server` command: parse flags, listen, and shut down cleanly on SIGTERM/SIGINT. */
import { ConfigError, helpText, parseConfig } from './config.js';
import { createLogger } from './logger.js';
import { createSyncServer } from './server.js';
import { warmUpConnectionPath } from './warmUp.js';

async function main(): Promise<void> {
  let parsed;
  try {
    parsed = parseConfig(process.argv.slice(2), process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`tandem-sync-server: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  if (parsed.help) {
    process.stdout.write(`${helpText()}\n`);
    return;
  }
  const { config } = parsed;
  const logger = createLogger(config.logLevel);
  if (!config.authSecret) {
    logger.warn('OPEN MODE: no --auth-secret, so anyone who can reach this port can read and change every document. Use it only on your own machine.');
  }
  const server = await createSyncServer(config, { logger });
  const { url, port } = await server.listen();
  await warmUpConnectionPath(port, config, logger);

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: closing connections and flushing documents');
    server.close().then(
      () => {
        logger.info('storage closed; bye');
        process.exit(0);
      },
      (error: Error) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  // Ready only once a signal would be handled: whoever waits for this line may stop us at once.
  logger.info({ url, dataDir: config.dataDir, fsync: config.fsync, auth: Boolean(config.authSecret) }, `listening on ${url}`);
}

main().catch((error: Error) => {
  process.stderr.write(`tandem-sync-server: ${error.stack ?? error.message}\n`);
  process.exit(1);
});
