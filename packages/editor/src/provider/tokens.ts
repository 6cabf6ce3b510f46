/**
 * The token an editor connects with, for servers that require one (`--auth-secret`): which one to
 * use, when it runs out, and when a fresh one must be fetched with the application's `getToken()`.
 *
 * The client never verifies a token (the server does); it reads `exp` and `iat` only to know when
 * to ask for the next one.
 */
import { CloseCode, type TokenClaims as SignedClaims } from '@tandem/protocol';

/** Fetches a fresh token for this document from the application's own server. */
export type GetToken = () => Promise<string>;

/**
 * The claims the client may read from a token, without verifying it (the server does that): any
 * of them may be missing, and none is checked.
 */
export type TokenClaims = Partial<SignedClaims>;

/** The payload of a JWT, or undefined for anything that is not one. Never verifies. */
export function readTokenClaims(token: string | undefined): TokenClaims | undefined {
  const payload = token?.split('.')[1];
  if (!payload) return undefined;
  try {
    const base64 = payload.replace(/-/g, '+').replace(/_/g, '/');
    const json = decodeURIComponent(
      Array.from(atob(base64.padEnd(base64.length + ((4 - (base64.length % 4)) % 4), '=')), (c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`).join(''),
    );
    const claims = JSON.parse(json) as unknown;
    return typeof claims === 'object' && claims !== null ? (claims as TokenClaims) : undefined;
  } catch {
    return undefined;
  }
}

/** True when the token is a `read` token (the editor is then shown read-only). */
export function isReadOnlyToken(token: string | undefined): boolean {
  return readTokenClaims(token)?.access === 'read';
}

/** A token that expires within this long is not used for a new connection. */
const EXPIRY_MARGIN_MS = 1000;
/** A `getToken()` that has not answered by then counts as failed (and is retried). */
const GET_TOKEN_TIMEOUT_MS = 15_000;

export interface TokenKeeperOptions {
  /** The token to start with, if any. */
  token?: string;
  getToken?: GetToken;
  /** How long `getToken()` may take (default 15 s). */
  timeoutMs?: number;
  /** For tests. */
  now?: () => number;
}

/**
 * The current token and when it expires by this browser's clock.
 *
 * A token from `getToken()` that carries `iat` is taken to live `exp − iat` (less a second, for
 * the rounding to whole seconds) from the moment it arrived, so that a browser whose clock is off
 * does not take every token for expired, or for good long after it expired; a token without
 * `iat`, or the one the editor was created with (minted at some unknown earlier time), is judged
 * by `exp` and this browser's clock.
 */
export class TokenKeeper {
  private token: string | undefined;
  private expiresAt: number | undefined;
  /**
   * Why the current token may not be used again: 'expired' (closed with 4001 or 4002, or past its
   * `exp`) means never; 'unproven' (the last connection never opened: perhaps an HTTP 401, perhaps
   * the server is down) means fetch a fresh one first, but keep this one if that fails.
   */
  private stale: 'expired' | 'unproven' | undefined;
  private pending: Promise<string> | undefined;
  private readonly now: () => number;

  constructor(private readonly options: TokenKeeperOptions) {
    this.now = options.now ?? Date.now;
    if (options.token) this.adopt(options.token, false);
  }

  /** The token in use, if any. */
  get current(): string | undefined {
    return this.token;
  }

  /** True when a fresh token can be fetched. */
  get canRefresh(): boolean {
    return this.options.getToken !== undefined;
  }

  /** Milliseconds until the current token expires by this browser's clock (Infinity without `exp`). */
  msLeft(): number {
    return this.expiresAt === undefined ? Infinity : this.expiresAt - this.now();
  }

  /**
   * The token to open a connection with: the current one while it is good, else a fresh one.
   * Rejects when a fresh one was needed and `getToken()` failed, unless the current one was only
   * unproven and has not expired (the server, not the token, may have been the problem).
   */
  async forConnection(): Promise<string | undefined> {
    const reason = this.stale ?? (this.token === undefined || this.msLeft() <= EXPIRY_MARGIN_MS ? 'expired' : undefined);
    if (!reason || !this.canRefresh) return this.token;
    try {
      return await this.refresh();
    } catch (error) {
      if (reason === 'unproven' && this.token !== undefined && this.msLeft() > EXPIRY_MARGIN_MS) return this.token;
      throw error;
    }
  }

  /** Fetch a fresh token with `getToken()` and make it the current one. Calls made meanwhile share the fetch. */
  refresh(): Promise<string> {
    this.pending ??= this.fetch().finally(() => (this.pending = undefined));
    return this.pending;
  }

  /** The server accepted a connection with the current token. */
  proven(): void {
    this.stale = undefined;
  }

  /**
   * A connection with the current token ended with close `code`. `opened`: it had been accepted.
   * `inUrl`: the token travelled in the URL, where a refusal (HTTP 401) shows only as a
   * connection that never opened.
   */
  connectionEnded(code: number, opened: boolean, inUrl: boolean): void {
    if (code === CloseCode.TokenExpired.code || code === CloseCode.Unauthenticated.code) this.stale = 'expired';
    else if (!opened && inUrl) this.stale ??= 'unproven';
  }

  private async fetch(): Promise<string> {
    const getToken = this.options.getToken!;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeoutMs = this.options.timeoutMs ?? GET_TOKEN_TIMEOUT_MS;
    const token = await Promise.race([
      Promise.resolve().then(getToken),
      new Promise<never>((_resolve, reject) => {
        timer = setTimeout(() => reject(new Error(`getToken() did not answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]).finally(() => clearTimeout(timer));
    if (typeof token !== 'string' || token === '') throw new Error('getToken() gave no token');
    this.adopt(token, true);
    return token;
  }

  private adopt(token: string, justIssued: boolean): void {
    const { exp, iat } = readTokenClaims(token) ?? {};
    this.token = token;
    this.stale = undefined;
    if (typeof exp !== 'number') this.expiresAt = undefined;
    // Whole seconds: a token issued at second `iat` may have been minted up to a second later than
    // that, and so lives up to a second less than `exp − iat`.
    else if (justIssued && typeof iat === 'number' && exp - iat > 1) this.expiresAt = this.now() + (exp - iat - 1) * 1000;
    else this.expiresAt = exp * 1000;
  }
}
