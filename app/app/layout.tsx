import type { Metadata, Viewport } from 'next';
import { connection } from 'next/server';
import '@tandem/editor/styles.css';
import './globals.css';

export const metadata: Metadata = {
  title: 'Tandem',
  description: 'Write together, in real time, on your own server.',
};

export const viewport: Viewport = {
  width: 'device-width',
  initialScale: 1,
  themeColor: '#ffffff',
};

/**
 * Rendered per request, for every page: the Content-Security-Policy (proxy.ts) lets scripts run
 * only with this response's nonce, and a page prerendered at build time would carry none.
 */
export default async function RootLayout({ children }: { children: React.ReactNode }) {
  await connection();
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}
