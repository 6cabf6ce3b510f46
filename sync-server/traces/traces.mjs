// The editing traces kept beside this file (format and licence in README.md), read and replayed,
// into a plain string or into Yjs. Used by the trace test and by both benchmarks.
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';

/** Path of the gzipped trace `name` (e.g. `automerge-paper`). */
export function tracePath(name) {
  return fileURLToPath(new URL(`./${name}.json.gz`, import.meta.url));
}

/** A sequential trace: `{ startContent, endContent, txns: [{ patches: [[pos, del, insert]] }] }`. */
export function readTrace(name) {
  const trace = JSON.parse(zlib.gunzipSync(fs.readFileSync(tracePath(name))).toString('utf8'));
  if (trace.kind === 'concurrent') throw new Error(`${name} is a concurrent trace; only sequential traces replay`);
  return trace;
}

/** Every patch of every transaction, in order. */
export function tracePatches(trace) {
  return trace.txns.flatMap((txn) => txn.patches);
}

const ASTRAL = /[\u{10000}-\u{10FFFF}]/u;

/** Whether `text` or any patch's insert holds a character outside the BMP (two UTF-16 units). */
function hasAstral(text, patches) {
  return ASTRAL.test(text) || patches.some((p) => ASTRAL.test(p[2]));
}

/**
 * `text` after `patches`, on plain strings (no Yjs). Positions are code points: string offsets
 * when every character is one UTF-16 unit (automerge-paper), an array of code points otherwise.
 */
export function applyPatchesToString(text, patches) {
  if (!hasAstral(text, patches)) {
    for (const [pos, del, ins] of patches) text = text.slice(0, pos) + ins + text.slice(pos + del);
    return text;
  }
  const points = Array.from(text);
  for (const [pos, del, ins] of patches) points.splice(pos, del, ...Array.from(ins));
  return points.join('');
}

/** UTF-16 offset of code point `points` in `text`. */
function utf16Offset(text, points) {
  let offset = 0;
  for (let p = 0; p < points && offset < text.length; p++) {
    const code = text.charCodeAt(offset);
    offset += code >= 0xd800 && code <= 0xdbff ? 2 : 1;
  }
  return offset;
}

/**
 * Apply patches to a Y.Text one by one (one Yjs transaction, so one update, per insert or delete).
 * Traces count code points and Y.Text counts UTF-16 units: positions are converted when the text
 * holds characters outside the BMP (automerge-paper has none, so it takes the fast path).
 */
export function replayIntoYText(text, patches) {
  const astral = hasAstral(text.toString(), patches);
  for (let [pos, del, ins] of patches) {
    if (astral) {
      const s = text.toString();
      const at = utf16Offset(s, pos);
      del = utf16Offset(s.slice(at), del);
      pos = at;
    }
    if (del) text.delete(pos, del);
    if (ins) text.insert(pos, ins);
  }
}
