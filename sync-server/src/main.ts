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
  let server;
  try {
    server = await createSyncServer(config, { logger });
  } catch (error) {
    if (config.redisUrl) return exit(`cluster mode could not start: ${(error as Error).message}`);
    return exit(`could not open the data directory ${config.dataDir}: ${(error as Error).message}`);
  }
  let listening;
  try {
    listening = await server.listen();
  } catch (error) {
    await server.close().catch(() => {});
    return exit(listenFailure(error as NodeJS.ErrnoException, config.host, config.port));
  }
  const { url, port } = listening;
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
  const storage = server.instanceId ? { instance: server.instanceId } : { dataDir: config.dataDir, fsync: config.fsync };
  logger.info({ url, ...storage, auth: Boolean(config.authSecret) }, `listening on ${url}`);
}

/** Say what went wrong in one line, and stop. */
function exit(message: string): void {
  process.stderr.write(`tandem-sync-server: ${message}\n`);
  process.exit(1);
}

/** The reason the server could not listen, in words (no stack trace: the usual causes are the operator's to fix). */
function listenFailure(error: NodeJS.ErrnoException, host: string, port: number): string {
  switch (error.code) {
    case 'EADDRINUSE':
      return `port ${port} on ${host} is already in use (another server running? pick another with --port)`;
    case 'EADDRNOTAVAIL':
      return `cannot listen on ${host}: it is not an address of this machine (check --host)`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_NONAME':
      return `cannot listen on ${host}: no such host (check --host)`;
    case 'EACCES':
      return `no permission to listen on port ${port} (ports below 1024 need privileges; check --port)`;
    default:
      return `cannot listen on ${host}:${port}: ${error.message}`;
  }
}

main().catch((error: Error) => {
  process.stderr.write(`tandem-sync-server: ${error.stack ?? error.message}\n`);
  process.exit(1);
});
