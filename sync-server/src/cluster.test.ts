/**
 * Cluster mode with real parts: two and three sync servers share one real redis-server; stock
 * y-websocket clients connect to different instances of the same document.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { TEST_SECRET, mintToken } from './test-support/tokens.js';
import { type ProviderClient, waitForSynced } from './test-support/clients.js';
import { blocks, body, deleteEverything, element, textAt, textOf, typeAtEnd } from './test-support/blocks.js';
import { useTestCluster } from './test-support/cluster.js';
import { type TestServer, rejectedCount, waitFor } from './test-support/server.js';

const cluster = useTestCluster();
const { connect } = cluster;

const namesSeenBy = (client: ProviderClient): string[] =>
  [...client.provider.awareness.getStates().values()].map((s) => (s as { user?: { name: string } }).user?.name).filter((n): n is string => !!n).sort();

describe('cluster mode', () => {
  it('edits on every instance reach the clients of the others, and everyone converges', async () => {
    const servers = await cluster.start(3);
    const writers = servers.map((server) => connect(server, 'shared'));
    await Promise.all(writers.map((w) => waitForSynced(w)));
    writers.forEach((writer, i) => {
      for (let n = 0; n < 20; n++) writer.text.insert(0, `<${i}:${n}>`);
    });
    const expected = (text: string): boolean => [0, 1, 2].every((i) => Array.from({ length: 20 }, (_, n) => `<${i}:${n}>`).every((t) => text.includes(t)));
    await waitFor(() => writers.every((w) => expected(w.text.toString()) && w.text.toString() === writers[0]!.text.toString()), { what: 'three instances to converge' });
    // A fresh client on each instance loads the same document.
    for (const server of servers) {
      const fresh = connect(server, 'shared');
      await waitForSynced(fresh);
      expect(fresh.text.toString()).toBe(writers[0]!.text.toString());
    }
  });

  it('a client of one instance sees presence from the others, and it leaves with the client', async () => {
    const servers = await cluster.start(2);
    const ada = connect(servers[0]!, 'presence');
    await waitForSynced(ada);
    ada.provider.awareness.setLocalStateField('user', { name: 'Ada', color: '#3366cc' });
    // Bo joins later, on the other instance: he sees Ada, who was there before his instance opened the document.
    const bo = connect(servers[1]!, 'presence');
    await waitForSynced(bo);
    bo.provider.awareness.setLocalStateField('user', { name: 'Bo', color: '#cc3366' });
    await waitFor(() => namesSeenBy(ada).join() === 'Ada,Bo' && namesSeenBy(bo).join() === 'Ada,Bo', { what: 'both see both across instances' });
    bo.destroy();
    await waitFor(() => namesSeenBy(ada).join() === 'Ada', { what: 'Bo gone for Ada at once' });
  });

  it('a reader on another instance sees the writer live, and cannot write', async () => {
    const secret = TEST_SECRET;
    const servers = await cluster.start(2, { authSecret: secret });
    const writer = connect(servers[0]!, 'guarded', { token: await mintToken({ sub: 'w', doc: 'guarded' }, secret) });
    const reader = connect(servers[1]!, 'guarded', { token: await mintToken({ sub: 'r', doc: 'guarded', access: 'read' }, secret) });
    await Promise.all([waitForSynced(writer), waitForSynced(reader)]);
    writer.text.insert(0, 'written on one, read on the other');
    await waitFor(() => reader.text.toString() === 'written on one, read on the other', { what: 'the reader to see the edit' });
    reader.text.insert(0, 'not allowed ');
    // Refused as it arrived (so never stored): a client that syncs from now on shows what was kept.
    await waitFor(async () => (await rejectedCount(servers[1]!, 'read-only')) === 1, { what: 'the read-only edit refused' });
    const fresh = connect(servers[0]!, 'guarded', { token: await mintToken({ sub: 'w2', doc: 'guarded' }, secret) });
    await waitForSynced(fresh);
    expect(fresh.text.toString()).toBe('written on one, read on the other');
  });

  it('/api/docs on any instance lists the documents of every instance', async () => {
    const servers = await cluster.start(2);
    const a = connect(servers[0]!, 'listed-a');
    const b = connect(servers[1]!, 'listed-b');
    await Promise.all([waitForSynced(a), waitForSynced(b)]);
    a.text.insert(0, 'a');
    b.text.insert(0, 'b');
    for (const server of servers) {
      await waitFor(async () => {
        const { docs } = (await (await fetch(`${server.httpUrl}/api/docs`)).json()) as { docs: Array<{ name: string }> };
        return docs.map((d) => d.name).sort().join() === 'listed-a,listed-b';
      }, { what: 'both documents listed' });
    }
  });

  it('instances compacting the same document at once lose nothing', async () => {
    const servers = await cluster.start(2, { compactAfterUpdates: 3 });
    const writers = [connect(servers[0]!, 'compacted'), connect(servers[1]!, 'compacted')];
    await Promise.all(writers.map((w) => waitForSynced(w)));
    for (let n = 0; n < 60; n++) {
      writers[n % 2]!.text.insert(writers[n % 2]!.text.length, `<${n}>`);
      if (n % 5 === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const all = Array.from({ length: 60 }, (_, n) => `<${n}>`);
    await waitFor(() => writers.every((w) => all.every((t) => w.text.toString().includes(t))), { what: 'both writers to have every edit' });
    await waitFor(() => servers.every((s) => s.server.metrics.stats.compactions > 0), { what: 'both instances to compact' });
    for (const client of cluster.clients.splice(0)) client.destroy();
    await waitFor(() => servers.every((s) => s.server.rooms.size === 0), { what: 'both to unload (and compact again)' });
    const fresh = connect(servers[1]!, 'compacted');
    await waitForSynced(fresh);
    for (const token of all) expect(fresh.text.toString()).toContain(token);
    expect(Y.encodeStateVector(fresh.doc)).toEqual(Y.encodeStateVector(writers[0]!.doc));
  });
});

describe('cluster mode: words typed into a paragraph deleted on another instance', () => {
  const join = async (server: TestServer, docName: string): Promise<ProviderClient> => {
    const client = connect(server, docName);
    await waitForSynced(client);
    return client;
  };
  /** Wait until every client holds the same body, containing `words`. */
  const converged = (everyone: ProviderClient[], words: string): Promise<unknown> =>
    waitFor(() => everyone.every((c) => body(c).toString() === body(everyone[0]!).toString()) && textOf(body(everyone[0]!) as unknown as Y.XmlElement).includes(words), {
      what: `every client holding "${words}"`,
    });

  for (const order of ['deletion first', 'insertion first'] as const) {
    it(`are restored once, by the instance that applied the later update, not again by the others (${order})`, async () => {
      const servers = await cluster.start(2);
      const [one, two] = servers as [TestServer, TestServer];
      const deleter = await join(one, 'rescue');
      body(deleter).insert(0, ['First paragraph.', 'Second paragraph.', 'Third paragraph.'].map(element));
      const typist = await join(two, 'rescue');
      const watchers = [await join(one, 'rescue'), await join(two, 'rescue')];
      await converged([deleter, typist, ...watchers], 'Third paragraph.');
      if (order === 'deletion first') {
        typist.provider.disconnect();
        typeAtEnd(textAt(typist, 1), ' Typed offline.');
        deleteEverything(deleter);
        await waitFor(() => watchers.every((w) => blocks(w).length === 1), { what: 'the deletion on both instances' });
        typist.provider.connect();
      } else {
        deleter.provider.disconnect();
        typeAtEnd(textAt(typist, 1), ' Typed offline.');
        await converged([typist, ...watchers], 'Typed offline.');
        deleteEverything(deleter);
        deleter.provider.connect();
      }
      await converged([deleter, typist, ...watchers], 'Typed offline.');
      await new Promise((resolve) => setTimeout(resolve, 300)); // a second restoration would arrive by now
      const expected: Array<[string, boolean]> = [
        ['', false],
        ['Typed offline.', true],
      ];
      for (const client of [deleter, typist, ...watchers]) expect(blocks(client)).toEqual(expected);
      const restorations = servers.map((s) => s.logs.filter((l) => l.msg === 'restored words typed into deleted paragraphs').length);
      expect(restorations.reduce((a, b) => a + b, 0)).toBe(1);
      expect(blocks(await join(servers[order === 'deletion first' ? 0 : 1]!, 'rescue'))).toEqual(expected);
    });
  }
});
