/**
 * How `server.mjs` listens: address, port and HTTP timeouts, from the environment. Plain
 * JavaScript because `server.mjs` runs before (and outside) Next's compiler; types in
 * `serverOptions.d.mts`.
 */
import { secretProblem } from '@tandem/protocol';

export const AUTH_SECRET_VARIABLE = 'TANDEM_AUTH_SECRET';

export const HOST_VARIABLE = 'TANDEM_APP_HOST';
export const PORT_VARIABLE = 'APP_PORT';
export const HEADERS_TIMEOUT_VARIABLE = 'TANDEM_APP_HEADERS_TIMEOUT';
export const REQUEST_TIMEOUT_VARIABLE = 'TANDEM_APP_REQUEST_TIMEOUT';

export const DEFAULT_PORT = 3000;
/** As long as the sync server's handshake timeout: a client that has not sent its headers by then is not a browser. */
export const DEFAULT_HEADERS_TIMEOUT_MS = 10_000;
/** Headers and body; the app's requests are small (`/api/token` refuses bodies over 8 KiB). */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

/**
 * The options from `env`. Throws an Error with a message for the operator on a bad value.
 * `host` undefined means every interface (Node's default: `::` and `0.0.0.0`).
 *
 * @param {Record<string, string | undefined>} env
 * @param {{ dev?: boolean }} [flags]
 * @returns {import('./serverOptions.mjs').ServerOptions}
 */
export function readServerOptions(env, flags = {}) {
  const openMode = !env[AUTH_SECRET_VARIABLE];
  // Checked here, at start: a secret too short to sign with must stop the app, not fail each request.
  const secretTrouble = openMode ? undefined : secretProblem(env[AUTH_SECRET_VARIABLE]);
  if (secretTrouble) throw new Error(`${AUTH_SECRET_VARIABLE} ${secretTrouble}`);
  const chosenHost = env[HOST_VARIABLE]?.trim();
  let host;
  let hostReason;
  if (chosenHost) {
    host = chosenHost;
    hostReason = `as ${HOST_VARIABLE} says`;
  } else if (openMode) {
    host = '127.0.0.1';
    hostReason = `loopback only: open mode, no TANDEM_AUTH_SECRET, so nobody else on the network may list or edit your documents; set ${HOST_VARIABLE}=0.0.0.0 to listen on every interface`;
  } else {
    host = undefined;
    hostReason = `every interface: TANDEM_AUTH_SECRET is set; set ${HOST_VARIABLE} to choose one`;
  }
  const port = readInteger(env, PORT_VARIABLE, DEFAULT_PORT, 0, 65535);
  const headersTimeoutMs = readInteger(env, HEADERS_TIMEOUT_VARIABLE, DEFAULT_HEADERS_TIMEOUT_MS, 100, 600_000);
  const requestTimeoutMs = readInteger(env, REQUEST_TIMEOUT_VARIABLE, DEFAULT_REQUEST_TIMEOUT_MS, 100, 3_600_000);
  if (requestTimeoutMs < headersTimeoutMs) {
    throw new Error(`${REQUEST_TIMEOUT_VARIABLE} (${requestTimeoutMs} ms) must be at least ${HEADERS_TIMEOUT_VARIABLE} (${headersTimeoutMs} ms): the request includes its headers`);
  }
  return { dev: flags.dev === true, host, hostReason, port, headersTimeoutMs, requestTimeoutMs };
}

/**
 * Options for `http.createServer`. Node checks the timeouts only every
 * `connectionsCheckingInterval` (30 s by default), so that is tightened too: a stalled client is
 * dropped within a second of its timeout.
 *
 * @param {import('./serverOptions.mjs').ServerOptions} options
 */
export function httpServerOptions(options) {
  return {
    headersTimeout: options.headersTimeoutMs,
    requestTimeout: options.requestTimeoutMs,
    connectionsCheckingInterval: Math.min(1000, Math.ceil(options.headersTimeoutMs / 4)),
  };
}

/**
 * The line printed once listening: where, and why there.
 *
 * @param {import('./serverOptions.mjs').ServerOptions} options
 * @param {{ address: string, port: number }} bound
 */
export function listeningMessage(options, bound) {
  const host = bound.address.includes(':') ? `[${bound.address}]` : bound.address;
  return `Tandem app listening on http://${host}:${bound.port} (${options.hostReason})`;
}

/**
 * @param {Record<string, string | undefined>} env
 * @param {string} name
 * @param {number} fallback
 * @param {number} min
 * @param {number} max
 */
function readInteger(env, name, fallback, min, max) {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < min || value > max) throw new Error(`${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
  return value;
}
