/**
 * Checkpoints taken by the server on its own, against a real LevelDB and real sockets: when
 * editing pauses, when a changed document is unloaded, never twice for the same content, with the
 * people whose edits went into them.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { VERSION_STATE_KIND } from './VersionStore.js';
import { Peers, type ProviderClient, connectProvider, waitForSynced } from '../test-support/clients.js';
import { VersionApi, bodyText, paragraphText, writeParagraphs } from '../test-support/documents.js';
import { type TestServer, startTestServer, waitFor } from '../test-support/server.js';
import { TEST_SECRET, mintToken } from '../test-support/tokens.js';

let server: TestServer;
const clients: ProviderClient[] = [];
const peers = new Peers(() => server.url);
afterEach(async () => {
  for (const client of clients.splice(0)) client.destroy();
  peers.closeAll();
  await server.dispose();
});

/** A stock provider that shows presence with `name`, as the app does. */
function open(docName: string, name: string): ProviderClient {
  const client = connectProvider(server.url, docName);
  client.provider.awareness.setLocalStateField('user', { name, color: '#3e63dd' });
  clients.push(client);
  return client;
}

/** {@link open}, once synced. */
async function openSynced(docName: string, name: string): Promise<ProviderClient> {
  const client = open(docName, name);
  await waitForSynced(client);
  return client;
}

/** Wait until the server's copy of the (only) open document holds one paragraph. */
const serverHasTheEdit = (): Promise<unknown> =>
  waitFor(() => server.server.rooms.all()[0]?.doc.getXmlFragment('prosemirror').length === 1, { what: 'server has the edit' });

async function closeAndUnload(docName: string, ...closing: ProviderClient[]): Promise<void> {
  for (const client of closing) {
    clients.splice(clients.indexOf(client), 1);
    client.destroy();
  }
  await waitFor(() => !server.server.rooms.has(docName), { what: `${docName} unloaded` });
}

describe('automatic checkpoints', () => {
  it('are taken once editing has paused, with the presence names of who edited (open mode)', async () => {
    server = await startTestServer({ versionPauseMs: 300 });
    const api = new VersionApi(server.httpUrl);
    const ada = open('paused', 'Ada');
    const bob = open('paused', 'Bob');
    await Promise.all([waitForSynced(ada), waitForSynced(bob)]);
    writeParagraphs(ada.doc, ['First draft'], 'Plan');
    await waitFor(() => bodyText(bob.doc) === 'First draft', { what: 'bob has the draft' });
    paragraphText(bob.doc, 0).insert('First draft'.length, ', reviewed');

    const version = (await waitFor(async () => (await api.list('paused'))[0], { what: 'a checkpoint' }))!;
    expect(version).toMatchObject({ kind: 'auto', authors: [{ name: 'Ada' }, { name: 'Bob' }] });
    expect(version!.bytes).toBeGreaterThan(0);
    expect(await api.text('paused', version!.id)).toBe('First draft, reviewed');
    // Nothing changed since: the next pause takes no checkpoint (the unload neither).
    await closeAndUnload('paused', ada, bob);
    expect(await api.list('paused')).toHaveLength(1);
  });

  it('are taken when a changed document is unloaded, and not for one nobody changed', async () => {
    server = await startTestServer({ versionPauseMs: 3_600_000 });
    const api = new VersionApi(server.httpUrl);
    const ada = await openSynced('unloaded', 'Ada');
    writeParagraphs(ada.doc, ['Kept at unload']);
    await serverHasTheEdit();
    expect(await api.list('unloaded')).toEqual([]);
    await closeAndUnload('unloaded', ada);
    const versions = await api.list('unloaded');
    expect(versions).toMatchObject([{ kind: 'auto', authors: [{ name: 'Ada' }] }]);
    expect(await api.text('unloaded', versions[0]!.id)).toBe('Kept at unload');

    const reader = await openSynced('unloaded', 'Ada');
    await closeAndUnload('unloaded', reader);
    expect(await api.list('unloaded')).toHaveLength(1);
  });

  it('are not kept when the content is the newest version’s, even if the Yjs state differs', async () => {
    server = await startTestServer({ versionPauseMs: 3_600_000 });
    const api = new VersionApi(server.httpUrl);
    const ada = await openSynced('same', 'Ada');
    writeParagraphs(ada.doc, ['Same words']);
    await closeAndUnload('same', ada);
    expect(await api.list('same')).toHaveLength(1);

    const again = await openSynced('same', 'Ada');
    paragraphText(again.doc, 0).insert(4, ' typo');
    paragraphText(again.doc, 0).delete(4, 5);
    await waitFor(() => server.server.store.load('same').then((stored) => stored.logCount > 0 || stored.updates.length > 1), { what: 'edits stored' });
    await closeAndUnload('same', again);
    expect(await api.list('same')).toHaveLength(1);
  });
});

describe('named versions', () => {
  it('share the stored state of identical content: a second name costs a description, not a copy', async () => {
    server = await startTestServer();
    const api = new VersionApi(server.httpUrl);
    const ada = await openSynced('twice', 'Ada');
    writeParagraphs(ada.doc, ['Ready to send'], 'Offer');
    await serverHasTheEdit();
    const first = await api.name('twice', 'Sent to client');
    const second = await api.name('twice', 'Signed');
    const versions = await api.list('twice');
    expect(versions.map((v) => [v.id, v.kind, v.label])).toEqual([
      [second, 'named', 'Signed'],
      [first, 'named', 'Sent to client'],
    ]);
    expect(versions[0]!.bytes).toBe(versions[1]!.bytes);
    expect(await server.server.store.listRecords('twice', VERSION_STATE_KIND)).toHaveLength(1);
    // Who edited goes to the first version after the edits; the second had no edits of its own.
    expect(versions[1]!.authors).toEqual([{ name: 'Ada' }]);
    expect(versions[0]!.authors).toEqual([]);
  });

  it('name the token holders whose edits went into them (auth mode: sub and name)', async () => {
    server = await startTestServer({ authSecret: TEST_SECRET });
    const ada = peers.provider('team', await mintToken({ sub: 'u-ada', name: 'Ada Lovelace' }));
    const bob = peers.provider('team', await mintToken({ sub: 'u-bob' }));
    bob.provider.awareness.setLocalStateField('user', { name: 'Bob (presence)', color: '#e5484d' });
    await Promise.all([waitForSynced(ada), waitForSynced(bob)]);
    writeParagraphs(ada.doc, ['Ada wrote this']);
    await waitFor(() => bodyText(bob.doc) === 'Ada wrote this', { what: 'bob has it' });
    paragraphText(bob.doc, 0).insert(0, 'Bob: ');
    await waitFor(() => server.server.rooms.all()[0] !== undefined && bodyText(server.server.rooms.all()[0]!.doc) === 'Bob: Ada wrote this', { what: 'server has both' });

    const api = new VersionApi(server.httpUrl, await mintToken({ sub: 'u-ada', doc: 'team' }));
    await api.name('team', 'Both of us');
    paragraphText(bob.doc, 0).insert(0, '!');
    await waitFor(() => bodyText(server.server.rooms.all()[0]!.doc).startsWith('!'), { what: 'server has bob’s second edit' });
    await api.name('team', 'Only Bob');
    const [onlyBob, both] = await api.list('team');
    expect(both!.authors).toEqual([{ id: 'u-ada', name: 'Ada Lovelace' }, { id: 'u-bob', name: 'Bob (presence)' }]);
    expect(onlyBob!.authors).toEqual([{ id: 'u-bob', name: 'Bob (presence)' }]);
  });
});
