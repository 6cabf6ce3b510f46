/**
 * The DocStore contract suite: every storage backend must pass it. Call it from a backend's
 * test file with a factory that opens a fresh store (and can reopen the same one).
 */
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { DocStore } from './DocStore.js';

export interface StoreHarness {
  /** Open a store; `reopen` opens the same storage again after close(). */
  open(): Promise<DocStore>;
  reopen(): Promise<DocStore>;
  /**
   * For backends several server processes share: another store on the same storage, as another
   * process opens it, while the first stays open. Its follow-and-compaction tests run only then.
   */
  openPeer?(): Promise<DocStore>;
  cleanup(): Promise<void>;
  /**
   * Names of documents the backend keeps in different places (a Redis Cluster: on different
   * masters), for the tests that write several documents together. Default: three plain names.
   */
  spreadNames?: readonly string[];
}

function textOf(updates: Uint8Array[]): string {
  const doc = new Y.Doc();
  for (const update of updates) Y.applyUpdate(doc, update);
  return doc.getText('t').toString();
}

function edits(doc: Y.Doc, texts: string[]): Uint8Array[] {
  const updates: Uint8Array[] = [];
  const collect = (update: Uint8Array): void => void updates.push(update);
  doc.on('update', collect);
  for (const text of texts) doc.getText('t').insert(doc.getText('t').length, text);
  doc.off('update', collect);
  return updates;
}

/** Stores treat the state vector as opaque bytes; tests that do not look at it pass this one. */
const ANY_STATE_VECTOR = Y.encodeStateVector(new Y.Doc());

/** The text of a Y.Doc made of `updates` (applied in any order). */
const textAfter = (updates: readonly Uint8Array[]): string => textOf([...updates]);

