/*
 * Tandem's service worker: makes a document page that was opened once load again without a
 * network, so that a reload while offline shows the text (which the editor keeps in IndexedDB).
 *
 * - Document and embed pages (navigations to /d/… and /embed/…): network first; the last good
 *   answer for that exact URL is kept and served when the network fails.
 * - Build assets (/_next/static/…, content-hashed, immutable): cache first.
 * Everything else goes to the network untouched. The page itself also puts what it already
 * loaded into the caches (see OfflineSupport.tsx), since a worker sees no request made before it
 * took control.
 */
const PAGES = 'tandem-pages-v1';
const ASSETS = 'tandem-assets-v1';

self.addEventListener('install', () => self.skipWaiting());

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      const keep = new Set([PAGES, ASSETS]);
      for (const name of await caches.keys()) if (name.startsWith('tandem-') && !keep.has(name)) await caches.delete(name);
      await self.clients.claim();
    })(),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.startsWith('/_next/static/')) {
    event.respondWith(cacheFirst(request));
  } else if (request.mode === 'navigate' && /^\/(d|embed)\/[^/]+$/.test(url.pathname)) {
    event.respondWith(networkFirst(request));
  }
});

async function cacheFirst(request) {
  const cache = await caches.open(ASSETS);
  const hit = await cache.match(request);
  if (hit) return hit;
  const response = await fetch(request);
  if (response.ok) await cache.put(request, response.clone());
  return response;
}

async function networkFirst(request) {
  const cache = await caches.open(PAGES);
  try {
    const response = await fetch(request);
    if (response.ok) await cache.put(request, response.clone());
    return response;
  } catch (error) {
    const hit = await cache.match(request);
    if (hit) return hit;
    throw error;
  }
}
