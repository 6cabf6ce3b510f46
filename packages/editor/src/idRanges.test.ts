import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { changeOfTransaction, changeOfUpdate, IdRanges } from './idRanges.js';

describe('IdRanges', () => {
  it('merges ranges that overlap or touch, and keeps others apart, per client', () => {
    const set = new IdRanges();
    set.add(1, 10, 20);
    set.add(1, 0, 5);
    set.add(1, 20, 25); // touches
    set.add(1, 4, 11); // bridges
    set.add(2, 3, 4);
    set.add(1, 40, 50);
    expect(set.toArray()).toEqual([
      [1, 0, 25],
      [1, 40, 50],
      [2, 3, 4],
    ]);
  });

  it('removes from the middle, the edges and across ranges, and forgets empty clients', () => {
    const set = new IdRanges();
    set.add(1, 0, 10);
    set.add(1, 20, 30);
    set.add(2, 0, 5);
    set.remove(1, 3, 5);
    expect(set.toArray()).toEqual([[1, 0, 3], [1, 5, 10], [1, 20, 30], [2, 0, 5]]);
    set.remove(1, 8, 25);
    expect(set.toArray()).toEqual([[1, 0, 3], [1, 5, 8], [1, 25, 30], [2, 0, 5]]);
    set.removeBelow(new Map([[1, 100], [2, 2]]));
    expect(set.toArray()).toEqual([[2, 2, 5]]);
    const other = new IdRanges();
    other.add(2, 0, 10);
    set.removeAll(other);
    expect(set.isEmpty).toBe(true);
  });

  it('a clone is independent', () => {
    const set = new IdRanges();
    set.add(1, 0, 3);
    const copy = set.clone();
    set.remove(1, 0, 3);
    expect(copy.toArray()).toEqual([[1, 0, 3]]);
  });
});

describe('the IDs a change touches', () => {
  it('a transaction and the update it produced name the same items and deletions', () => {
    const doc = new Y.Doc();
    const text = doc.getText('t');
    text.insert(0, 'hello world');
    let transactionChange: ReturnType<typeof changeOfTransaction>;
    let update = new Uint8Array() as Uint8Array;
    doc.on('afterTransaction', (tr: Y.Transaction) => (transactionChange = changeOfTransaction(tr)));
    doc.on('update', (u: Uint8Array) => (update = u));
    doc.transact(() => {
      text.delete(0, 6);
      text.insert(5, '!');
    });
    const fromUpdate = changeOfUpdate(update);
    expect(transactionChange!.inserted.toArray()).toEqual(fromUpdate.inserted.toArray());
    expect(transactionChange!.deleted.toArray()).toEqual(fromUpdate.deleted.toArray());
    expect(fromUpdate.inserted.toArray()).toEqual([[doc.clientID, 11, 12]]);
    expect(fromUpdate.deleted.toArray()).toEqual([[doc.clientID, 0, 6]]);
  });

  it('a transaction that changes nothing touches nothing; gaps in a merged update are not claimed', () => {
    const doc = new Y.Doc();
    let change: ReturnType<typeof changeOfTransaction> | 'none' = 'none';
    doc.on('afterTransaction', (tr: Y.Transaction) => (change = changeOfTransaction(tr)));
    doc.transact(() => {});
    expect(change).toBeUndefined();

    const source = new Y.Doc();
    const updates: Uint8Array[] = [];
    source.on('update', (u: Uint8Array) => updates.push(u));
    source.getText('t').insert(0, 'a');
    source.getText('t').insert(1, 'b');
    source.getText('t').insert(2, 'c');
    // The first and last update only: the middle clock is missing.
    const merged = Y.mergeUpdates([updates[0]!, updates[2]!]);
    expect(changeOfUpdate(merged).inserted.toArray()).toEqual([
      [source.clientID, 0, 1],
      [source.clientID, 2, 3],
    ]);
  });
});