/** Wait until `check` holds (a follower delivers asynchronously). */
async function eventually(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

export function describeDocStoreContract(backend: string, makeHarness: () => Promise<StoreHarness>): void {
  describe(`DocStore contract: ${backend}`, () => {
    let harness: StoreHarness;
    let store: DocStore;
    const setup = async (): Promise<void> => {
      harness = await makeHarness();
      store = await harness.open();
    };
    afterEach(async () => {
      await store?.close();
      await harness?.cleanup();
    });

    it('loads a document never written as empty', async () => {
      await setup();
      const stored = await store.load('nothing-here');
      expect(stored).toEqual({ updates: [], stateVector: undefined, logCount: 0, logBytes: 0, totalBytes: 0 });
    });

    it('returns appended updates in order, byte for byte, after a reopen', async () => {
      await setup();
      const updates = edits(new Y.Doc(), ['a', 'b', 'c', 'd']);
      await store.append([{ name: 'doc', updates: updates.slice(0, 2), stateVector: ANY_STATE_VECTOR }]);
      await store.append([{ name: 'doc', updates: updates.slice(2), stateVector: ANY_STATE_VECTOR }]);
      await store.close();
      store = await harness.reopen();
      const stored = await store.load('doc');
      expect(stored.updates.map((u) => Buffer.from(u).toString('hex'))).toEqual(updates.map((u) => Buffer.from(u).toString('hex')));
      expect(stored.logCount).toBe(4);
      expect(textOf(stored.updates)).toBe('abcd');
    });

    it('continues the log after the document was released from memory', async () => {
      await setup();
      const doc = new Y.Doc();
      await store.append([{ name: 'released', updates: edits(doc, ['1']), stateVector: ANY_STATE_VECTOR }]);
      store.release('released');
      await store.append([{ name: 'released', updates: edits(doc, ['2']), stateVector: ANY_STATE_VECTOR }]);
      const stored = await store.load('released');
      expect(stored.logCount).toBe(2);
      expect(textOf(stored.updates)).toBe('12');
    });

    it('keeps documents apart, even when one name is a prefix of another', async () => {
      await setup();
      const doc = new Y.Doc();
      await store.append([
        { name: 'a', updates: edits(doc, ['1']), stateVector: ANY_STATE_VECTOR },
        { name: 'a.b', updates: edits(new Y.Doc(), ['2']), stateVector: ANY_STATE_VECTOR },
      ]);
      expect(textOf((await store.load('a')).updates)).toBe('1');
      expect(textOf((await store.load('a.b')).updates)).toBe('2');
    });

    it('compaction replaces the log with a snapshot and later appends follow it', async () => {
      await setup();
      const doc = new Y.Doc();
      await store.append([{ name: 'doc', updates: edits(doc, ['x', 'y']), stateVector: ANY_STATE_VECTOR }]);
      await store.compact('doc', Y.encodeStateAsUpdate(doc), Y.encodeStateVector(doc), 'Title');
      await store.append([{ name: 'doc', updates: edits(doc, ['z']), stateVector: ANY_STATE_VECTOR, summary: { title: 'Title', totalBytes: 0 } }]);
      await store.close();
      store = await harness.reopen();
      const stored = await store.load('doc');
      expect(stored.logCount).toBe(1);
      expect(stored.updates).toHaveLength(2);
      expect(stored.stateVector).toBeDefined();
      expect(textOf(stored.updates)).toBe('xyz');
    });

    it('a loaded document compacts again and again, each time merging exactly its log', async () => {
      await setup();
      const doc = new Y.Doc();
      await store.load('again');
      for (const batch of [['a', 'b', 'c'], ['d', 'e']]) {
        await store.append([{ name: 'again', updates: edits(doc, batch), stateVector: ANY_STATE_VECTOR }]);
        await store.compact('again', Y.encodeStateAsUpdate(doc), Y.encodeStateVector(doc), null);
      }
      await store.append([{ name: 'again', updates: edits(doc, ['f']), stateVector: ANY_STATE_VECTOR }]);
      await store.close();
      store = await harness.reopen();
      const stored = await store.load('again');
      expect(stored.logCount).toBe(1);
      expect(stored.updates).toHaveLength(2);
      expect(textOf(stored.updates)).toBe('abcdef');
    });

    it('appends after a reopen continue the log instead of overwriting it', async () => {
      await setup();
      const doc = new Y.Doc();
      await store.append([{ name: 'doc', updates: edits(doc, ['1', '2']), stateVector: ANY_STATE_VECTOR }]);
      await store.close();
      store = await harness.reopen();
      await store.append([{ name: 'doc', updates: edits(doc, ['3']), stateVector: ANY_STATE_VECTOR }]);
      expect(textOf((await store.load('doc')).updates)).toBe('123');
    });

    it('lists documents with title, size and update time', async () => {
      await setup();
      const before = Date.now();
      await store.append([{ name: 'listed', updates: edits(new Y.Doc(), ['hi']), stateVector: ANY_STATE_VECTOR, summary: { title: 'Hello', totalBytes: 42 } }]);
      const [info] = await store.list();
      expect(info).toMatchObject({ name: 'listed', title: 'Hello', size: 42 });
      expect(Date.parse(info!.updatedAt)).toBeGreaterThanOrEqual(before - 1000);
    });

    it('stores binary updates that are plain Uint8Array views, not only Buffers', async () => {
      await setup();
      const [update] = edits(new Y.Doc(), ['view']);
      const padded = new Uint8Array(update!.byteLength + 10);
      padded.set(update!, 5);
      await store.append([{ name: 'views', updates: [padded.subarray(5, 5 + update!.byteLength)], stateVector: ANY_STATE_VECTOR }]);
      expect(textOf((await store.load('views')).updates)).toBe('view');
    });

    it('returns the state vector written with the latest append that carried one, or compaction', async () => {
      await setup();
      const doc = new Y.Doc();
      const first = edits(doc, ['a']);
      const afterFirst = Y.encodeStateVector(doc);
      await store.append([{ name: 'sv', updates: first, stateVector: afterFirst }]);
      // An append without one leaves the stored state vector as it was: behind, never ahead.
      await store.append([{ name: 'sv', updates: edits(doc, ['b']) }]);
      expect(Buffer.from((await store.load('sv')).stateVector!).equals(Buffer.from(afterFirst))).toBe(true);
      const third = edits(doc, ['c']);
      const afterThird = Y.encodeStateVector(doc);
      await store.append([{ name: 'sv', updates: third, stateVector: afterThird }]);
      expect(Buffer.from((await store.load('sv')).stateVector!).equals(Buffer.from(afterThird))).toBe(true);
      edits(doc, ['d']);
      const atCompaction = Y.encodeStateVector(doc);
      await store.compact('sv', Y.encodeStateAsUpdate(doc), atCompaction, null);
      await store.close();
      store = await harness.reopen();
      expect(Buffer.from((await store.load('sv')).stateVector!).equals(Buffer.from(atCompaction))).toBe(true);
    });

    it('names the documents whose log holds entries, and only those', async () => {
      await setup();
      const doc = new Y.Doc();
      await store.append([
        { name: 'open', updates: edits(new Y.Doc(), ['1']), stateVector: ANY_STATE_VECTOR },
        { name: 'open.compacted', updates: edits(doc, ['2']), stateVector: ANY_STATE_VECTOR },
      ]);
      await store.compact('open.compacted', Y.encodeStateAsUpdate(doc), Y.encodeStateVector(doc), null);
      expect(await store.namesWithLog()).toEqual(['open']);
    });

    it('merging the log replaces the snapshot, the merged entries and the state vector, and keeps later appends and the summary', async () => {
      await setup();
      const doc = new Y.Doc();
      await store.append([{ name: 'merged', updates: edits(doc, ['a', 'b']), stateVector: ANY_STATE_VECTOR, summary: { title: 'Kept', totalBytes: 9 } }]);
      await store.compact('merged', Y.encodeStateAsUpdate(doc), Y.encodeStateVector(doc), 'Kept');
      await store.append([{ name: 'merged', updates: edits(doc, ['c', 'd']), stateVector: ANY_STATE_VECTOR }]);
      const loaded = await store.load('merged');
      // Appended after the load that the merge is made from: it must survive the merge.
      const later = edits(doc, ['e']);
      await store.append([{ name: 'merged', updates: later }]);
      const [summary] = await store.list();

      const merged = Y.mergeUpdates(loaded.updates);
      const stateVector = Y.encodeStateVectorFromUpdate(merged);
      await store.mergeLog('merged', merged, loaded.logCount, stateVector);
      await store.close();
      store = await harness.reopen();
      const stored = await store.load('merged');
      expect(stored.updates).toHaveLength(2);
      expect(stored.logCount).toBe(1);
      expect(Buffer.from(stored.updates[1]!).equals(Buffer.from(later[0]!))).toBe(true);
      expect(textOf(stored.updates)).toBe('abcde');
      expect(Buffer.from(stored.stateVector!).equals(Buffer.from(stateVector))).toBe(true);
      expect(await store.list()).toEqual([summary]);
      expect(await store.namesWithLog()).toEqual(['merged']);
    });

    it('keeps what was appended even when the caller reuses its buffers afterwards', async () => {
      await setup();
      const [update] = edits(new Y.Doc(), ['kept']);
      const reused = new Uint8Array(update!);
      const stateVector = new Uint8Array(ANY_STATE_VECTOR);
      await store.append([{ name: 'reused', updates: [reused], stateVector }]);
      reused.fill(0);
      stateVector.fill(7);
      const stored = await store.load('reused');
      expect(textOf(stored.updates)).toBe('kept');
      expect(Buffer.from(stored.stateVector!).equals(Buffer.from(ANY_STATE_VECTOR))).toBe(true);
    });

    it('refuses reads and writes with an error once closed', async () => {
      await setup();
      expect(store.isOpen()).toBe(true);
      await store.close();
      expect(store.isOpen()).toBe(false);
      await expect(store.load('closed')).rejects.toThrow();
      await expect(store.append([{ name: 'closed', updates: edits(new Y.Doc(), ['x']) }])).rejects.toThrow();
      await expect(store.list()).rejects.toThrow();
    });

    it('keeps the last summary when an append brings none', async () => {
      await setup();
      await store.append([{ name: 'quiet', updates: edits(new Y.Doc(), ['1']), stateVector: ANY_STATE_VECTOR, summary: { title: 'First', totalBytes: 7 } }]);
      await store.append([{ name: 'quiet', updates: edits(new Y.Doc(), ['2']), stateVector: ANY_STATE_VECTOR }]);
      expect((await store.list())[0]).toMatchObject({ name: 'quiet', title: 'First', size: 7 });
    });

    it('keeps records beside a document, by kind and id, apart from its Yjs state, after a reopen', async () => {
      await setup();
      const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);
      await store.append([{ name: 'with-records', updates: edits(new Y.Doc(), ['body']), stateVector: ANY_STATE_VECTOR }]);
      await store.putRecord('with-records', 'version', 'b', bytes('second'));
      await store.putRecord('with-records', 'version', 'a', bytes('first'));
      await store.putRecord('with-records', 'file', 'a', bytes('a file'));
      await store.putRecord('other', 'version', 'a', bytes('not this one'));
      await store.putRecord('with-records', 'version', 'b', bytes('second, replaced'));
      await store.close();
      store = await harness.reopen();
      const decoded = (records: Array<{ id: string; value: Uint8Array }>) => records.map(({ id, value }) => [id, new TextDecoder().decode(value)]);
      expect(decoded(await store.listRecords('with-records', 'version'))).toEqual([['a', 'first'], ['b', 'second, replaced']]);
      expect(decoded(await store.listRecords('with-records', 'file'))).toEqual([['a', 'a file']]);
      expect(new TextDecoder().decode(await store.getRecord('with-records', 'file', 'a'))).toBe('a file');
      expect(await store.getRecord('with-records', 'file', 'missing')).toBeUndefined();
      expect(await store.listRecords('never-written', 'version')).toEqual([]);
      // Records are not part of the document: it loads, compacts and lists as before.
      expect(textOf((await store.load('with-records')).updates)).toBe('body');
      await store.deleteRecords('with-records', 'version', ['a', 'no-such-id']);
      expect(decoded(await store.listRecords('with-records', 'version'))).toEqual([['b', 'second, replaced']]);
    });

    it('refuses record kinds and ids that could escape their place in the key space', async () => {
      await setup();
      const value = new Uint8Array([1]);
      await expect(store.putRecord('doc', 'version/../log', 'a', value)).rejects.toThrow(/invalid record kind/);
      await expect(store.putRecord('doc', 'version', 'a/b', value)).rejects.toThrow(/invalid record id/);
      await expect(store.putRecord('doc', 'version', '', value)).rejects.toThrow(/invalid record id/);
      await expect(store.listRecords('doc', 'Version')).rejects.toThrow(/invalid record kind/);
      await expect(store.deleteRecords('doc', 'version', ['ok', 'not ok'])).rejects.toThrow(/invalid record id/);
      expect(await store.listRecords('doc', 'version')).toEqual([]);
    });

    it('purges everything of one document — snapshot, log, summary, records — and nothing of another', async () => {
      await setup();
      const doc = new Y.Doc();
      await store.append([
        { name: 'doomed', updates: edits(doc, ['gone']), stateVector: ANY_STATE_VECTOR, summary: { title: 'Doomed', totalBytes: 4 } },
        { name: 'doomed-not', updates: edits(new Y.Doc(), ['stays']), stateVector: ANY_STATE_VECTOR, summary: { title: 'Stays', totalBytes: 5 } },
      ]);
      await store.compact('doomed', Y.encodeStateAsUpdate(doc), Y.encodeStateVector(doc), 'Doomed');
      await store.append([{ name: 'doomed', updates: edits(doc, [' again']), stateVector: ANY_STATE_VECTOR }]);
      await store.putRecord('doomed', 'version', 'v1', new Uint8Array([1, 2, 3]));
      await store.putRecord('doomed-not', 'version', 'v1', new Uint8Array([4]));
      await store.purge('doomed');
      await store.close();
      store = await harness.reopen();
      expect(await store.load('doomed')).toEqual({ updates: [], stateVector: undefined, logCount: 0, logBytes: 0, totalBytes: 0 });
      expect(await store.listRecords('doomed', 'version')).toEqual([]);
      expect(await store.namesWithLog()).not.toContain('doomed');
      expect((await store.list()).map((d) => d.name)).toEqual(['doomed-not']);
      expect(textOf((await store.load('doomed-not')).updates)).toBe('stays');
      expect(await store.listRecords('doomed-not', 'version')).toHaveLength(1);
    });

    describe('shared by several processes', () => {
      let peer: DocStore | undefined;
      afterEach(async () => {
        await peer?.close();
        peer = undefined;
      });
      /** A second process's store, or undefined for a backend only one process can open. */
      const openPeer = async (): Promise<DocStore | undefined> => {
        await setup();
        peer = await harness.openPeer?.();
        return peer;
      };

      it('follow delivers what another process appends after the load, in order, once each, and never our own', async () => {
        const other = await openPeer();
        if (!other) return;
        const writer = new Y.Doc();
        const [a, b, c, d, e] = edits(writer, ['a', 'b', 'c', 'd', 'e']);
        await other.append([{ name: 'followed', updates: [a!] }]);
        const loaded = await store.load('followed');
        const delivered: Uint8Array[][] = [];
        store.follow!('followed', ({ updates }) => delivered.push(updates));
        await other.append([{ name: 'followed', updates: [b!] }]);
        await store.append([{ name: 'followed', updates: edits(new Y.Doc(), ['own']) }]);
        await other.append([{ name: 'followed', updates: [c!, d!] }]);
        // One more entry of the other's: once it is delivered, everything before it has been (in order).
        await other.append([{ name: 'followed', updates: [e!] }]);
        await eventually(() => delivered.flat().length === 4, 'four updates delivered');
        // b alone (our own entry came next); c and d, one entry, together, then e: with them when
        // the follower read both at once (a busy machine), else after them.
        expect(delivered.map((updates) => updates.length)).toEqual(delivered.length === 3 ? [1, 2, 1] : [1, 3]);
        expect(textAfter([...loaded.updates, ...delivered.flat()])).toBe('abcde');
      });

      it('says when our own appends are ordered after what it delivers', async () => {
        const other = await openPeer();
        if (!other) return;
        await store.load('ahead');
        await other.append([{ name: 'ahead', updates: edits(new Y.Doc(), ['theirs']) }]);
        await store.append([{ name: 'ahead', updates: edits(new Y.Doc(), ['mine']) }]);
        const flags: boolean[] = [];
        store.follow!('ahead', ({ ownEntriesAhead }) => flags.push(ownEntriesAhead));
        await eventually(() => flags.length === 1, 'their first entry delivered');
        await other.append([{ name: 'ahead', updates: edits(new Y.Doc(), ['after']) }]);
        await eventually(() => flags.length === 2, 'their second entry delivered');
        // 'mine' was ordered after 'theirs' (and applied before it arrived), not after 'after'.
        expect(flags).toEqual([true, false]);
      });

      it('compaction leaves what another process appended and we did not hold yet', async () => {
        const other = await openPeer();
        if (!other) return;
        const ours = new Y.Doc();
        await store.append([{ name: 'kept', updates: edits(ours, ['1']) }]);
        await store.load('kept'); // no follow: whatever the other process appends stays undelivered
        await other.append([{ name: 'kept', updates: edits(new Y.Doc(), ['theirs']) }]);
        await store.append([{ name: 'kept', updates: edits(ours, ['2']) }]);
        await store.compact('kept', Y.encodeStateAsUpdate(ours), Y.encodeStateVector(ours), null);
        const text = textOf((await other.load('kept')).updates);
        expect(text).toContain('theirs');
        expect(text.replace('theirs', '')).toBe('12');
      });

      it('two processes compacting at once lose nothing, and the older snapshot does not replace the newer', async () => {
        const other = await openPeer();
        if (!other) return;
        const docs = [new Y.Doc(), new Y.Doc()];
        const stores = [store, other];
        for (const s of stores) await s.load('both');
        stores.forEach((s, i) => s.follow!('both', ({ updates }) => updates.forEach((u) => Y.applyUpdate(docs[i]!, u))));
        for (let round = 0; round < 5; round++) {
          await Promise.all(stores.map((s, i) => s.append([{ name: 'both', updates: edits(docs[i]!, [`<${i}:${round}>`]) }])));
        }
        await eventually(() => docs[0]!.getText('t').length === docs[1]!.getText('t').length, 'both processes to hold everything');
        // One compacts with all of it while the other compacts with a document that lacks its last edits.
        const stale = Y.encodeStateAsUpdate(docs[1]!);
        const staleVector = Y.encodeStateVector(docs[1]!);
        await Promise.all([
          store.compact('both', Y.encodeStateAsUpdate(docs[0]!), Y.encodeStateVector(docs[0]!), null),
          other.compact('both', stale, staleVector, null),
        ]);
        await store.append([{ name: 'both', updates: edits(docs[0]!, ['<after>']) }]);
        const reader = await harness.openPeer!();
        const text = textOf((await reader.load('both')).updates);
        await reader.close();
        for (let round = 0; round < 5; round++) for (const i of [0, 1]) expect(text).toContain(`<${i}:${round}>`);
        expect(text).toContain('<after>');
        expect(text.length).toBe(docs[0]!.getText('t').length);
      });

      it('follows several documents kept in different places, each in order', async () => {
        const other = await openPeer();
        if (!other) return;
        const names = spreadNamesOf(harness);
        const received = new Map(names.map((name) => [name, new Y.Doc()]));
        for (const name of names) {
          await store.load(name);
          store.follow!(name, ({ updates }) => updates.forEach((update) => Y.applyUpdate(received.get(name)!, update)));
        }
        const writers = names.map(() => new Y.Doc());
        for (const round of ['1', '2', '3']) {
          await other.append(names.map((name, i) => ({ name, updates: edits(writers[i]!, [`${name}:${round} `]) })));
        }
        const expected = (name: string): string => `${name}:1 ${name}:2 ${name}:3 `;
        await eventually(() => names.every((name) => received.get(name)!.getText('t').toString() === expected(name)), 'every document\'s edits');
      });
    });

    it('writes several documents kept in different places in one append, and lists, compacts and purges each alone', async () => {
      await setup();
      const names = spreadNamesOf(harness);
      const docs = names.map(() => new Y.Doc());
      await store.append(names.map((name, i) => ({ name, updates: edits(docs[i]!, [name]), stateVector: ANY_STATE_VECTOR, summary: { title: `Title ${name}`, totalBytes: i } })));
      for (const name of names) expect(textOf((await store.load(name)).updates)).toBe(name);
      expect((await store.list()).map(({ name, title }) => [name, title])).toEqual([...names].sort().map((name) => [name, `Title ${name}`]));
      expect((await store.namesWithLog()).sort()).toEqual([...names].sort());
      const [compacted, purged, kept] = names as [string, string, string];
      await store.compact(compacted, Y.encodeStateAsUpdate(docs[0]!), Y.encodeStateVector(docs[0]!), 'Compacted');
      await store.putRecord(purged, 'version', 'v1', new Uint8Array([1]));
      await store.purge(purged);
      expect((await store.namesWithLog()).sort()).toEqual([kept]);
      expect((await store.list()).map(({ name }) => name)).toEqual([compacted, kept].sort());
      expect(await store.listRecords(purged, 'version')).toEqual([]);
      expect(textOf((await store.load(compacted)).updates)).toBe(compacted);
      expect(textOf((await store.load(kept)).updates)).toBe(kept);
    });
  });
}

/** At least three document names the harness keeps in different places. */
function spreadNamesOf(harness: StoreHarness): readonly string[] {
  const names = harness.spreadNames ?? ['spread-one', 'spread-two', 'spread-three'];
  if (names.length < 3) throw new Error('the harness must give at least three spread names');
  return names;
}
