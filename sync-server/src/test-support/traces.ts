/** Read the shared editing traces (../shared/traces beside the repo) and turn edits into Yjs updates. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import * as Y from 'yjs';

export const TRACES_DIR = fileURLToPath(new URL('../../../../shared/traces/', import.meta.url));

interface SequentialTrace {
  startContent: string;
  endContent: string;
  txns: Array<{ patches: Array<[number, number, string]> }>;
}

export function readTrace(name: string): SequentialTrace {
  return JSON.parse(gunzipSync(readFileSync(`${TRACES_DIR}${name}.json.gz`)).toString('utf8')) as SequentialTrace;
}

/** The trace's patches, flattened, as [position, deleteCount, insert] in code points. */
export function tracePatches(trace: SequentialTrace): Array<[number, number, string]> {
  return trace.txns.flatMap((txn) => txn.patches);
}

/** Apply patches to a string, positions counted in code points. */
export function applyToString(text: string, patches: ReadonlyArray<[number, number, string]>): string {
  let points = Array.from(text);
  for (const [pos, del, ins] of patches) points = [...points.slice(0, pos), ...Array.from(ins), ...points.slice(pos + del)];
  return points.join('');
}

/**
 * Apply patches to a Y.Text one by one, calling `onUpdate` with the Yjs update of each. The
 * traces count code points; Y.Text counts UTF-16 units, so positions are converted.
 */
export function replayIntoYText(text: Y.Text, patches: ReadonlyArray<[number, number, string]>, onEdit?: () => void): void {
  let mirror = text.toString();
  for (const [pos, del, ins] of patches) {
    const start = utf16Offset(mirror, pos);
    const end = del > 0 ? utf16Offset(mirror, pos + del, start, pos) : start;
    if (end > start) text.delete(start, end - start);
    if (ins) text.insert(start, ins);
    mirror = mirror.slice(0, start) + ins + mirror.slice(end);
    onEdit?.();
  }
}

/** UTF-16 offset of code point `points`, scanning from a known (offset, points) pair. */
function utf16Offset(text: string, points: number, fromOffset = 0, fromPoints = 0): number {
  let offset = fromOffset;
  for (let p = fromPoints; p < points; p++) {
    const code = text.charCodeAt(offset);
    offset += code >= 0xd800 && code <= 0xdbff ? 2 : 1;
  }
  return offset;
}
