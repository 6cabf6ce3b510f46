// @vitest-environment jsdom
import { MAX_TITLE_LENGTH } from '@tandem/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { getTitle, setTitle, titleText } from './meta.js';
import { bindTitle, mapPosition } from './titleBinding.js';

let cleanup: Array<() => void> = [];
afterEach(() => {
  for (const undo of cleanup) undo();
  cleanup = [];
});

/** A focused field bound to a document that has a peer (`remote`) connected to it directly. */
function boundField(setup?: (doc: Y.Doc) => void) {
  const local = new Y.Doc();
  const remote = new Y.Doc();
  setup?.(remote);
  Y.applyUpdate(local, Y.encodeStateAsUpdate(remote));
  local.on('update', (update: Uint8Array, origin: unknown) => origin !== remote && Y.applyUpdate(remote, update, local));
  remote.on('update', (update: Uint8Array, origin: unknown) => origin !== local && Y.applyUpdate(local, update, remote));
  const field = document.createElement('input');
  document.body.append(field);
  field.focus();
  const unbind = bindTitle(local, field);
  cleanup.push(unbind, () => field.remove());
  /** What the browser does when the person types `text` at the caret (replacing any selection). */
  const type = (text: string) => {
    const start = field.selectionStart!;
    field.setRangeText(text, start, field.selectionEnd!, 'end');
    field.dispatchEvent(new Event('input', { bubbles: true }));
  };
  const backspace = () => {
    const start = field.selectionStart!;
    field.setRangeText('', Math.max(0, start - 1), field.selectionEnd!, 'end');
    field.dispatchEvent(new Event('input', { bubbles: true }));
  };
  const caret = () => [field.selectionStart, field.selectionEnd];
  return { local, remote, field, type, backspace, caret, unbind };
}

describe('the title field', () => {
  it('shows the title and sends what is typed as small edits, never a new whole title', () => {
    const t = boundField((doc) => setTitle(doc, 'Roadmap'));
    expect(t.field.value).toBe('Roadmap');
    const deltas: unknown[] = [];
    titleText(t.remote).observe((event) => deltas.push(event.delta));
    t.field.setSelectionRange(0, 0);
    t.type('T');
    t.field.setSelectionRange(t.field.value.length, t.field.value.length);
    t.type('!');
    t.backspace();
    expect(getTitle(t.remote)).toBe('TRoadmap');
    expect(deltas).toEqual([[{ insert: 'T' }], [{ retain: 8 }, { insert: '!' }], [{ retain: 8 }, { delete: 1 }]]);
  });

  it('keeps the caret where the person types while someone else edits before and after it', () => {
    const t = boundField((doc) => setTitle(doc, 'Team Roadmap'));
    t.field.setSelectionRange(5, 5);
    t.type('P');
    setTitle(t.remote, 'Big Team PRoadmap'); // before the caret: it moves with the text
    expect(t.field.value).toBe('Big Team PRoadmap');
    expect(t.caret()).toEqual([10, 10]);
    t.type('r');
    setTitle(t.remote, 'Big Team PrRoadmap 2025'); // after the caret: it stays
    expect(t.caret()).toEqual([11, 11]);
    t.type('o');
    expect(getTitle(t.remote)).toBe('Big Team ProRoadmap 2025');
  });

  it('keeps a selection around the same words when text before it is deleted or inserted at its edges', () => {
    const t = boundField((doc) => setTitle(doc, 'Big Team Roadmap'));
    t.field.setSelectionRange(9, 16); // "Roadmap"
    setTitle(t.remote, 'Team Roadmap');
    expect(t.caret()).toEqual([5, 12]);
    titleText(t.remote).insert(5, '>');
    titleText(t.remote).insert(13, '<');
    expect(t.field.value).toBe('Team >Roadmap<');
    expect(t.field.value.slice(t.field.selectionStart!, t.field.selectionEnd!)).toBe('Roadmap');
  });

  it('a remote deletion around the caret puts it where the deleted text was', () => {
    const t = boundField((doc) => setTitle(doc, 'Quarterly plan'));
    t.field.setSelectionRange(4, 4);
    titleText(t.remote).delete(2, 6);
    expect(t.field.value).toBe('Quy plan');
    expect(t.caret()).toEqual([2, 2]);
  });

  it('is not cut at the length limit by a remote change, but takes no more typing past it', () => {
    const t = boundField((doc) => setTitle(doc, 'x'.repeat(MAX_TITLE_LENGTH - 1)));
    t.field.setSelectionRange(0, 0);
    t.type('ab');
    expect(getTitle(t.local)).toBe(`a${'x'.repeat(MAX_TITLE_LENGTH - 1)}`);
    expect(t.field.value).toBe(getTitle(t.local));
    expect(t.caret()).toEqual([1, 1]);
  });

  it('shows a title stored the old way, and converts it at the first keystroke', () => {
    const t = boundField((doc) => doc.getMap('meta').set('title', 'Roadmap'));
    expect(t.field.value).toBe('Roadmap');
    t.field.setSelectionRange(7, 7);
    t.type('!');
    expect(getTitle(t.remote)).toBe('Roadmap!');
    expect(t.remote.getMap('meta').has('title')).toBe(false);
  });

  it('keeps the caret when someone else converts an old title while this person has it selected', () => {
    const t = boundField((doc) => doc.getMap('meta').set('title', 'Roadmap'));
    t.field.setSelectionRange(4, 4);
    setTitle(t.remote, 'Team Roadmap');
    expect(t.field.value).toBe('Team Roadmap');
    expect(t.caret()).toEqual([9, 9]);
    // A change to the old string by an editor of the old kind shows too, until the text exists.
    const legacyOnly = boundField((doc) => doc.getMap('meta').set('title', 'Plan'));
    legacyOnly.remote.getMap('meta').set('title', 'Plan B');
    expect(legacyOnly.field.value).toBe('Plan B');
  });

  it('stops following the document once unbound', () => {
    const t = boundField((doc) => setTitle(doc, 'Before'));
    t.unbind();
    setTitle(t.remote, 'After');
    expect(t.field.value).toBe('Before');
    t.field.value = 'Typed';
    t.field.dispatchEvent(new Event('input'));
    expect(getTitle(t.remote)).toBe('After');
  });
});

describe('mapPosition', () => {
  it('shifts by insertions before, not at, the position unless asked, and clamps deletions around it', () => {
    expect(mapPosition([{ retain: 2 }, { insert: 'abc' }], 5, false)).toBe(8);
    expect(mapPosition([{ retain: 5 }, { insert: 'abc' }], 5, false)).toBe(5);
    expect(mapPosition([{ retain: 5 }, { insert: 'abc' }], 5, true)).toBe(8);
    expect(mapPosition([{ retain: 6 }, { insert: 'abc' }], 5, true)).toBe(5);
    expect(mapPosition([{ retain: 1 }, { delete: 2 }], 5, false)).toBe(3);
    expect(mapPosition([{ retain: 3 }, { delete: 5 }], 5, false)).toBe(3);
    expect(mapPosition([{ delete: 2 }, { insert: 'xyz' }], 4, false)).toBe(5);
  });
});
