/**
 * Words typed into a paragraph that someone else deleted at the same time are kept (issue 12).
 * Real server, real LevelDB, stock y-websocket clients holding documents shaped as y-prosemirror
 * writes them (paragraph elements holding a Y.XmlText); deletions made as y-prosemirror makes
 * them (select all + delete: the first textblock emptied, the other blocks deleted).
 */
import { rm } from 'node:fs/promises';
import { RESTORED_ATTRIBUTE, SyncMessageType } from '@tandem/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { type ProviderClient, connectProvider, connectRaw, waitForSynced } from './test-support/clients.js';
import { encodeSyncUpdate } from '@tandem/protocol';
import { step1Frame, updateFrame } from './test-support/frames.js';
import { spawnServer } from './test-support/process.js';
import { type TestServer, makeTempDir, startTestServer, waitFor } from './test-support/server.js';
import { type Block, blocks, body, deleteEverything, element, textAt, textOf, typeAtEnd } from './test-support/blocks.js';

let server: TestServer;
const clients: ProviderClient[] = [];

beforeEach(async () => {
  server = await startTestServer();
});
afterEach(async () => {
  for (const client of clients.splice(0)) client.destroy();
  await server.dispose();
});

async function join(docName: string, options: { url?: string; doc?: Y.Doc } = {}): Promise<ProviderClient> {
  const client = connectProvider(options.url ?? server.url, docName, { doc: options.doc });
  clients.push(client);
  await waitForSynced(client);
  return client;
}

/** Reconnect `client` and wait until it has synced. */
async function reconnect(client: ProviderClient): Promise<void> {
  client.provider.connect();
  await waitForSynced(client);
}

/** Wait until every client holds the same body and it contains every one of `words`. */
async function converged(everyone: ProviderClient[], words: string[]): Promise<string> {
  return waitFor(
    () => {
      const bodies = everyone.map((client) => body(client).toString());
      const same = bodies.every((b) => b === bodies[0]);
      const text = textOf(body(everyone[0]!) as unknown as Y.XmlElement);
      return same && words.every((w) => text.includes(w)) ? bodies[0]! : '';
    },
    { what: `every client holding ${words.join(', ')}` },
  );
}

/** A writes `content`; B joins, receives it and loses its connection. */
async function oneGoesOffline(docName: string, content: Block[]): Promise<{ a: ProviderClient; b: ProviderClient }> {
  const a = await seeded(docName, content);
  const b = await join(docName);
  await waitFor(() => body(b).toString() === body(a).toString(), { what: 'B has the document' });
  b.provider.disconnect();
  return { a, b };
}

async function seeded(docName: string, content: Block[], url?: string): Promise<ProviderClient> {
  const a = await join(docName, { url });
  body(a).insert(0, content.map(element));
  return a;
}

