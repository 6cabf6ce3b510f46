/**
 * What changed between two versions of a document, word by word, placed on the one shown: the
 * text it has that the other lacks (`added`, as ranges of its positions), and the text the other
 * has that it lacks (`removed`, each with the position in the shown document where it stood).
 * Both documents are read as their text, one line per text block; the words are compared with
 * jsdiff. Changes of formatting alone (bold, a heading level) are not text changes and not shown.
 */
import { diffLines, diffWordsWithSpace, type ChangeObject } from 'diff';
import type { Node } from 'prosemirror-model';

export interface VersionDiff {
  /** Ranges of the shown document (ProseMirror positions) whose text the other lacks. */
  added: Array<{ from: number; to: number }>;
  /** Text the other document has and the shown one lacks, and where in the shown one it stood. */
  removed: Array<{ at: number; text: string }>;
}

/** The text of a document, with where each character lies in it. */
interface FlatText {
  text: string;
  /** The position of each character; -1 for the line break between two text blocks. */
  positions: number[];
  /** Where text inserted before each index (and at the end) would go. */
  insertAt: number[];
}

/**
 * A word diff gives up past this many edit steps or milliseconds (its cost grows with the product
 * of the text's length and the edits), and lines are compared instead: coarser, always quick.
 */
const WORD_DIFF_LIMITS = { maxEditLength: 2000, timeout: 300 };

/** How `shown` differs from `base`. */
export function diffDocuments(base: Node, shown: Node): VersionDiff {
  const before = flatten(base);
  const after = flatten(shown);
  const parts: ChangeObject<string>[] =
    diffWordsWithSpace(before.text, after.text, WORD_DIFF_LIMITS) ?? diffLines(before.text, after.text);
  const diff: VersionDiff = { added: [], removed: [] };
  let index = 0; // in the shown text
  for (const part of parts) {
    if (part.removed) {
      diff.removed.push({ at: after.insertAt[index]!, text: part.value });
    } else {
      if (part.added) diff.added.push(...ranges(after.positions, index, index + part.value.length));
      index += part.value.length;
    }
  }
  return diff;
}

/** The text of `doc`, text blocks separated by line breaks, and where its characters are. */
function flatten(doc: Node): FlatText {
  const flat: FlatText = { text: '', positions: [], insertAt: [] };
  let blockEnd = 0; // the end of the last text block's content
  let first = true;
  doc.descendants((node, pos) => {
    if (node.isTextblock) {
      if (!first) push(flat, '\n', -1, blockEnd);
      first = false;
      blockEnd = pos + 1 + node.content.size;
    } else if (node.isText) {
      for (let i = 0; i < node.text!.length; i++) push(flat, node.text![i]!, pos + i, pos + i);
    } else if (node.isInline && node.isLeaf) {
      push(flat, node.type.name === 'hard_break' ? '\n' : '\ufffc', pos, pos); // one character for a leaf, as ProseMirror counts it
    }
    return true;
  });
  flat.insertAt.push(first ? 0 : blockEnd);
  return flat;
}

function push(flat: FlatText, char: string, position: number, insertAt: number): void {
  flat.text += char;
  flat.positions.push(position);
  flat.insertAt.push(insertAt);
}

/** The runs of consecutive positions among `positions[from..to)`, skipping block breaks. */
function ranges(positions: number[], from: number, to: number): Array<{ from: number; to: number }> {
  const runs: Array<{ from: number; to: number }> = [];
  for (let i = from; i < to; i++) {
    const position = positions[i]!;
    if (position < 0) continue;
    const last = runs.at(-1);
    if (last && last.to === position) last.to = position + 1;
    else runs.push({ from: position, to: position + 1 });
  }
  return runs;
}
