/**
 * Restore, end to end against a real LevelDB and stock y-websocket clients: the document takes a
 * version's content as a new forward update from the server, which every connected client applies
 * like any other (no reload, no reconnect), while someone keeps typing.
 */
import { readTitle } from '@tandem/document';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { type ProviderClient, connectProvider, waitForSynced } from '../test-support/clients.js';
import { VersionApi, bodyText, paragraphText, writeParagraphs } from '../test-support/documents.js';
import { type TestServer, startTestServer, waitFor } from '../test-support/server.js';

let server: TestServer;
const clients: ProviderClient[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) client.destroy();
  await server.dispose();
});

/** A stock provider that counts how often it lost its connection. */
function open(docName: string, name: string): ProviderClient & { disconnects: () => number } {
  const client = connectProvider(server.url, docName);
  client.provider.awareness.setLocalStateField('user', { name, color: '#30a46c' });
  let disconnects = 0;
  client.provider.on('status', ({ status }: { status: string }) => void (status === 'disconnected' && disconnects++));
  clients.push(client);
  return Object.assign(client, { disconnects: () => disconnects });
}

const serverDoc = (docName: string): Y.Doc | undefined => server.server.rooms.all().find((room) => room.name === docName)?.doc;

describe('restoring a version', () => {
  it('reaches both connected clients as an update while one keeps typing: both end with the version plus what was typed after', async () => {
    server = await startTestServer();
    const api = new VersionApi(server.httpUrl);
    const ada = open('live', 'Ada');
    const bob = open('live', 'Bob');
    await Promise.all([waitForSynced(ada), waitForSynced(bob)]);
    writeParagraphs(ada.doc, ['Alpha', 'Beta'], 'V1');
    await waitFor(() => bodyText(bob.doc) === 'Alpha\nBeta', { what: 'bob has the first version' });
    const v1 = await api.name('live', 'First');

    writeParagraphs(bob.doc, ['Alpha', 'Beta changed', 'Gamma'], 'V2');
    paragraphText(ada.doc, 0).insert('Alpha'.length, '123');
    const second = 'Alpha123\nBeta changed\nGamma';
    await waitFor(() => bodyText(serverDoc('live')!) === second && bodyText(bob.doc) === second, { what: 'server and bob have the second state' });

    // Bob types into the first paragraph all along; the restore arrives in the middle of it.
    let typing = true;
    const typist = (async () => {
      while (typing) {
        const text = paragraphText(bob.doc, 0);
        text.insert(text.length, 'x');
        await new Promise((resolve) => setTimeout(resolve, 3)); // a keystroke every few milliseconds
      }
    })();
    await waitFor(() => bodyText(serverDoc('live')!).includes('x'), { what: 'bob’s typing has reached the server' });
    const { restored, beforeRestore } = await api.restore('live', v1);
    expect(restored).toBe(v1);
    await waitFor(() => !bodyText(bob.doc).includes('Gamma'), { what: 'bob sees the restore' });
    typing = false;
    await typist;
    const first = paragraphText(bob.doc, 0);
    first.insert(first.length, 'AFTER');

    await waitFor(() => bodyText(ada.doc) === bodyText(bob.doc) && bodyText(ada.doc).endsWith('AFTER\nBeta'), { what: 'both converge' });
    expect(bodyText(bob.doc)).toMatch(/^Alphax*AFTER\nBeta$/);
    expect(readTitle(ada.doc)).toBe('V1');
    expect(readTitle(bob.doc)).toBe('V1');
    expect([ada.disconnects(), bob.disconnects()]).toEqual([0, 0]);

    // The before-restore checkpoint holds what was there, and restoring it undoes the restore.
    const before = (await api.list('live')).find((v) => v.id === beforeRestore)!;
    expect(before.kind).toBe('before-restore');
    const saved = await api.text('live', beforeRestore);
    expect(saved).toMatch(/^Alpha123x*\nBeta changed\nGamma$/);
    await api.restore('live', beforeRestore);
    await waitFor(() => bodyText(ada.doc) === saved && bodyText(bob.doc) === saved, { what: 'the restore undone for both' });
    expect(readTitle(bob.doc)).toBe('V2');
  });

  it('keeps words typed offline into a paragraph the restore removed (as a restored paragraph)', async () => {
    server = await startTestServer();
    const api = new VersionApi(server.httpUrl);
    const ada = open('offline', 'Ada');
    await waitForSynced(ada);
    writeParagraphs(ada.doc, ['Kept']);
    await waitFor(() => serverDoc('offline') !== undefined && bodyText(serverDoc('offline')!) === 'Kept', { what: 'stored' });
    const v1 = await api.name('offline', 'One paragraph');
    writeParagraphs(ada.doc, ['Kept', 'Later']);
    await waitFor(() => bodyText(serverDoc('offline')!) === 'Kept\nLater', { what: 'second paragraph stored' });

    // Bob copies the document, goes offline, and types into "Later", which the restore then removes.
    const bobDoc = new Y.Doc();
    Y.applyUpdate(bobDoc, Y.encodeStateAsUpdate(ada.doc));
    paragraphText(bobDoc, 1).insert('Later'.length, ' and offline words');
    await api.restore('offline', v1);
    await waitFor(() => bodyText(ada.doc) === 'Kept', { what: 'ada has the restore' });
    const bob = connectProvider(server.url, 'offline', { doc: bobDoc });
    clients.push(bob);
    await waitFor(() => bodyText(ada.doc) === bodyText(bobDoc) && bodyText(ada.doc).includes('offline words'), { what: 'bob’s words kept for both' });
    expect(bodyText(ada.doc)).toBe('Kept\nand offline words');
    expect((ada.doc.getXmlFragment('prosemirror').get(1) as Y.XmlElement).getAttribute('restored')).toBe(true);
  });

  it('works on a document nobody has open, which is stored restored and unloaded again', async () => {
    server = await startTestServer();
    const api = new VersionApi(server.httpUrl);
    const writer = open('closed', 'Ada');
    await waitForSynced(writer);
    writeParagraphs(writer.doc, ['Old text'], 'Old');
    await waitFor(() => serverDoc('closed') !== undefined && bodyText(serverDoc('closed')!) === 'Old text', { what: 'stored' });
    const old = await api.name('closed', 'Old');
    writeParagraphs(writer.doc, ['New text'], 'New');
    clients.splice(0).forEach((client) => client.destroy());
    await waitFor(() => !server.server.rooms.has('closed'), { what: 'unloaded' });

    await api.restore('closed', old);
    await waitFor(() => !server.server.rooms.has('closed'), { what: 'unloaded after the restore' });
    const reader = open('closed', 'Bob');
    await waitForSynced(reader);
    expect(bodyText(reader.doc)).toBe('Old text');
    expect(readTitle(reader.doc)).toBe('Old');
    const kinds = (await api.list('closed')).map((v) => v.kind);
    expect(kinds).toEqual(['before-restore', 'auto', 'named']);
  });
});
