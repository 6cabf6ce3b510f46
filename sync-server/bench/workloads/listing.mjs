// The document list at 10,000 documents (`npm run bench -- listing`, not part of a plain run):
// how long `GET /api/docs` takes for a page — first, deep in the list by cursor, by title, searched —
// and for the trash, against the cheapest HTTP answer the same server gives (/healthz).
import { LevelDocStore } from '../../dist/storage/LevelDocStore.js';
import { startServer, stopServer, removeDir, makeTempDir, cpuSeconds } from '../servers.mjs';
import { median, quantile } from '../lib/stats.mjs';
import { num } from '../table.mjs';

export const LISTING_FULL = { docs: 10_000, trashed: 100, samples: 60 };
export const LISTING_QUICK = { docs: 500, trashed: 10, samples: 10 };

const WORDS = ['plans', 'notes', 'review', 'draft', 'minutes', 'launch', 'budget', 'roadmap', 'retro', 'ideas', 'spec', 'report'];

/** Write `count` documents straight into a LevelDB data dir, as the server stores them (an update and a listing summary each). */
async function fillStore(dataDir, count) {
  const store = await LevelDocStore.open(dataDir);
  try {
    for (let i = 0; i < count; i += 500) {
      const appends = [];
      for (let j = i; j < Math.min(count, i + 500); j++) {
        const title = `${WORDS[j % WORDS.length]} ${WORDS[(j * 7) % WORDS.length]} ${j}`;
        appends.push({ name: `doc-${String(j).padStart(5, '0')}`, updates: [new Uint8Array([0, 0])], summary: { title, totalBytes: 2048 + (j % 997) } });
      }
      await store.append(appends);
    }
  } finally {
    await store.close();
  }
}

/** Milliseconds for each of `samples` requests of `path` (one at a time); every answer must be 200. */
async function time(server, path, samples) {
  const ms = [];
  for (let i = 0; i < samples; i++) {
    const t0 = performance.now();
    const res = await fetch(`${server.httpUrl}${path}`);
    const body = await res.text();
    ms.push(performance.now() - t0);
    if (!res.ok) throw new Error(`${path}: ${res.status} ${body.slice(0, 200)}`);
  }
  return ms;
}

/** The cursors of every page of `limit` (walking the whole list), and how long each page took. */
async function walk(server, limit) {
  const cursors = [];
  const ms = [];
  let cursor = null;
  do {
    const t0 = performance.now();
    const res = await fetch(`${server.httpUrl}/api/docs?limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`);
    const page = await res.json();
    ms.push(performance.now() - t0);
    cursor = page.nextCursor;
    if (cursor) cursors.push(cursor);
  } while (cursor);
  return { cursors, ms };
}

export async function listing({ quick, log }) {
  const size = quick ? LISTING_QUICK : LISTING_FULL;
  const dataDir = await makeTempDir('listing');
  log(`writing ${size.docs} documents`);
  await fillStore(dataDir, size.docs);
  const server = await startServer('tandem', { dataDir });
  try {
    for (let i = 0; i < size.trashed; i++) {
      const res = await fetch(`${server.httpUrl}/api/docs/doc-${String(i * 13).padStart(5, '0')}`, { method: 'DELETE' });
      if (!res.ok) throw new Error(`trashing: ${res.status}`);
    }
    // Warm up: V8 compiles the listing code on the first requests.
    await time(server, '/api/docs?limit=50', 10);
    const cpu0 = cpuSeconds(server.pid);
    log('walking the list');
    const walked = await walk(server, 50);
    const middle = walked.cursors[Math.floor(walked.cursors.length / 2)];
    const rows = [];
    const measure = async (label, path) => {
      const ms = await time(server, path, size.samples);
      rows.push([label, num(median(ms), 1), num(quantile(ms, 0.99), 1)]);
    };
    await measure('/healthz (the HTTP floor)', '/healthz');
    await measure('first page of 50, last edited first', '/api/docs?limit=50');
    await measure('a page of 50 in the middle (cursor)', `/api/docs?limit=50&cursor=${middle}`);
    await measure('first page of 50 by title', '/api/docs?limit=50&sort=title');
    await measure('search "roadmap", first page', '/api/docs?limit=50&q=roadmap');
    await measure('one page of 500 (the most a page holds)', '/api/docs?limit=500');
    await measure(`the trash (${size.trashed} documents), first page`, '/api/trash?limit=50');
    const cpuPerRequest = ((cpuSeconds(server.pid) - cpu0) * 1e6) / (walked.ms.length + rows.length * size.samples);
    return {
      title: `Document list (${size.docs.toLocaleString('en-US')} documents)`,
      notes: [
        `${size.docs.toLocaleString('en-US')} documents written into the LevelDB data dir before the server starts (an update and a listing summary each, titles of three words), ${size.trashed} of them moved to the trash through the API. Each figure is ${size.samples} requests one after another from this process (time to the whole body), after 10 warm-up requests. Every page is cut from the whole listing (DocStore.list, then the trash left out, searched, sorted) per request: the cost grows with the number of documents, not with the page. Walking the whole list by cursor took ${walked.ms.length} pages of 50, ${num(median(walked.ms), 1)} ms each (median), ${num(walked.ms.reduce((a, b) => a + b, 0) / 1000, 2)} s in all; server CPU over the measured requests: ${num(cpuPerRequest / 1000, 1)} ms per request.`,
      ],
      tables: [{ headers: ['request', 'median ms', 'p99 ms'], rows }],
    };
  } finally {
    await stopServer(server);
    await removeDir(dataDir);
  }
}
