/**
 * Revoking one document's share links (issue 18): rotating a link's generation refuses the tokens
 * minted from the old one — new connections with HTTP 403, open ones closed with 4411 — and leaves
 * the document's other link and every other document alone.
 */
import { CloseCode, type DocStatus, type LinkGenerations } from '@tandem/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { type ProviderClient, connectProvider, upgradeStatus, waitForSynced } from './test-support/clients.js';
import { type TestServer, rejectedCount, startTestServer, waitFor } from './test-support/server.js';
import { TEST_SECRET, mintToken } from './test-support/tokens.js';

let server: TestServer;
const clients: ProviderClient[] = [];

afterEach(async () => {
  for (const client of clients.splice(0)) client.destroy();
  await server?.dispose();
});

async function synced(docName: string, token: string): Promise<ProviderClient> {
  const client = connectProvider(server.url, docName, { params: { token } });
  clients.push(client);
  await waitForSynced(client);
  return client;
}

/** A token minted from `doc`'s `purpose` link at `generation`. */
const linkToken = (doc: string, purpose: 'read' | 'write', generation: number): Promise<string> =>
  mintToken({ doc, access: purpose, link: { purpose, generation } });

const rotate = (doc: string, purpose: string, token: string): Promise<Response> =>
  fetch(`${server.httpUrl}/api/docs/${doc}/links/${purpose}/rotate`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });

const status = (doc: string, token: string): Promise<Response> => fetch(`${server.httpUrl}/api/docs/${doc}`, { headers: { authorization: `Bearer ${token}` } });

describe('rotating a share link', () => {
  it('closes the old view link’s connections with 4411 and refuses it, while the edit link and other documents go on', async () => {
    server = await startTestServer({ authSecret: TEST_SECRET });
    const owner = await mintToken({ doc: 'plans' });
    const editor = await synced('plans', await linkToken('plans', 'write', 0));
    const oldView = await linkToken('plans', 'read', 0);
    const viewer = await synced('plans', oldView);
    const otherView = await linkToken('other', 'read', 0);
    const otherViewer = await synced('other', otherView);
    const viewerClosed = new Promise<{ code: number }>((resolve) => viewer.provider.once('closed', resolve));

    const res = await rotate('plans', 'read', owner);
    expect(res.status).toBe(200);
    expect((await res.json()) as LinkGenerations).toEqual({ read: 1, write: 0 });

    expect((await viewerClosed).code).toBe(CloseCode.LinkRevoked.code);
    expect(viewer.provider.shouldConnect).toBe(false);
    expect(await upgradeStatus(server.url, `/plans?token=${oldView}`)).toBe(403);
    expect(await upgradeStatus(server.url, `/plans?token=${await linkToken('plans', 'read', 1)}`)).toBe(101);
    expect(await upgradeStatus(server.url, `/other?token=${otherView}`)).toBe(101);
    expect(await rejectedCount(server, 'link-revoked')).toBeGreaterThan(0);

    // The edit link's connection and the other document's viewer are still in, and still in sync.
    editor.text.insert(0, 'still editing');
    const later = await synced('plans', await linkToken('plans', 'read', 1));
    await waitFor(() => later.text.toString() === 'still editing', { what: 'the edit reaching a new viewer' });
    expect(editor.provider.wsconnected && otherViewer.provider.wsconnected).toBe(true);
  });

  it('the status names the generations; a token of a rotated link may not read it, a token without a link may', async () => {
    server = await startTestServer({ authSecret: TEST_SECRET });
    const owner = await mintToken({ doc: 'plans' });
    const oldEdit = await linkToken('plans', 'write', 0);
    expect(((await (await status('plans', oldEdit)).json()) as DocStatus).links).toEqual({ read: 0, write: 0 });
    expect((await rotate('plans', 'write', oldEdit)).status).toBe(200);
    expect((await status('plans', oldEdit)).status).toBe(403);
    // Every document API, the version history's too.
    const versions = await fetch(`${server.httpUrl}/api/docs/plans/versions`, { headers: { authorization: `Bearer ${oldEdit}` } });
    expect(versions.status).toBe(403);
    expect(await versions.json()).toEqual({ error: 'this link was revoked' });
    expect((await rotate('plans', 'write', oldEdit)).status).toBe(403);
    expect(((await (await status('plans', owner)).json()) as DocStatus)).toEqual({ name: 'plans', trash: null, links: { read: 0, write: 1 } });
    expect(((await (await status('other', await mintToken({ doc: 'other' }))).json()) as DocStatus).links).toEqual({ read: 0, write: 0 });
  });

  it('needs a write token covering the document, and a link that exists', async () => {
    server = await startTestServer({ authSecret: TEST_SECRET });
    expect((await fetch(`${server.httpUrl}/api/docs/plans/links/read/rotate`, { method: 'POST' })).status).toBe(401);
    expect((await rotate('plans', 'read', await mintToken({ doc: 'plans', access: 'read' }))).status).toBe(403);
    expect((await rotate('plans', 'read', await mintToken({ doc: 'other' }))).status).toBe(403);
    expect((await rotate('plans', 'admin', await mintToken({ doc: 'plans' }))).status).toBe(404);
    expect((await fetch(`${server.httpUrl}/api/docs/plans/links/read/rotate`, { headers: { authorization: `Bearer ${await mintToken()}` } })).status).toBe(405);
  });

  it('refuses a token whose link claim is malformed', async () => {
    server = await startTestServer({ authSecret: TEST_SECRET });
    const bad = await mintToken({ doc: 'plans', link: { purpose: 'read', generation: -1 } });
    expect(await upgradeStatus(server.url, `/plans?token=${bad}`)).toBe(401);
  });
});
