import { isValidDocName } from '@tandem/protocol';
import { NextResponse, type NextRequest } from 'next/server';
import { accessForKey, mintToken, subjectFor, USER_COOKIE, userCookieValue } from '@/lib/auth';
import { getAuthConfig } from '@/lib/authServer';
import { clientAddress, rateLimitKey, readTrustProxy } from '@/lib/clientAddress';
import { readTokenRateLimits, TokenBuckets } from '@/lib/rateLimit';
import { readJsonObject } from '@/lib/requestBody';
import { fetchDocStatus, refusedAppToken } from '@/lib/syncApi';

/** A token request is a few hundred bytes (the previous token is the largest part). */
const MAX_BODY_BYTES = 8 * 1024;

const noStore = { 'Cache-Control': 'no-store' };
const fail = (status: number, error: string, headers: Record<string, string> = {}) =>
  NextResponse.json({ error }, { status, headers: { ...noStore, ...headers } });

let buckets: TokenBuckets | undefined;
let warnedNoAddress = false;

/** One line on stderr. Values are JSON-quoted so that nothing a client sends can forge a line. */
function warn(message: string, fields: Record<string, string>): void {
  console.warn(`tandem-app: ${message} ${Object.entries(fields).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(' ')}`);
}

/**
 * Take one request from the caller's allowance, or answer 429 with `Retry-After`. The first
 * refusal of an address in a minute is logged; the rest of a flood is not.
 */
function rateLimited(request: NextRequest): NextResponse | undefined {
  const limits = readTokenRateLimits();
  if (buckets?.limits.burst !== limits.burst || buckets.limits.perMinute !== limits.perMinute) buckets = new TokenBuckets(limits);
  const address = clientAddress(request.headers, readTrustProxy());
  if (!address && !warnedNoAddress) {
    warnedNoAddress = true;
    warn('client addresses are unknown (start the app with `node server.mjs`): every client shares one token rate limit', {});
  }
  const key = rateLimitKey(address ?? 'unknown');
  const result = buckets.take(key);
  if (result.allowed) return undefined;
  if (result.report) warn('too many token requests: refusing with 429', { from: key, retryAfterSeconds: String(result.retryAfterSeconds) });
  return fail(429, 'Too many token requests: try again later.', { 'Retry-After': String(result.retryAfterSeconds) });
}

/**
 * `POST /api/token` `{ doc, key, access, name?, previous? }` → `{ token, access, expiresAt }`: a
 * short-lived JWT for the sync server, for whoever holds a link key. The edit key gives `write`
 * (or `read`), the view key `read` only, each at the document's current link generation (read
 * from the sync server, and carried in the token's `link` claim: a key of a link reset since opens
 * nothing). `previous`, the token being replaced, keeps the `sub`. 404 in open mode (no token is
 * needed), 403 for a key that does not open the document (logged, without the key), 413 for a
 * body over 8 KiB, 429 past the per-address rate limit, 503 when the sync server cannot be asked
 * for the generations (403 when it refuses the app's own token: the two do not share the secret).
 */
export async function POST(request: NextRequest) {
  const limited = rateLimited(request);
  if (limited) return limited;
  const config = getAuthConfig();
  if (!config) return fail(404, 'Authentication is off: the sync server needs no token.');
  if (!request.headers.get('content-type')?.toLowerCase().startsWith('application/json')) return fail(415, 'Send JSON.');
  const read = await readJsonObject(request, MAX_BODY_BYTES);
  if (!read.ok) return fail(read.status, read.error, read.status === 413 ? { Connection: 'close' } : {});
  const { doc, key, access, name, previous } = read.value;
  if (typeof doc !== 'string' || !isValidDocName(doc)) return fail(400, 'Invalid document name.');
  if (access !== 'read' && access !== 'write') return fail(400, 'access must be "read" or "write".');
  const status = await fetchDocStatus(config, doc);
  if (refusedAppToken(status)) {
    warn('the sync server refused the app\'s own token: is TANDEM_AUTH_SECRET the same for both?', { doc });
    return fail(403, 'This link does not open this document.');
  }
  if (!status.ok) return fail(503, `The link cannot be checked now: ${status.error}`, { 'Retry-After': '5' });
  const generations = status.value.links;
  const granted = accessForKey(config.secret, doc, typeof key === 'string' ? key : undefined, generations);
  if (!granted || (access === 'write' && granted !== 'write')) {
    const from = clientAddress(request.headers, readTrustProxy()) ?? 'unknown';
    warn(granted ? 'refused a write token for a view key' : 'refused a token: the key does not open the document', { doc, access, from });
    return fail(403, 'This link does not open this document.');
  }

  const { sub, isNew } = await subjectFor(config, previous, request.cookies.get(USER_COOKIE)?.value);
  const link = { purpose: granted, generation: generations[granted] };
  const { token, expiresAt } = await mintToken(config, { sub, name: typeof name === 'string' ? name : undefined, doc, access, link });
  const response = NextResponse.json({ token, access, expiresAt }, { headers: noStore });
  if (isNew) {
    response.cookies.set(USER_COOKIE, userCookieValue(config.secret, sub), {
      httpOnly: true,
      sameSite: 'lax',
      secure: request.nextUrl.protocol === 'https:',
      path: '/',
      maxAge: 365 * 24 * 3600,
    });
  }
  return response;
}
