import { NextResponse, type NextRequest } from 'next/server';
import { contentSecurityPolicy, isEmbedPath, newNonce } from '@/lib/contentSecurityPolicy';
import { getSyncUrl } from '@/lib/syncUrl';

/**
 * Every page's Content-Security-Policy, with a fresh nonce. Next reads the nonce from the
 * policy in the request headers and puts it on the scripts it renders; the browser gets the same
 * policy in the response. (The other security headers are static: next.config.ts.)
 */
export function proxy(request: NextRequest) {
  const policy = contentSecurityPolicy({
    nonce: newNonce(),
    syncUrl: getSyncUrl(),
    embed: isEmbedPath(request.nextUrl.pathname),
    dev: process.env.NODE_ENV === 'development',
  });
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set('content-security-policy', policy);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set('content-security-policy', policy);
  return response;
}

export const config = {
  matcher: [
    {
      // Not the API: a proxy makes Next buffer request bodies (up to 10 MB) so that it could read
      // them, and /api/token reads its own with an 8 KiB cap. Not the immutable build assets.
      source: '/((?!api/|_next/static/|_next/image).*)',
      // Prefetches are not documents; they render without a policy of their own.
      missing: [
        { type: 'header', key: 'next-router-prefetch' },
        { type: 'header', key: 'purpose', value: 'prefetch' },
      ],
    },
  ],
};
