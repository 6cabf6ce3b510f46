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

const stored = (updates: Uint8Array[], stateVector?: Uint8Array): StoredDoc => ({
  updates,
  logCount: updates.length,
  stateVector,
  logBytes: 0,
  totalBytes: 0,
});

describe('the state vector of a stored document, without loading it', () => {
  it('is the one stored beside the updates', () => {
    const { doc, updates } = authorUpdates(['a', 'b']);
    const sv = Y.encodeStateVector(doc);
    expect(storedStateVector(stored(updates, sv))).toBe(sv);
  });

  it('is empty for a document never written', () => {
    expect(isEmptyStateVector(storedStateVector(stored([]))!)).toBe(true);
  });

  it('is unknown when none was stored', () => {
    const { updates } = authorUpdates(['a']);
    expect(storedStateVector(stored(updates))).toBeUndefined();
  });
});