describe('words typed into a paragraph someone deleted are kept', () => {
  for (const order of ['deletion first', 'insertion first'] as const) {
    it(`offline typing at the end of paragraph 2 survives select all + delete (${order})`, async () => {
      const a = await seeded('rescue-order', ['First paragraph.', 'Second paragraph.', 'Third paragraph.']);
      const b = await join('rescue-order');
      await converged([a, b], ['Third paragraph.']);
      const observer = await join('rescue-order');
      if (order === 'deletion first') {
        b.provider.disconnect();
        typeAtEnd(textAt(b, 1), ' Typed offline by B.');
        deleteEverything(a);
        await waitFor(() => blocks(observer).length === 1, { what: 'the deletion on the server' });
        await reconnect(b);
      } else {
        a.provider.disconnect();
        typeAtEnd(textAt(b, 1), ' Typed offline by B.');
        await converged([b, observer], ['Typed offline by B.']);
        deleteEverything(a);
        await reconnect(a);
      }
      const final = await converged([a, b], ['Typed offline by B.']);
      expect(blocks(a)).toEqual([
        ['', false],
        ['Typed offline by B.', true],
      ]);
      const fresh = await join('rescue-order');
      expect(body(fresh).toString()).toBe(final);
    });
  }

  for (const [where, index] of [['first', 0], ['middle', 1], ['last', 2]] as const) {
    it(`three people: two type offline in the ${where} paragraph and after it, the third deletes everything`, async () => {
      const docName = `rescue-three-${where}`;
      const a = await seeded(docName, ['Alpha.', 'Beta.', 'Gamma.', 'Delta.']);
      const b = await join(docName);
      const c = await join(docName);
      await converged([a, b, c], ['Delta.']);
      b.provider.disconnect();
      c.provider.disconnect();
      typeAtEnd(textAt(b, index), ' [B offline]');
      typeAtEnd(textAt(c, index + 1), ' [C offline]');
      deleteEverything(a);
      await reconnect(b);
      await reconnect(c);
      await converged([a, b, c], ['[B offline]', '[C offline]']);
      // Text typed into the first paragraph stays there (it is emptied, not deleted); text from
      // deleted paragraphs comes back marked, in document order.
      const expected: Array<[string, boolean]> =
        index === 0 ? [[' [B offline]', false], ['[C offline]', true]] : [['', false], ['[B offline]', true], ['[C offline]', true]];
      expect(blocks(a)).toEqual(expected);
      const fresh = await join(docName);
      expect(blocks(fresh)).toEqual(expected);
    });
  }

  it('two people typing offline into the same deleted paragraph get their words back in the order they came back', async () => {
    const a = await seeded('rescue-same', ['One.', 'Two.', 'Three.']);
    const b = await join('rescue-same');
    const c = await join('rescue-same');
    await converged([a, b, c], ['Three.']);
    b.provider.disconnect();
    c.provider.disconnect();
    typeAtEnd(textAt(b, 1), ' from B');
    typeAtEnd(textAt(c, 1), ' from C');
    deleteEverything(a);
    await reconnect(b);
    await converged([a, b], ['from B']);
    await reconnect(c);
    await converged([a, b, c], ['from B', 'from C']);
    expect(blocks(c)).toEqual([
      ['', false],
      ['from B', true],
      ['from C', true],
    ]);
  });

  it('two people, one deletes everything while the other types offline in the last paragraph, with formatting kept', async () => {
    const { a, b } = await oneGoesOffline('rescue-bold', ['One.', 'Two.']);
    typeAtEnd(textAt(b, 1), ' plain');
    typeAtEnd(textAt(b, 1), ' bold', { bold: {} });
    deleteEverything(a);
    await reconnect(b);
    await converged([a, b], ['plain bold']);
    const restored = body(a).get(1) as Y.XmlElement;
    expect((restored.get(0) as Y.XmlText).toDelta()).toEqual([{ insert: 'plain' }, { insert: ' bold', attributes: { bold: {} } }]);
  });

  it('inline nodes and embeds typed with the words come back with them', async () => {
    const { a, b } = await oneGoesOffline('rescue-inline', ['One.', 'Two.']);
    typeAtEnd(textAt(b, 1), ' line one');
    textAt(b, 1).insertEmbed(textAt(b, 1).length, { emoji: 'wave' });
    // y-prosemirror writes an inline node as an element between two Y.XmlTexts, its attributes on it.
    const image = new Y.XmlElement('image');
    image.setAttribute('src', 'cat.png');
    (body(b).get(1) as Y.XmlElement).insert(1, [new Y.XmlElement('hard_break'), new Y.XmlText('line two'), image]);
    deleteEverything(a);
    await reconnect(b);
    await converged([a, b], ['line one', 'line two']);
    const restored = body(a).get(1) as Y.XmlElement;
    expect(restored.getAttribute(RESTORED_ATTRIBUTE)).toBe(true);
    const [first, lineBreak, second, picture] = restored.toArray() as [Y.XmlText, Y.XmlElement, Y.XmlText, Y.XmlElement];
    expect(first.toDelta()).toEqual([{ insert: 'line one' }, { insert: { emoji: 'wave' } }]);
    expect(lineBreak.nodeName).toBe('hard_break');
    expect(second.toDelta()).toEqual([{ insert: 'line two' }]);
    expect([picture.nodeName, picture.getAttribute('src')]).toEqual(['image', 'cat.png']);
    expect(restored.length).toBe(4);
  });

  it('text typed into a list item of a deleted list comes back after where the list was', async () => {
    const list = { name: 'bullet_list', children: [{ name: 'list_item', children: ['Item one.'] }, { name: 'list_item', children: ['Item two.'] }] };
    const { a, b } = await oneGoesOffline('rescue-list', ['Intro.', list, 'Outro.']);
    typeAtEnd(textAt(b, 1, 1, 0), ' more in item two');
    deleteEverything(a);
    await reconnect(b);
    await converged([a, b], ['more in item two']);
    expect(blocks(a)).toEqual([
      ['', false],
      ['more in item two', true],
    ]);
  });

  it('text typed into a deleted list item of a list that stays comes back right after the list', async () => {
    const list = { name: 'bullet_list', children: [{ name: 'list_item', children: ['Keep me.'] }, { name: 'list_item', children: ['Delete me.'] }] };
    const { a, b } = await oneGoesOffline('rescue-item', [list, 'After the list.']);
    typeAtEnd(textAt(b, 0, 1, 0), ' typed offline');
    (body(a).get(0) as Y.XmlElement).delete(1, 1);
    await reconnect(b);
    await converged([a, b], ['typed offline']);
    expect(blocks(a)).toEqual([
      ['Keep me.', false],
      ['typed offline', true],
      ['After the list.', false],
    ]);
  });

  it('text typed into a deleted paragraph of a blockquote that stays comes back inside the blockquote', async () => {
    const quote = { name: 'blockquote', children: ['Quoted one.', 'Quoted two.'] };
    const { a, b } = await oneGoesOffline('rescue-quote', [quote, 'After.']);
    typeAtEnd(textAt(b, 0, 1), ' and more');
    (body(a).get(0) as Y.XmlElement).delete(1, 1);
    await reconnect(b);
    await converged([a, b], ['and more']);
    const quoteNow = body(a).get(0) as Y.XmlElement;
    expect(quoteNow.toArray().map((p) => [textOf(p as Y.XmlElement), (p as Y.XmlElement).getAttribute(RESTORED_ATTRIBUTE) ?? false])).toEqual([
      ['Quoted one.', false],
      ['and more', true],
    ]);
  });

  it('text typed into a deleted paragraph of a table cell that stays comes back inside that cell', async () => {
    const cell = { name: 'table_cell', children: ['Cell one.', 'Cell two.'] };
    const table = { name: 'table', children: [{ name: 'table_row', children: [cell, { name: 'table_cell', children: ['Other.'] }] }] };
    const { a, b } = await oneGoesOffline('rescue-cell', [table, 'After.']);
    typeAtEnd(textAt(b, 0, 0, 0, 1), ' and more');
    (((body(a).get(0) as Y.XmlElement).get(0) as Y.XmlElement).get(0) as Y.XmlElement).delete(1, 1);
    await reconnect(b);
    await converged([a, b], ['and more']);
    const cellNow = ((body(a).get(0) as Y.XmlElement).get(0) as Y.XmlElement).get(0) as Y.XmlElement;
    expect(cellNow.toArray().map((p) => [textOf(p as Y.XmlElement), (p as Y.XmlElement).getAttribute(RESTORED_ATTRIBUTE) ?? false])).toEqual([
      ['Cell one.', false],
      ['and more', true],
    ]);
    expect(body(a).length).toBe(2);
  });

  it('text typed into a Y.XmlText that another person replaced in a paragraph that stays comes back right after that paragraph', async () => {
    const { a, b } = await oneGoesOffline('rescue-retext', ['One.', 'Two.', 'Three.']);
    typeAtEnd(textAt(b, 1), ' typed offline');
    // y-prosemirror replaces a paragraph's Y.XmlText when an inline node takes its place.
    a.doc.transact(() => {
      const paragraph = body(a).get(1) as Y.XmlElement;
      paragraph.delete(0, 1);
      paragraph.insert(0, [new Y.XmlElement('hard_break'), new Y.XmlText('Two.')]);
    });
    await reconnect(b);
    await converged([a, b], ['typed offline']);
    expect(blocks(a)).toEqual([
      ['One.', false],
      ['Two.', false],
      ['typed offline', true],
      ['Three.', false],
    ]);
  });

  it('text typed into a paragraph that another person joined into the one before it is kept (backspace at its start)', async () => {
    const { a, b } = await oneGoesOffline('rescue-join', ['Before.', 'Joined.']);
    typeAtEnd(textAt(b, 1), ' typed offline');
    // y-prosemirror's join: the second paragraph's text moves into the first, the second is deleted.
    a.doc.transact(() => {
      typeAtEnd(textAt(a, 0), 'Joined.');
      body(a).delete(1, 1);
    });
    await reconnect(b);
    await converged([a, b], ['typed offline']);
    expect(blocks(a)).toEqual([
      ['Before.Joined.', false],
      ['typed offline', true],
    ]);
  });
});

