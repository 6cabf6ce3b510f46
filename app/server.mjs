#!/usr/bin/env node
/**
 * The app's HTTP server: Next's request handler behind a `node:http` server of our own, because
 * `next start` sets neither a header nor a request timeout (Node's defaults held 300 slowloris
 * sockets for ~70 s) and cannot be told which address to bind from the auth mode.
 *
 *   node server.mjs          the production build (`npm start`; run `next build` first)
 *   node server.mjs --dev    development, with hot reload (`npm run dev`)
 *
 * Environment: APP_PORT, TANDEM_APP_HOST, TANDEM_APP_HEADERS_TIMEOUT, TANDEM_APP_REQUEST_TIMEOUT
 * (see lib/serverOptions.mjs and README.md). In open mode it binds to 127.0.0.1 unless told otherwise.
 */
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { httpServerOptions, listeningMessage, readServerOptions } from './lib/serverOptions.mjs';

/** Must match REMOTE_ADDRESS_HEADER in lib/clientAddress.ts. */
const REMOTE_ADDRESS_HEADER = 'x-tandem-remote-address';

let options;
try {
  options = readServerOptions(process.env, { dev: process.argv.includes('--dev') });
} catch (error) {
  console.error(`tandem-app: ${error.message}`);
  process.exit(1);
}
process.env.NODE_ENV ??= options.dev ? 'development' : 'production';
process.env.NEXT_TELEMETRY_DISABLED ??= '1';

// Imported only now: Next reads NODE_ENV as it loads.
const { default: next } = await import('next');

const server = createServer(httpServerOptions(options));
const app = next({
  dev: options.dev,
  dir: fileURLToPath(new URL('.', import.meta.url)),
  hostname: options.host,
  port: options.port,
  httpServer: server,
});
const handle = app.getRequestHandler();

server.on('request', (req, res) => {
  // Route handlers get no socket: hand them its address, replacing anything the client sent as it.
  req.headers[REMOTE_ADDRESS_HEADER] = req.socket.remoteAddress ?? '';
  handle(req, res).catch((error) => {
    console.error('tandem-app: request failed', error);
    if (!res.headersSent) res.statusCode = 500;
    res.end();
  });
});

server.on('error', (error) => {
  const reason = error.code === 'EADDRINUSE' ? `port ${options.port} is already in use (set APP_PORT)` : error.code === 'EADDRNOTAVAIL' || error.code === 'ENOTFOUND' ? `cannot listen on ${options.host} (check TANDEM_APP_HOST)` : error.message;
  console.error(`tandem-app: ${reason}`);
  process.exit(1);
});

await app.prepare();
server.listen(options.port, options.host, () => {
  console.log(listeningMessage(options, server.address()));
});

function shutdown() {
  server.close(() => process.exit(0));
  server.closeIdleConnections();
  // Requests in flight get a moment; nothing the app serves is long-lived.
  setTimeout(() => {
    server.closeAllConnections();
    process.exit(0);
  }, 2000).unref();
}
process.once('SIGTERM', shutdown);
process.once('SIGINT', shutdown);
