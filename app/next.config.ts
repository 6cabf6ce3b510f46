import type { NextConfig } from 'next';
import { fileURLToPath } from 'node:url';

const config: NextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // forbidden() answers refused links with HTTP 403 and app/forbidden.tsx.
  experimental: { authInterrupts: true },
  // The workspace root, where the hoisted node_modules live.
  turbopack: { root: fileURLToPath(new URL('..', import.meta.url)) },
  async headers() {
    return [
      {
        // Everything but the embed page (meant to be framed by any site) may only be framed by itself.
        source: '/((?!embed/).*)',
        headers: [
          { key: 'X-Frame-Options', value: 'SAMEORIGIN' },
          { key: 'Referrer-Policy', value: 'strict-origin-when-cross-origin' },
          { key: 'X-Content-Type-Options', value: 'nosniff' },
        ],
      },
    ];
  },
};

export default config;
