'use client';

import { useEffect } from 'react';

const PAGES = 'tandem-pages-v1';
const ASSETS = 'tandem-assets-v1';

/**
 * Registers the service worker (`/sw.js`) that lets a document page load without a network, and
 * puts this page and the build assets it already loaded into its caches (the worker sees no
 * request made before it took control). When done, `<html data-offline-ready="true">`.
 *
 * Only in production builds, and only where service workers exist (HTTPS or localhost).
 */
export function OfflineSupport() {
  useEffect(() => {
    if (process.env.NODE_ENV !== 'production' || !('serviceWorker' in navigator) || !('caches' in window)) return;
    let cancelled = false;
    (async () => {
      await navigator.serviceWorker.register('/sw.js');
      const pages = await caches.open(PAGES);
      await pages.add(location.href);
      const assets = await caches.open(ASSETS);
      const loaded = performance
        .getEntriesByType('resource')
        .map((entry) => entry.name)
        .filter((url) => url.startsWith(`${location.origin}/_next/static/`));
      await Promise.all(loaded.map(async (url) => ((await assets.match(url)) ? undefined : assets.add(url))));
      if (!cancelled) document.documentElement.dataset.offlineReady = 'true';
    })().catch((error: unknown) => console.warn('Tandem: offline page cache unavailable', error));
    return () => {
      cancelled = true;
    };
  }, []);
  return null;
}
