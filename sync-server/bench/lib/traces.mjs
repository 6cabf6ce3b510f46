// The shared editing traces (../shared/traces beside the repo; format in its README), read and
// replayed into Yjs. Used by the benchmark and by the trace replay test.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';

export const TRACES_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..', 'shared', 'traces');

export function tracePath(name) {
  return path.join(TRACES_DIR, `${name}.json.gz`);
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
  const astral = /[\u{10000}-\u{10FFFF}]/u.test(text.toString() + patches.map((p) => p[2]).join(''));
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
