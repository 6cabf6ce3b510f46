import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { type ProviderClient, connectProvider, waitForSynced } from './test-support/clients.js';
import { type TestServer, startTestServer, waitFor } from './test-support/server.js';

let server: TestServer;
const clients: ProviderClient[] = [];
const connect = (docName: string): ProviderClient => {
  const client = connectProvider(server.url, docName);
  clients.push(client);
  return client;
};

beforeEach(async () => {
  server = await startTestServer();
});
afterEach(async () => {
  for (const client of clients.splice(0)) client.destroy();
  await server.dispose();
});

describe('syncing with the stock y-websocket client', () => {
  it('two clients converge on concurrent edits', async () => {
    const a = connect('shared');
    const b = connect('shared');
    await Promise.all([waitForSynced(a), waitForSynced(b)]);
    a.text.insert(0, 'hello ');
    b.text.insert(0, 'world ');
    for (let i = 0; i < 50; i++) { const t = (i % 2 ? a : b).text; t.insert(t.length, String(i % 10)); }
    await waitFor(() => a.text.toString() === b.text.toString() && a.text.length === 62, { what: 'convergence' });
    expect(a.text.toString()).toContain('hello');
    expect(b.text.toString()).toContain('world');
  });

  it('documents with different names stay apart', async () => {
    const a = connect('doc-a');
    const b = connect('doc-b');
    await Promise.all([waitForSynced(a), waitForSynced(b)]);
    a.text.insert(0, 'only in a');
    const a2 = connect('doc-a');
    await waitFor(() => a2.text.toString() === 'only in a', { what: 'second client of doc-a' });
    expect(b.text.toString()).toBe('');
  });

  it('a client that joins later receives everything written before', async () => {
    const writer = connect('later');
    await waitForSynced(writer);
    writer.text.insert(0, 'x'.repeat(1000));
    const reader = connect('later');
    await waitForSynced(reader);
    await waitFor(() => reader.text.length === 1000, { what: 'late reader has the text' });
  });

  it('a document outlives the server: stop, start on the same data dir, read it back', async () => {
    const writer = connect('persisted');
    await waitForSynced(writer);
    writer.text.insert(0, 'kept on disk');
    const watcher = connect('persisted');
    await waitFor(() => watcher.text.toString() === 'kept on disk', { what: 'relay' });
    for (const client of clients.splice(0)) client.destroy();
    await server.stop();
    server = await startTestServer({ dataDir: server.dataDir });
    const reader = connect('persisted');
    await waitForSynced(reader);
    expect(reader.text.toString()).toBe('kept on disk');
  });
});

describe('load before serve', () => {
  it('many clients connecting at once to a cold document all get its full content with their first sync', async () => {
    const seed = connect('cold');
    await waitForSynced(seed);
    seed.text.insert(0, 'c'.repeat(5000));
    const seedObserver = connect('cold');
    await waitFor(() => seedObserver.text.length === 5000, { what: 'seed stored' });
    for (const client of clients.splice(0)) client.destroy();
    await waitFor(() => server.server.rooms.size === 0, { what: 'document unloaded' });

    const lengthsAtFirstSync: number[] = [];
    const many = Array.from({ length: 40 }, () => {
      const client = connect('cold');
      client.provider.once('sync', () => lengthsAtFirstSync.push(client.text.length));
      return client;
    });
    await waitFor(() => lengthsAtFirstSync.length === many.length, { what: 'all synced', timeoutMs: 10_000 });
    expect(lengthsAtFirstSync.every((n) => n === 5000)).toBe(true);
  });
});

describe('unload', () => {
  it('a document is dropped from memory when its last connection closes, and loads again whole', async () => {
    const a = connect('transient');
    await waitForSynced(a);
    a.text.insert(0, 'remember me');
    const b = connect('transient');
    await waitFor(() => b.text.toString() === 'remember me');
    expect(server.server.rooms.has('transient')).toBe(true);
    for (const client of clients.splice(0)) client.destroy();
    await waitFor(() => !server.server.rooms.has('transient'), { what: 'unload' });
    const c = connect('transient');
    await waitForSynced(c);
    expect(c.text.toString()).toBe('remember me');
  });

  it('a client that reconnects while the document unloads gets a freshly loaded, complete copy', async () => {
    for (let round = 0; round < 20; round++) {
      const writer = connect('churn');
      await waitForSynced(writer);
      writer.text.insert(writer.text.length, String(round % 10));
      const expected = writer.text.toString();
      await waitFor(() => server.server.store.load('churn').then((d) => d.logCount + (d.updates.length > d.logCount ? 1 : 0) > 0));
      writer.destroy();
      clients.splice(clients.indexOf(writer), 1);
      const reader = connect('churn'); // races the unload on purpose
      await waitForSynced(reader);
      expect(reader.text.toString()).toBe(expected);
      reader.destroy();
      clients.splice(clients.indexOf(reader), 1);
    }
  });
});

