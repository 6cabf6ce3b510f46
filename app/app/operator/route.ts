import { redirect } from 'next/navigation';
import type { NextRequest } from 'next/server';
import { cookies } from 'next/headers';
import { checkLinkKey, OPERATOR_COOKIE } from '@/lib/auth';
import { getAuthConfig } from '@/lib/authServer';

/**
 * `GET /operator?key=…`: the operator's link (print it with `npm run links -w @tandem/app`). It
 * leaves the key in an httpOnly cookie, which opens the document list and "New document", and
 * goes home. In open mode there is nothing to unlock.
 */
export async function GET(request: NextRequest): Promise<never> {
  const config = getAuthConfig();
  if (!config) redirect('/');
  const key = request.nextUrl.searchParams.get('key');
  if (!checkLinkKey(config.secret, 'operator', '', key)) redirect('/refused');
  (await cookies()).set(OPERATOR_COOKIE, key!, {
    httpOnly: true,
    sameSite: 'lax',
    secure: request.nextUrl.protocol === 'https:',
    path: '/',
    maxAge: 365 * 24 * 3600,
  });
  redirect('/');
}
