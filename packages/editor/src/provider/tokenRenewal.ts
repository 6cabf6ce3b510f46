/**
 * Renewing the token on an open connection before it expires, so that the server never closes it
 * (4001) and nobody sees the editor go offline or its person leave and come back.
 *
 * Only for connections that sent their token as a message (PROTOCOL.md, "Authentication by first
 * message", Renewal): the next token goes on the same connection as another token message.
 */
import type { OnError } from '../editorError.js';
import type { TokenKeeper } from './tokens.js';

/** The earliest a token is renewed: never more than this before it expires. */
const MAX_LEAD_MS = 60_000;
/** A renewal that failed is tried again while the token has at least this long left. */
const MIN_RETRY_LEFT_MS = 500;
/** Never renew sooner than this after the last attempt, whatever a token says (no busy loop on absurdly short tokens). */
const MIN_INTERVAL_MS = 500;
/** The longest delay setTimeout honours (~24.8 days); longer waits are taken in steps. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * How long to wait before renewing a token that has `msLeft` to live: until a third of that is
 * left (at most a minute), and a random part of half as much again earlier, so that editors
 * given tokens at the same moment do not all ask at once. A 15-minute token is renewed 60–90 s
 * before it expires; a 4-second one 1.3–2 s before. Infinity for a token that never expires.
 *
 * @param random a number in [0, 1), `Math.random` by default (injected in tests)
 */
export function renewalDelay(msLeft: number, random: () => number = Math.random): number {
  if (msLeft === Infinity) return Infinity;
  const left = Number.isFinite(msLeft) ? Math.max(msLeft, 0) : 0;
  const lead = Math.min(left / 3, MAX_LEAD_MS);
  const r = Math.min(Math.max(random(), 0), 1);
  return Math.max(0, Math.round(left - lead - (r * lead) / 2));
}

/** What {@link renewBeforeExpiry} needs. */
export interface RenewalOptions {
  tokens: TokenKeeper;
  /** Send `token` as a token message on the open connection. */
  send: (token: string) => void;
  onError: OnError;
  random?: () => number;
}

/**
 * Fetch the next token ahead of the current one's expiry and send it on the connection, again
 * for each token, until stopped. A failed fetch is reported and tried again (at a third of what
 * is left) while there is time; after that the server closes the connection at expiry and the
 * next one starts with a fresh token. Returns a function that stops renewing.
 */
export function renewBeforeExpiry(options: RenewalOptions): () => void {
  const { tokens, send, onError } = options;
  const random = options.random ?? Math.random;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;

  const wait = (due: number) => {
    const left = due - Date.now();
    timer = setTimeout(() => (left > MAX_TIMER_MS ? wait(due) : renew()), Math.min(Math.max(left, 0), MAX_TIMER_MS));
  };
  const schedule = () => {
    const delay = renewalDelay(tokens.msLeft(), random);
    if (delay !== Infinity) wait(Date.now() + Math.max(delay, MIN_INTERVAL_MS));
  };
  const renew = () => {
    tokens.refresh().then(
      (token) => {
        if (stopped) return;
        send(token);
        schedule();
      },
      (error: unknown) => {
        if (stopped) return;
        onError({ kind: 'token', message: 'could not get the next token; trying again', cause: error });
        if (tokens.msLeft() > MIN_RETRY_LEFT_MS) schedule();
      },
    );
  };

  schedule();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
