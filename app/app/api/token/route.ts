import { isValidDocName } from '@tandem/protocol';
import { NextResponse, type NextRequest } from 'next/server';
import { accessForKey, mintToken, subjectFor, USER_COOKIE } from '@/lib/auth';
import { getAuthConfig } from '@/lib/authServer';

const noStore = { 'Cache-Control': 'no-store' };
const fail = (status: number, error: string) => NextResponse.json({ error }, { status, headers: noStore });

/**
 * `POST /api/token` `{ doc, key, access, name?, previous? }` → `{ token, access, expiresAt }`: a
 * short-lived JWT for the sync server, for whoever holds a link key. The edit key gives `write`
 * (or `read`), the view key `read` only. `previous`, the token being replaced, keeps the `sub`.
 * 404 in open mode (no token is needed), 403 for a key that does not open the document.
 */
export async function POST(request: NextRequest) {
  const config = getAuthConfig();
  if (!config) return fail(404, 'Authentication is off: the sync server needs no token.');
  if (!request.headers.get('content-type')?.toLowerCase().startsWith('application/json')) return fail(415, 'Send JSON.');
  let body: Record<string, unknown>;
  try {
    const parsed = (await request.json()) as unknown;
    if (typeof parsed !== 'object' || parsed === null) throw new Error('not an object');
    body = parsed as Record<string, unknown>;
  } catch {
    return fail(400, 'Send a JSON object.');
  }
  const { doc, key, access, name, previous } = body;
  if (typeof doc !== 'string' || !isValidDocName(doc)) return fail(400, 'Invalid document name.');
  if (access !== 'read' && access !== 'write') return fail(400, 'access must be "read" or "write".');
  const granted = accessForKey(config.secret, doc, typeof key === 'string' ? key : undefined);
  if (!granted || (access === 'write' && granted !== 'write')) return fail(403, 'This link does not open this document.');

  const { sub, isNew } = await subjectFor(config, previous, request.cookies.get(USER_COOKIE)?.value);
  const { token, expiresAt } = await mintToken(config, { sub, name: typeof name === 'string' ? name : undefined, doc, access });
  const response = NextResponse.json({ token, access, expiresAt }, { headers: noStore });
  if (isNew) {
    response.cookies.set(USER_COOKIE, sub, {
      httpOnly: true,
      sameSite: 'lax',
      secure: request.nextUrl.protocol === 'https:',
      path: '/',
      maxAge: 365 * 24 * 3600,
    });
  }
  return response;
}
