/**
 * `GET /api/docs` for real use (issue 18): pages with a cursor, search, sort, no trashed document,
 * and the same `{ docs: [...] }` shape without parameters.
 */
import type { DocListPage } from '@tandem/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { type TestServer, startTestServer } from './test-support/server.js';

let server: TestServer;
afterEach(async () => {
  await server?.dispose();
});

/** Store `count` documents through the server's store, oldest first, titled "Note <n>". */
async function storeDocuments(count: number): Promise<string[]> {
  const names: string[] = [];
  for (let i = 0; i < count; i++) {
    const name = `note-${String(i).padStart(3, '0')}`;
    const doc = new Y.Doc();
    doc.getText('title').insert(0, `Note ${i}`);
    await server.server.store.append([{ name, updates: [Y.encodeStateAsUpdate(doc)], summary: { title: `Note ${i}`, totalBytes: 40 } }]);
    names.push(name);
  }
  return names;
}

async function page(query: string): Promise<DocListPage> {
  const res = await fetch(`${server.httpUrl}/api/docs${query}`);
  expect(res.status, query).toBe(200);
  return (await res.json()) as DocListPage;
}

describe('GET /api/docs', () => {
  it('pages through every document once with the cursor, newest first', async () => {
    server = await startTestServer();
    const names = await storeDocuments(25);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const result: DocListPage = await page(`?limit=10${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(result.docs.length).toBeLessThanOrEqual(10);
      seen.push(...result.docs.map((doc) => doc.name));
      cursor = result.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(new Set(seen).size).toBe(25);
    const times = (await page('?limit=500')).docs.map((doc) => doc.updatedAt);
    expect([...times].sort().reverse()).toEqual(times);
    expect(seen.sort()).toEqual(names);
  });

  it('searches titles, sorts by title, and leaves trashed documents out', async () => {
    server = await startTestServer();
    await storeDocuments(12);
    expect((await page('?q=note 1&sort=title')).docs.map((doc) => doc.title)).toEqual(['Note 1', 'Note 10', 'Note 11']);
    expect((await fetch(`${server.httpUrl}/api/docs/note-010`, { method: 'DELETE' })).status).toBe(200);
    expect((await page('?q=note 1&sort=title')).docs.map((doc) => doc.title)).toEqual(['Note 1', 'Note 11']);
    const all = await page('');
    expect(all.docs).toHaveLength(11);
    expect(all.nextCursor).toBeNull();
    expect(Object.keys(all.docs[0]!).sort()).toEqual(['lastEditedBy', 'name', 'size', 'title', 'updatedAt']);
  });

  it('answers 400 with a reason for a bad sort, limit or cursor', async () => {
    server = await startTestServer();
    for (const query of ['?sort=size', '?limit=0', '?limit=100000', '?cursor=nope']) {
      const res = await fetch(`${server.httpUrl}/api/docs${query}`);
      expect(res.status, query).toBe(400);
      expect(((await res.json()) as { error: string }).error).toMatch(/sort|limit|cursor/);
    }
    expect((await fetch(`${server.httpUrl}/api/docs`, { method: 'POST' })).status).toBe(405);
  });
});
