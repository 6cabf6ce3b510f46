/**
 * Who is asking, for per-address limits (server only).
 *
 * Next gives route handlers no socket, so `server.mjs` stamps every request with its socket's
 * address in {@link REMOTE_ADDRESS_HEADER}, overwriting whatever the client sent under that name.
 * Behind your own reverse proxy every request comes from the proxy, so with `TANDEM_TRUST_PROXY`
 * set (the variable the sync server reads for `--trust-proxy`) the address is the last
 * `X-Forwarded-For` entry instead: the one your proxy appended. Anything before it is the
 * client's own claim, and is never used.
 */
import { isIPv4, isIPv6 } from 'node:net';

/** Set by `server.mjs` on every request: the socket's remote address. */
export const REMOTE_ADDRESS_HEADER = 'x-tandem-remote-address';
export const TRUST_PROXY_VARIABLE = 'TANDEM_TRUST_PROXY';

/** `TANDEM_TRUST_PROXY`: true/1/yes/on or false/0/no/off (unset: off), as the sync server reads it. */
export function readTrustProxy(env: Record<string, string | undefined> = process.env): boolean {
  const value = env[TRUST_PROXY_VARIABLE]?.trim().toLowerCase();
  if (!value || ['false', '0', 'no', 'off'].includes(value)) return false;
  if (['true', '1', 'yes', 'on'].includes(value)) return true;
  throw new Error(`${TRUST_PROXY_VARIABLE} must be true or false, got "${value}"`);
}

/**
 * The client's address: the socket's, or behind a trusted proxy the last `X-Forwarded-For` entry.
 * Undefined when the app was not started by `server.mjs` (no socket address was stamped).
 */
export function clientAddress(headers: Headers, trustProxy: boolean): string | undefined {
  const direct = headers.get(REMOTE_ADDRESS_HEADER)?.trim() || undefined;
  if (!trustProxy) return direct;
  const forwarded = (headers.get('x-forwarded-for') ?? '').split(',').map((part) => part.trim()).filter(Boolean);
  return forwarded.at(-1) ?? direct;
}

/**
 * The key a rate limit counts an address under: IPv4 as is (also when written IPv4-mapped,
 * `::ffff:1.2.3.4`), IPv6 by its /64 — one host usually holds a whole /64, so counting single
 * addresses would let it take a fresh allowance per address. Anything else (a proxy's odd entry)
 * is kept, cut to 64 characters.
 */
export function rateLimitKey(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped && isIPv4(mapped[1]!)) return mapped[1]!;
  if (isIPv4(address)) return address;
  const withoutZone = address.split('%')[0]!;
  if (isIPv6(withoutZone)) return `${ipv6Groups(withoutZone).slice(0, 4).join(':')}::/64`;
  return address.slice(0, 64);
}

/** The eight 16-bit groups of an IPv6 address, as lowercase hex without leading zeros. */
function ipv6Groups(address: string): string[] {
  const [head, tail] = address.includes('::') ? address.split('::') : [address, undefined];
  const parse = (part: string | undefined) => (part ? part.split(':') : []);
  const headGroups = parse(head);
  const tailGroups = parse(tail);
  // An embedded IPv4 tail (`::1.2.3.4`) counts as two groups; the /64 never reaches it.
  const tailLength = tailGroups.reduce((n, group) => n + (group.includes('.') ? 2 : 1), 0);
  const zeros = tail === undefined ? [] : new Array<string>(8 - headGroups.length - tailLength).fill('0');
  return [...headGroups, ...zeros, ...tailGroups].map((group) => (group.includes('.') ? group : parseInt(group, 16).toString(16)));
}