describe('what is not restored', () => {
  it('a paragraph deleted by someone who saw all of it stays deleted', async () => {
    const a = await seeded('plain-delete', ['Keep.', 'Delete me.', 'Me too.']);
    const b = await join('plain-delete');
    await converged([a, b], ['Me too.']);
    deleteEverything(a);
    await waitFor(() => blocks(b).length === 1, { what: 'deletion relayed' });
    const fresh = await join('plain-delete');
    expect(blocks(fresh)).toEqual([['', false]]);
    expect(server.logs.some((line) => line.msg === 'restored words typed into deleted paragraphs')).toBe(false);
  });

  it('words their own writer deleted offline stay deleted', async () => {
    const { a, b } = await oneGoesOffline('own-delete', ['One.', 'Two.']);
    const text = textAt(b, 1);
    typeAtEnd(text, ' kept words');
    typeAtEnd(text, ' thrown away');
    text.delete(text.length - ' thrown away'.length, ' thrown away'.length);
    deleteEverything(a);
    await reconnect(b);
    await converged([a, b], ['kept words']);
    expect(blocks(a)).toEqual([
      ['', false],
      ['kept words', true],
    ]);
  });

  it('words their writer deleted stay deleted when the deletion reached the server before the words', async () => {
    const a = await seeded('pending-ds', ['One.', 'Two.']);
    const b = await join('pending-ds');
    const observer = await join('pending-ds');
    await converged([a, b, observer], ['Two.']);
    b.provider.disconnect();
    const offline: Uint8Array[] = [];
    b.doc.on('update', (update: Uint8Array) => offline.push(update));
    const text = textAt(b, 1);
    typeAtEnd(text, ' keep');
    typeAtEnd(text, ' drop');
    text.delete(text.length - ' drop'.length, ' drop'.length);
    deleteEverything(a);
    await waitFor(() => blocks(observer).length === 1, { what: 'the deletion on the server' });
    // Out of order, as a client could send them: the deletion of " drop" waits in Yjs's pending
    // deletions until the words arrive in a later write.
    const raw = await connectRaw(server.url, 'pending-ds');
    raw.send(updateFrame(offline[2]!));
    raw.send(step1Frame(Y.encodeStateVector(new Y.Doc())));
    await waitFor(() => raw.frames.some((frame) => frame[0] === 0 && frame[1] === SyncMessageType.Step2), { what: 'the deletion applied' });
    raw.send(updateFrame(Y.mergeUpdates([offline[0]!, offline[1]!])));
    await converged([a, observer], ['keep']);
    expect(blocks(observer)).toEqual([
      ['', false],
      ['keep', true],
    ]);
    raw.socket.close();
  });

  it('only white space typed into a deleted paragraph is not worth a paragraph', async () => {
    const { a, b } = await oneGoesOffline('only-space', ['One.', 'Two.']);
    typeAtEnd(textAt(b, 1), '  \n ');
    deleteEverything(a);
    await reconnect(b);
    await converged([a, b], []);
    expect(blocks(b)).toEqual([['', false]]);
  });

  it('a restored paragraph the deleter then deletes stays deleted', async () => {
    const { a, b } = await oneGoesOffline('delete-restored', ['One.', 'Two.']);
    typeAtEnd(textAt(b, 1), ' offline');
    deleteEverything(a);
    await reconnect(b);
    await converged([a, b], ['offline']);
    body(a).delete(1, 1);
    await waitFor(() => blocks(b).length === 1, { what: 'deletion relayed' });
    const fresh = await join('delete-restored');
    expect(blocks(fresh)).toEqual([['', false]]);
  });
});

