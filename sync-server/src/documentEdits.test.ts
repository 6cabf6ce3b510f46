/**
 * The document list's edits (issue 18): renaming in place (a server change every editor receives),
 * duplicating, and who last edited each document.
 */
import { readTitle } from '@tandem/document';
import type { DocListPage } from '@tandem/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { bodyText, writeParagraphs } from './test-support/documents.js';
import { type ProviderClient, Peers, waitForSynced } from './test-support/clients.js';
import { type TestServer, startTestServer, waitFor } from './test-support/server.js';
import { TEST_SECRET, mintToken } from './test-support/tokens.js';

let server: TestServer;
const peers = new Peers(() => server.url);
afterEach(async () => {
  peers.closeAll();
  await server?.dispose();
});
const connect = (docName: string, token?: string): ProviderClient => peers.provider(docName, token);

/** A document with a title and paragraphs, written by a stock client and listed. */
async function makeDocument(docName: string, title: string, paragraphs: string[], token?: string): Promise<ProviderClient> {
  const client = connect(docName, token);
  await waitForSynced(client);
  writeParagraphs(client.doc, paragraphs, title);
  await waitFor(async () => (await server.server.store.list()).some((doc) => doc.name === docName && doc.title === title), { what: `${docName} listed` });
  return client;
}

const send = (path: string, method: string, body: unknown, token?: string): Promise<Response> =>
  fetch(`${server.httpUrl}/api/docs/${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });

async function listing(token?: string): Promise<DocListPage['docs']> {
  const res = await fetch(`${server.httpUrl}/api/docs`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  return ((await res.json()) as DocListPage).docs;
}

describe('renaming', () => {
  it('changes the title for everyone connected and in the list', async () => {
    server = await startTestServer();
    const editor = await makeDocument('plans', 'Old name', ['Body']);
    const res = await send('plans/title', 'PUT', { title: '  New name  ' });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ name: 'plans', title: 'New name' });
    await waitFor(() => readTitle(editor.doc) === 'New name', { what: 'the rename reaching the editor' });
    expect(bodyText(editor.doc)).toBe('Body');
    await waitFor(async () => (await listing()).find((doc) => doc.name === 'plans')?.title === 'New name', { what: 'the listing' });
  });

  it('refuses a bad title, a missing or trashed document, and a read token', async () => {
    server = await startTestServer({ authSecret: TEST_SECRET });
    const writer = await mintToken({ doc: 'plans' });
    await makeDocument('plans', 'Name', ['x'], writer);
    expect((await send('plans/title', 'PUT', { title: 7 }, writer)).status).toBe(400);
    expect((await send('plans/title', 'PUT', { title: 'x'.repeat(201) }, writer)).status).toBe(400);
    expect((await send('plans/title', 'POST', { title: 'x' }, writer)).status).toBe(405);
    expect((await send('plans/title', 'PUT', { title: 'x' }, await mintToken({ doc: 'plans', access: 'read' }))).status).toBe(403);
    expect((await send('nothing/title', 'PUT', { title: 'x' }, await mintToken({ doc: 'nothing' }))).status).toBe(404);
    expect((await send('plans', 'DELETE', undefined, writer)).status).toBe(200);
    expect((await send('plans/title', 'PUT', { title: 'x' }, writer)).status).toBe(410);
  });
});

describe('duplicating', () => {
  it('makes a new document with the same text, " (copy)" after the title, and the images beside it', async () => {
    server = await startTestServer();
    const original = await makeDocument('source', 'Plans', ['One', 'Two']);
    await server.server.store.putRecord('source', 'file', 'abc123', new Uint8Array([9, 9]));
    const res = await send('source/duplicate', 'POST', { name: 'source-copy' });
    expect(res.status).toBe(201);
    expect(await res.json()).toEqual({ name: 'source-copy', title: 'Plans (copy)' });

    const copy = connect('source-copy');
    await waitForSynced(copy);
    expect(bodyText(copy.doc)).toBe('One\nTwo');
    expect(readTitle(copy.doc)).toBe('Plans (copy)');
    expect([...((await server.server.store.getRecord('source-copy', 'file', 'abc123')) ?? [])]).toEqual([9, 9]);
    expect((await listing()).map((doc) => [doc.name, doc.title]).sort()).toEqual([['source', 'Plans'], ['source-copy', 'Plans (copy)']]);
    // They are two documents now.
    copy.doc.getText('title').insert(0, 'My ');
    writeParagraphs(copy.doc, ['Changed'], 'My Plans (copy)');
    await waitFor(async () => (await listing()).some((doc) => doc.title === 'My Plans (copy)'), { what: 'the copy edited' });
    expect(bodyText(original.doc)).toBe('One\nTwo');
  });

  it('refuses a name that is taken, in the trash or invalid, and a token that does not cover the copy', async () => {
    server = await startTestServer({ authSecret: TEST_SECRET });
    const team = await mintToken({ doc: 'team-*' });
    await makeDocument('team-a', 'A', ['a'], team);
    await makeDocument('team-b', 'B', ['b'], team);
    expect((await send('team-a/duplicate', 'POST', { name: 'team-b' }, team)).status).toBe(409);
    expect((await send('team-b', 'DELETE', undefined, team)).status).toBe(200);
    expect((await send('team-a/duplicate', 'POST', { name: 'team-b' }, team)).status).toBe(409);
    expect((await send('team-a/duplicate', 'POST', { name: 'bad name' }, team)).status).toBe(400);
    expect((await send('team-a/duplicate', 'POST', { name: 'elsewhere' }, team)).status).toBe(403);
    expect((await send('team-a/duplicate', 'POST', { name: 'team-c' }, await mintToken({ doc: 'team-*', access: 'read' }))).status).toBe(403);
    expect((await send('team-z/duplicate', 'POST', { name: 'team-c' }, team)).status).toBe(404);
  });
});

describe('who last edited', () => {
  it('is the token’s name, else its sub', async () => {
    server = await startTestServer({ authSecret: TEST_SECRET });
    const all = await mintToken({ doc: '*', access: 'read' });
    const ada = await makeDocument('shared', 'Shared', ['by Ada'], await mintToken({ sub: 'u-ada', name: 'Ada', doc: 'shared' }));
    await waitFor(async () => (await listing(all))[0]?.lastEditedBy === 'Ada', { what: 'Ada recorded' });
    const bob = connect('shared', await mintToken({ sub: 'u-bob', doc: 'shared' }));
    await waitForSynced(bob);
    writeParagraphs(bob.doc, ['by Bob']);
    await waitFor(async () => (await listing(all))[0]?.lastEditedBy === 'u-bob', { what: 'Bob recorded by his sub' });
    ada.destroy();
  });

  it('is the presence name in open mode', async () => {
    server = await startTestServer();
    const client = connect('open-doc');
    client.provider.awareness.setLocalStateField('user', { name: 'Grace', color: '#30a46c' });
    await waitForSynced(client);
    // The server names the editor by the presence it has: wait for it, then edit.
    await waitFor(() => server.server.rooms.get('open-doc')?.currentPresence?.awareness.getStates().size === 1, { what: 'presence at the server' });
    writeParagraphs(client.doc, ['hello']);
    await waitFor(async () => (await listing())[0]?.lastEditedBy === 'Grace', { what: 'Grace recorded' });
  });
});
