import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { StoredDoc } from './storage/DocStore.js';
import { isEmptyStateVector, storedStateVector } from './storedState.js';

function authorUpdates(texts: string[]): { doc: Y.Doc; updates: Uint8Array[] } {
  const doc = new Y.Doc();
  const updates: Uint8Array[] = [];
  doc.on('update', (u: Uint8Array) => updates.push(u));
  for (const text of texts) doc.getText('t').insert(0, text);
  return { doc, updates };
}

const stored = (updates: Uint8Array[], logCount: number, snapshotStateVector?: Uint8Array): StoredDoc => ({
  updates,
  logCount,
  snapshotStateVector,
  logBytes: 0,
  totalBytes: 0,
});

describe('the state vector of a stored document, without loading it', () => {
  it('matches the loaded document for a snapshot plus a log', () => {
    const { doc, updates } = authorUpdates(['a', 'b', 'c']);
    const snapshotDoc = new Y.Doc();
    Y.applyUpdate(snapshotDoc, updates[0]!);
    const sv = storedStateVector(stored([Y.encodeStateAsUpdate(snapshotDoc), updates[1]!, updates[2]!], 2, Y.encodeStateVector(snapshotDoc)));
    expect(Y.decodeStateVector(sv!)).toEqual(Y.decodeStateVector(Y.encodeStateVector(doc)));
  });

  it('is empty for a document never written', () => {
    expect(isEmptyStateVector(storedStateVector(stored([], 0))!)).toBe(true);
  });

  it('is unknown when the log has a gap (Yjs would hold those structs back)', () => {
    const { updates } = authorUpdates(['a', 'b', 'c']);
    expect(storedStateVector(stored([updates[0]!, updates[2]!], 2))).toBeUndefined();
  });

  it('is unknown for a snapshot stored without its state vector', () => {
    const { doc } = authorUpdates(['a']);
    expect(storedStateVector(stored([Y.encodeStateAsUpdate(doc)], 0))).toBeUndefined();
  });
});
