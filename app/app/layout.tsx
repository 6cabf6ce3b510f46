import type { Metadata, Viewport } from 'next';
import { cookies } from 'next/headers';
import { connection } from 'next/server';
import '@tandem/editor/styles.css';
import './globals.css';
import './print.css';
import { pinnedTheme, THEME_COOKIE } from '@/lib/theme';

export const metadata: Metadata = {
  title: 'Tandem',
  description: 'Write together, in real time, on your own server.',
};

export const viewport: Viewport = {
  width: 'device-width',
  initialScale: 1,
  themeColor: [
    { media: '(prefers-color-scheme: light)', color: '#ffffff' },
    { media: '(prefers-color-scheme: dark)', color: '#16171b' },
  ],
};

/**
 * Rendered per request, for every page: the Content-Security-Policy (proxy.ts) lets scripts run
 * only with this response's nonce, and a page prerendered at build time would carry none. The
 * theme the person pinned (lib/theme.ts) is on `<html>` from the first byte.
 */
export default async function RootLayout({ children }: { children: React.ReactNode }) {
  await connection();
  const theme = pinnedTheme((await cookies()).get(THEME_COOKIE)?.value);
  return (
    <html lang="en" data-theme={theme}>
      <body>{children}</body>
    </html>
  );
}
