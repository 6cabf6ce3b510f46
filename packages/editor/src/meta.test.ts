import { MAX_TITLE_LENGTH, TITLE_TEXT } from '@tandem/protocol';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { adoptLegacyTitle, editTitle, getTitle, observeTitle, setTitle, titleText } from './meta.js';

/** Two replicas of one document that exchange updates only when told to (concurrent edits between). */
function twoReplicas(setup?: (doc: Y.Doc) => void) {
  const a = new Y.Doc();
  setup?.(a);
  const b = new Y.Doc();
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
  const exchange = () => {
    const fromA = Y.encodeStateAsUpdate(a, Y.encodeStateVector(b));
    const fromB = Y.encodeStateAsUpdate(b, Y.encodeStateVector(a));
    Y.applyUpdate(b, fromA);
    Y.applyUpdate(a, fromB);
  };
  return { a, b, exchange };
}

const legacyTitle = (title: unknown) => (doc: Y.Doc) => doc.getMap('meta').set('title', title);

describe('the title', () => {
  it('is a shared text: renaming at the start and at the end at once keeps both edits', () => {
    const { a, b, exchange } = twoReplicas((doc) => setTitle(doc, 'Roadmap'));
    setTitle(a, 'Team Roadmap');
    setTitle(b, 'Roadmap 2025 Q3');
    exchange();
    expect(getTitle(a)).toBe('Team Roadmap 2025 Q3');
    expect(getTitle(b)).toBe('Team Roadmap 2025 Q3');
  });

  it('is changed by the smallest edit, not replaced', () => {
    const doc = new Y.Doc();
    setTitle(doc, 'Roadmap');
    const deltas: unknown[] = [];
    titleText(doc).observe((event) => deltas.push(event.delta));
    setTitle(doc, 'Roadmap 2025');
    setTitle(doc, 'Road 2025');
    expect(deltas).toEqual([[{ retain: 7 }, { insert: ' 2025' }], [{ retain: 4 }, { delete: 3 }]]);
  });

  it('is cut at the longest title', () => {
    const doc = new Y.Doc();
    setTitle(doc, 'x'.repeat(MAX_TITLE_LENGTH + 50));
    expect(getTitle(doc)).toHaveLength(MAX_TITLE_LENGTH);
    const applied = editTitle(doc, { index: 10, remove: 0, insert: 'more' });
    expect(applied).toEqual({ index: 10, remove: 0, insert: '' });
    expect(getTitle(doc)).toHaveLength(MAX_TITLE_LENGTH);
    expect(editTitle(doc, { index: 0, remove: 2, insert: 'abc' }).insert).toBe('ab');
  });

  it('tells observers about every change, by anyone', () => {
    const { a, b, exchange } = twoReplicas();
    const seen: string[] = [];
    const stop = observeTitle(a, (title) => seen.push(title));
    setTitle(a, 'One');
    setTitle(b, 'Two');
    exchange();
    stop();
    setTitle(a, 'Three');
    expect(getTitle(b)).toMatch(/^(OneTwo|TwoOne)$/);
    expect(seen).toEqual(['One', getTitle(b)]);
  });
});

describe('a title stored the old way (a string in the meta map)', () => {
  it('is the title until the first edit', () => {
    const doc = new Y.Doc();
    legacyTitle('Roadmap')(doc);
    expect(getTitle(doc)).toBe('Roadmap');
    expect(titleText(doc).length).toBe(0);
    legacyTitle(42)(doc);
    expect(getTitle(doc)).toBe('');
  });

  it('moves into the shared text at the first edit, and the string is deleted', () => {
    const doc = new Y.Doc();
    legacyTitle('Roadmap')(doc);
    const clientID = doc.clientID;
    const local: boolean[] = [];
    doc.on('afterTransaction', (transaction: Y.Transaction) => local.push(transaction.local));
    setTitle(doc, 'Team Roadmap');
    // The conversion arrives as another client's update; the edit stays this client's own.
    expect(local).toEqual([false, true]);
    expect(doc.clientID).toBe(clientID);
    expect(doc.getText(TITLE_TEXT).toString()).toBe('Team Roadmap');
    expect(doc.getMap('meta').has('title')).toBe(false);
    // Deleting the whole title leaves it empty: the old string does not come back.
    setTitle(doc, '');
    expect(getTitle(doc)).toBe('');
  });

  it('converted by two people at the same moment is not duplicated, and both edits stay', () => {
    const { a, b, exchange } = twoReplicas(legacyTitle('Roadmap'));
    setTitle(a, 'Team Roadmap');
    setTitle(b, 'Roadmap 2025 Q3');
    exchange();
    expect(getTitle(a)).toBe('Team Roadmap 2025 Q3');
    expect(getTitle(b)).toBe('Team Roadmap 2025 Q3');
    expect(a.getMap('meta').has('title')).toBe(false);
  });

  it('converted twice by the same replica in different sessions is written once', () => {
    const { a, b, exchange } = twoReplicas(legacyTitle('Plan'));
    adoptLegacyTitle(a);
    adoptLegacyTitle(a);
    adoptLegacyTitle(b);
    exchange();
    expect(getTitle(a)).toBe('Plan');
    expect(getTitle(b)).toBe('Plan');
  });

  it('converted from two different strings keeps both (a stale copy loses nothing)', () => {
    const { a, b, exchange } = twoReplicas(legacyTitle('Plan'));
    legacyTitle('Roadmap')(b);
    adoptLegacyTitle(a);
    adoptLegacyTitle(b);
    exchange();
    expect(getTitle(a)).toBe(getTitle(b));
    expect(getTitle(a)).toMatch(/^(PlanRoadmap|RoadmapPlan)$/);
  });
});
