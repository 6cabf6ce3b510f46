import type { NextConfig } from 'next';
import { fileURLToPath } from 'node:url';

const config: NextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // forbidden() answers refused links with HTTP 403 and app/forbidden.tsx.
  experimental: { authInterrupts: true },
  // The workspace root, where the hoisted node_modules live.
  turbopack: { root: fileURLToPath(new URL('..', import.meta.url)) },
  // The pages' Content-Security-Policy carries a per-request nonce: proxy.ts sets it.
  async headers() {
    return [
      {
        source: '/:path*',
        headers: [
          { key: 'Referrer-Policy', value: 'strict-origin-when-cross-origin' },
          { key: 'X-Content-Type-Options', value: 'nosniff' },
        ],
      },
      {
        // Everything but the embed page (meant to be framed by any site) may only be framed by itself.
        source: '/((?!embed/).*)',
        headers: [{ key: 'X-Frame-Options', value: 'SAMEORIGIN' }],
      },
      {
        // JSON only: nothing to run, load or frame.
        source: '/api/:path*',
        headers: [{ key: 'Content-Security-Policy', value: "default-src 'none'; frame-ancestors 'none'" }],
      },
    ];
  },
};

export default config;
