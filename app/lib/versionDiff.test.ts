import { schema } from '@tandem/document';
import { Node } from 'prosemirror-model';
import { describe, expect, it } from 'vitest';
import { diffDocuments } from './versionDiff';

const doc = (...blocks: object[]) => Node.fromJSON(schema, { type: 'doc', content: blocks });
const p = (...content: object[]) => ({ type: 'paragraph', content });
const t = (text: string, marks?: string[]) => ({ type: 'text', text, ...(marks ? { marks: marks.map((type) => ({ type })) } : {}) });

describe('diffDocuments', () => {
  it('finds no change between equal documents, whatever their formatting', () => {
    expect(diffDocuments(doc(p(t('same words'))), doc(p(t('same '), t('words', ['bold']))))).toEqual({ added: [], removed: [] });
  });

  it('marks words the shown version has as added, at their positions', () => {
    const base = doc(p(t('Ship on time')));
    const shown = doc(p(t('Ship early on time')));
    const { added, removed } = diffDocuments(base, shown);
    expect(removed).toEqual([]);
    expect(added).toHaveLength(1);
    expect(shown.textBetween(added[0]!.from, added[0]!.to)).toBe('early ');
  });

  it('places words only the other version has where they stood in the shown one', () => {
    const base = doc(p(t('Ship early on time')));
    const shown = doc(p(t('Ship on time')));
    const { added, removed } = diffDocuments(base, shown);
    expect(added).toEqual([]);
    expect(removed).toEqual([{ at: 1 + 'Ship '.length, text: 'early ' }]);
  });

  it('handles whole paragraphs added and removed, and a change across marks', () => {
    const base = doc(p(t('One')), p(t('Two')), p(t('Gone')));
    const shown = doc(p(t('One')), p(t('Two '), t('bold', ['bold'])), p(t('New')));
    const { added, removed } = diffDocuments(base, shown);
    expect(added.map(({ from, to }) => shown.textBetween(from, to))).toEqual([' bold', 'New']);
    expect(removed.map((r) => r.text)).toEqual(['Gone']);
    // "Gone" stood where the third paragraph's text is.
    expect(removed[0]!.at).toBe(shown.child(0).nodeSize + shown.child(1).nodeSize + 1);
  });

  it('treats an empty document as having everything removed or added', () => {
    const empty = doc(p());
    const full = doc(p(t('All of it')), p(t('and more')));
    expect(diffDocuments(full, empty).removed.map((r) => r.text).join('')).toBe('All of it\nand more');
    expect(diffDocuments(empty, full).added.map(({ from, to }) => full.textBetween(from, to))).toEqual(['All of it', 'and more']);
  });

  it('falls back to comparing lines when the documents differ in too many words', () => {
    const words = (n: number, word: string) => Array.from({ length: n }, (_, i) => `${word}${i}`).join(' ');
    const base = doc(p(t(words(6000, 'a'))), p(t('kept line')));
    const shown = doc(p(t(words(6000, 'b'))), p(t('kept line')));
    const { added, removed } = diffDocuments(base, shown);
    expect(added).toHaveLength(1);
    expect(shown.textBetween(added[0]!.from, added[0]!.to)).toBe(words(6000, 'b'));
    expect(removed[0]!.text.startsWith('a0 a1')).toBe(true);
  });
});