describe('restored once', () => {
  it('reconnecting again, restarting the server and re-sending the same update restore nothing twice', async () => {
    const { a, b } = await oneGoesOffline('once', ['One.', 'Two.', 'Three.']);
    let offlineUpdate: Uint8Array | undefined;
    b.doc.once('update', (update: Uint8Array) => (offlineUpdate = update));
    typeAtEnd(textAt(b, 2), ' only once');
    deleteEverything(a);
    await reconnect(b);
    const expected: Array<[string, boolean]> = [
      ['', false],
      ['only once', true],
    ];
    await converged([a, b], ['only once']);
    expect(blocks(b)).toEqual(expected);

    b.provider.disconnect();
    await reconnect(b);
    // What B's browser keeps (its IndexedDB copy) outlives the server's restart.
    const kept = new Y.Doc();
    Y.applyUpdate(kept, Y.encodeStateAsUpdate(b.doc));
    for (const client of clients.splice(0)) client.destroy();
    await server.stop();
    server = await startTestServer({ dataDir: server.dataDir });
    const raw = await connectRaw(server.url, 'once');
    raw.send(encodeSyncUpdate(offlineUpdate!));
    const again = await join('once', { doc: kept });
    raw.socket.close();
    const fresh = await join('once');
    await converged([again, fresh], ['only once']);
    expect(blocks(fresh)).toEqual(expected);
    expect(server.logs.some((line) => line.msg === 'restored words typed into deleted paragraphs')).toBe(false);
  });
});

