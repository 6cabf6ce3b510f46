/** How `server.mjs` listens (see `serverOptions.mjs`). */
export interface ServerOptions {
  /** `next dev` instead of the production build. */
  dev: boolean;
  /** The address to bind; undefined: every interface. */
  host: string | undefined;
  /** Why that address, for the start-up line. */
  hostReason: string;
  port: number;
  /** Time a client has to send its request headers (Node's `headersTimeout`). */
  headersTimeoutMs: number;
  /** Time a client has to send its whole request (Node's `requestTimeout`). */
  requestTimeoutMs: number;
}

export const AUTH_SECRET_VARIABLE: 'TANDEM_AUTH_SECRET';
export const HOST_VARIABLE: 'TANDEM_APP_HOST';
export const PORT_VARIABLE: 'APP_PORT';
export const HEADERS_TIMEOUT_VARIABLE: 'TANDEM_APP_HEADERS_TIMEOUT';
export const REQUEST_TIMEOUT_VARIABLE: 'TANDEM_APP_REQUEST_TIMEOUT';
export const DEFAULT_PORT: number;
export const DEFAULT_HEADERS_TIMEOUT_MS: number;
export const DEFAULT_REQUEST_TIMEOUT_MS: number;

export function readServerOptions(env: Record<string, string | undefined>, flags?: { dev?: boolean }): ServerOptions;
export function httpServerOptions(options: ServerOptions): { headersTimeout: number; requestTimeout: number; connectionsCheckingInterval: number };
export function listeningMessage(options: ServerOptions, bound: { address: string; port: number }): string;
