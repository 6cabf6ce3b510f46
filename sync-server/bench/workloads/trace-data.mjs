// Turns an editing trace into what the trace driver sends: one Yjs update per edit, each as a
// y-websocket sync update message inside a masked WebSocket frame, all in one buffer. All of
// it happens before any clock starts, so the sender costs nothing while a server is measured.
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import zlib from 'node:zlib';
import * as Y from 'yjs';
import { repoRoot } from '../servers.mjs';
import { syncMessage, framesToBuffer, SYNC_UPDATE } from '../lib/protocol.mjs';

export const TRACE_FILE = path.resolve(repoRoot, '..', 'shared', 'traces', 'automerge-paper.json.gz');
/** The sender's Yjs client id, fixed so that runs are byte-identical. */
const SENDER_CLIENT_ID = 424242;

/**
 * Code point offset → UTF-16 offset in `s`. Only needed when the text holds characters
 * outside the BMP (automerge-paper has none, so the fast path takes it).
 */
function utf16Offset(s, codePoints) {
  let units = 0;
  for (let cp = 0; cp < codePoints && units < s.length; cp++) {
    const c = s.charCodeAt(units);
    units += c >= 0xd800 && c <= 0xdbff ? 2 : 1;
  }
  return units;
}

/**
 * Build the frames for the first `limit` edits (all when undefined), cut back so the last
 * edit is an insert: the watcher knows it has everything when it sees that insert's clock.
 * Writes the frames to `outFile`; returns what the driver needs to know about them.
 */
export async function buildTraceFrames(outFile, limit) {
  const trace = JSON.parse(zlib.gunzipSync(await fsp.readFile(TRACE_FILE)).toString());
  if (trace.kind === 'concurrent') throw new Error('the trace workload replays sequential traces only');
  const patches = trace.txns.flatMap((t) => t.patches);
  let n = Math.min(limit ?? patches.length, patches.length);
  while (n > 0 && !patches[n - 1][2]) n--;
  const astral = /[\u{10000}-\u{10FFFF}]/u.test(trace.startContent + patches.slice(0, n).map((p) => p[2]).join(''));

  const doc = new Y.Doc();
  doc.clientID = SENDER_CLIENT_ID;
  const text = doc.getText('t');
  if (trace.startContent) text.insert(0, trace.startContent);
  const messages = [];
  doc.on('update', (u) => messages.push(syncMessage(SYNC_UPDATE, u)));
  const initial = messages.splice(0); // startContent, if any, is one more update sent first
  for (let i = 0; i < n; i++) {
    let [pos, del, ins] = patches[i];
    if (astral) {
      const s = text.toString();
      const at = utf16Offset(s, pos);
      del = utf16Offset(s.slice(at), del);
      pos = at;
    }
    if (del) text.delete(pos, del);
    if (ins) text.insert(pos, ins);
  }
  const endContent = text.toString();
  if (n === patches.length && endContent !== trace.endContent) throw new Error('trace replay does not reach endContent');
  const all = [...initial, ...messages];
  await fsp.writeFile(outFile, framesToBuffer(all));
  const lastClock = doc.store.clients.get(SENDER_CLIENT_ID).at(-1);
  return {
    file: outFile,
    edits: n,
    updates: all.length,
    client: SENDER_CLIENT_ID,
    // The clock just past the final insert: a received update reaching it completes the replay.
    endClock: lastClock.id.clock + lastClock.length,
    endContent,
    chars: [...endContent].length,
    payloadBytes: all.reduce((s, m) => s + m.length, 0),
  };
}

export function traceAvailable() {
  return fs.existsSync(TRACE_FILE);
}