describe('restored once, after kill -9', () => {
  it('a server killed after restoring loads its log with the words in it once, also when a client with the old state comes back', async () => {
    const dataDir = await makeTempDir();
    const kept = new Y.Doc();
    const first = await spawnServer({ dataDir });
    try {
      const a = await seeded('killed', ['One.', 'Two.'], first.url);
      const b = await join('killed', { url: first.url });
      await converged([a, b], ['Two.']);
      b.provider.disconnect();
      typeAtEnd(textAt(b, 1), ' survives a crash');
      deleteEverything(a);
      await reconnect(b);
      await converged([a, b], ['survives a crash']);
      Y.applyUpdate(kept, Y.encodeStateAsUpdate(b.doc));
    } finally {
      await first.stop('SIGKILL');
      for (const client of clients.splice(0)) client.destroy();
    }
    const second = await spawnServer({ dataDir });
    try {
      // A client holding part of the document makes the server apply its stored log to a Y.Doc.
      const back = await join('killed', { url: second.url, doc: kept });
      typeAtEnd(textAt(back, 0), 'Back.');
      const fresh = await join('killed', { url: second.url });
      await converged([back, fresh], ['Back.']);
      expect(blocks(fresh)).toEqual([
        ['Back.', false],
        ['survives a crash', true],
      ]);
    } finally {
      await second.stop('SIGKILL');
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