describe('shared types beyond text', () => {
  it('syncs maps and XML fragments the editor uses', async () => {
    const a = connect('types');
    const b = connect('types');
    await Promise.all([waitForSynced(a), waitForSynced(b)]);
    a.doc.getMap('meta').set('title', 'Plans');
    const paragraph = new Y.XmlElement('paragraph');
    paragraph.insert(0, [new Y.XmlText('first line')]);
    a.doc.getXmlFragment('prosemirror').insert(0, [paragraph]);
    await waitFor(() => b.doc.getXmlFragment('prosemirror').toString().includes('first line'));
    expect(b.doc.getMap('meta').get('title')).toBe('Plans');
  });
});

describe('answering from storage', () => {
  it('a fresh client of a document killed with a log tail gets everything, and edits on top of it; a returning one too', async () => {
    // Write a compacted snapshot plus a log tail, as a kill -9 between compactions leaves it: the
    // tail's appends carry no state vector (a server writes one about once a second), so the
    // stored one lags behind them.
    const author = new Y.Doc();
    const updates: Uint8Array[] = [];
    author.on('update', (u: Uint8Array) => updates.push(u));
    author.getText('text').insert(0, 'snapshot part. ');
    await server.server.store.append([{ name: 'tail', updates: updates.splice(0), stateVector: Y.encodeStateVector(author) }]);
    await server.server.store.compact('tail', Y.encodeStateAsUpdate(author), Y.encodeStateVector(author), null);
    for (const word of ['log ', 'tail ', 'words']) {
      author.getText('text').insert(author.getText('text').length, word);
      await server.server.store.append([{ name: 'tail', updates: updates.splice(0) }]);
    }
    author.getText('text').delete(0, 9); // a deletion in the tail, of text in the snapshot
    await server.server.store.append([{ name: 'tail', updates: updates.splice(0) }]);
    const expected = author.getText('text').toString();

    let atFirstSync = '';
    const fresh = connect('tail');
    fresh.provider.once('sync', () => (atFirstSync = fresh.text.toString()));
    await waitForSynced(fresh);
    expect(atFirstSync).toBe(expected);

    fresh.text.insert(0, '> ');
    const other = connect('tail');
    await waitFor(() => other.text.toString() === `> ${expected}`, { what: 'edit on top of the stored state' });

    // The author comes back holding all of it, tail included: told less than the server has, it
    // sends the tail again, which changes nothing, and gets the edit it lacks.
    const back = connectProvider(server.url, 'tail', { doc: author });
    clients.push(back);
    await waitForSynced(back);
    await waitFor(() => author.getText('text').toString() === `> ${expected}`, { what: 'the returning author has the edit' });
    expect(other.text.toString()).toBe(`> ${expected}`);
  });

  it('a returning client that already holds part of the document gets the rest', async () => {
    const first = connect('returning');
    await waitForSynced(first);
    first.text.insert(0, 'one ');
    const observer = connect('returning');
    await waitFor(() => observer.text.toString() === 'one ');
    const kept = new Y.Doc();
    Y.applyUpdate(kept, Y.encodeStateAsUpdate(first.doc));
    for (const client of clients.splice(0)) client.destroy();
    await waitFor(() => server.server.rooms.size === 0, { what: 'unloaded' });

    const writer = connect('returning');
    await waitForSynced(writer);
    writer.text.insert(writer.text.length, 'two');
    await waitFor(async () => (await server.server.store.load('returning')).logCount > 0);
    writer.destroy();
    clients.splice(clients.indexOf(writer), 1);
    await waitFor(() => server.server.rooms.size === 0, { what: 'unloaded again' });

    const back = connectProvider(server.url, 'returning', { doc: kept });
    clients.push(back);
    await waitForSynced(back);
    await waitFor(() => back.doc.getText('text').toString() === 'one two', { what: 'the returning client has the rest' });
  });
});
