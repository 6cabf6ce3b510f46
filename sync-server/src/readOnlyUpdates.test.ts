/**
 * Issue 13, item 9: a viewer's sync step 2 that carries nothing new is neither logged nor counted;
 * only a real attempt to change the document is.
 */
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { changesDocument } from './readOnlyUpdates.js';
import { type ProviderClient, connectProvider, connectRaw, waitForSynced } from './test-support/clients.js';
import { step2Frame } from './test-support/frames.js';
import { type TestServer, rejectedCount, startTestServer, waitFor } from './test-support/server.js';
import { TEST_SECRET, mintToken } from './test-support/tokens.js';
import { validateUpdate } from './updateGuard.js';

/** A document with text, formatting-free deletions, and a deleted map entry, plus a viewer's copy of it. */
function documentAndCopy(gc: boolean): { doc: Y.Doc; copy: Y.Doc } {
  const doc = new Y.Doc({ gc });
  const text = doc.getText('text');
  text.insert(0, 'hello brave new world');
  text.delete(6, 6); // "brave "
  doc.getMap('meta').set('title', 'first');
  doc.getMap('meta').set('title', 'second');
  const copy = new Y.Doc();
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
  return { doc, copy };
}
/** What a stock client sends back to the server's sync step 1: everything it has beyond the server's state vector. */
const stepTwo = (from: Y.Doc, to: Y.Doc): ReturnType<typeof validateUpdate> => validateUpdate(Y.encodeStateAsUpdate(from, Y.encodeStateVector(to)));

describe('whether an update would change a document', () => {
  it.each([true, false])('a viewer that changed nothing changes nothing (gc %s), although its step 2 holds its whole delete set', (gc) => {
    const { doc, copy } = documentAndCopy(gc);
    const update = stepTwo(copy, doc);
    expect(update.ds.clients.size).toBeGreaterThan(0);
    expect(changesDocument(doc, update)).toBe(false);
  });

  it('an insertion changes it', () => {
    const { doc, copy } = documentAndCopy(true);
    copy.getText('text').insert(0, '!');
    expect(changesDocument(doc, stepTwo(copy, doc))).toBe(true);
  });

  it('a deletion of text the document still has changes it, even with no new struct', () => {
    const { doc, copy } = documentAndCopy(true);
    const before = Y.encodeStateVector(copy);
    copy.getText('text').delete(0, 1);
    expect(Y.encodeStateVector(copy)).toEqual(before);
    expect(changesDocument(doc, stepTwo(copy, doc))).toBe(true);
  });

  it('a deletion of something the document does not hold yet changes it', () => {
    const { doc } = documentAndCopy(true);
    const other = new Y.Doc();
    other.getText('text').insert(0, 'elsewhere');
    other.getText('text').delete(0, 4);
    const deletionsOnly = Y.encodeStateAsUpdate(other, Y.encodeStateVector(other)); // the delete set, no structs
    expect(changesDocument(doc, validateUpdate(deletionsOnly))).toBe(true);
  });

  it('a replayed update the document already holds changes nothing', () => {
    const { doc } = documentAndCopy(true);
    expect(changesDocument(doc, validateUpdate(Y.encodeStateAsUpdate(doc)))).toBe(false);
  });
});

describe('read-only visitors', () => {
  let server: TestServer;
  const clients: ProviderClient[] = [];
  afterEach(async () => {
    for (const client of clients.splice(0)) client.destroy();
    await server.dispose();
  });
  const connect = (token: string): ProviderClient => {
    const client = connectProvider(server.url, 'doc', { params: { token } });
    clients.push(client);
    return client;
  };
  const rejectedReadOnly = (): Promise<number> => rejectedCount(server, 'read-only');
  const warnings = (): number => server.logs.filter((l) => l.msg === 'dropped document update from a read-only connection').length;

  it('that only read log no warning and count as no rejection; a real attempt does, once per connection', async () => {
    server = await startTestServer({ authSecret: TEST_SECRET });
    const writer = connect(await mintToken({ sub: 'w', doc: 'doc' }));
    await waitForSynced(writer);
    writer.text.insert(0, 'hello brave new world');
    writer.text.delete(6, 6);
    const viewers: ProviderClient[] = [];
    for (let i = 0; i < 5; i++) viewers.push(connect(await mintToken({ sub: `v${i}`, doc: 'doc', access: 'read' })));
    await waitFor(() => viewers.every((v) => v.provider.synced && v.text.toString() === 'hello new world'), { what: 'viewers synced' });
    // Every viewer's step 2 (with its delete set) has reached the server.
    const room = server.server.rooms.all()[0]!;
    const viewerConnections = () => [...room.connections].filter((conn) => conn.identity.readOnly);
    await waitFor(() => viewerConnections().length === 5 && viewerConnections().every((conn) => room.changeCountOf(conn) >= 1), { what: 'every step 2 received' });
    expect(await rejectedReadOnly()).toBe(0);
    expect(warnings()).toBe(0);

    // A modified viewer that deletes text: refused, counted each time, logged once.
    const attacker = await connectRaw(server.url, `doc?token=${await mintToken({ sub: 'm', doc: 'doc', access: 'read' })}`);
    const forged = new Y.Doc();
    Y.applyUpdate(forged, Y.encodeStateAsUpdate(writer.doc));
    forged.getText('text').delete(0, 6);
    const deletion = Y.encodeStateAsUpdate(forged, Y.encodeStateVector(writer.doc));
    attacker.send(step2Frame(deletion));
    attacker.send(step2Frame(deletion));
    await waitFor(async () => (await rejectedReadOnly()) === 2, { what: 'two refusals counted' });
    expect(warnings()).toBe(1);
    expect(writer.text.toString()).toBe('hello new world');
    attacker.socket.terminate();
  });
});
