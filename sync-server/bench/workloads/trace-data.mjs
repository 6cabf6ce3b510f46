// Turns an editing trace into what the trace driver sends: one Yjs update per edit, each as a
// y-websocket sync update message inside a masked WebSocket frame, all in one buffer. All of
// it happens before any clock starts, so the sender costs nothing while a server is measured.
import fsp from 'node:fs/promises';
import * as Y from 'yjs';
import { encodeSyncUpdate } from '@tandem/protocol';
import { framesToBuffer } from '../lib/protocol.mjs';
import { readTrace, replayIntoYText, tracePatches } from '../../traces/traces.mjs';

const TRACE_NAME = 'automerge-paper';
/** The sender's Yjs client id, fixed so that runs are byte-identical. */
const SENDER_CLIENT_ID = 424242;

/**
 * Build the frames for the first `limit` edits (all when undefined), cut back so the last
 * edit is an insert: the watcher knows it has everything when it sees that insert's clock.
 * Writes the frames to `outFile`; returns what the driver needs to know about them.
 */
export async function buildTraceFrames(outFile, limit) {
  const trace = readTrace(TRACE_NAME);
  const patches = tracePatches(trace);
  let n = Math.min(limit ?? patches.length, patches.length);
  while (n > 0 && !patches[n - 1][2]) n--;

  const doc = new Y.Doc();
  doc.clientID = SENDER_CLIENT_ID;
  const text = doc.getText('t');
  if (trace.startContent) text.insert(0, trace.startContent);
  const messages = [];
  doc.on('update', (u) => messages.push(encodeSyncUpdate(u)));
  const initial = messages.splice(0); // startContent, if any, is one more update sent first
  replayIntoYText(text, patches.slice(0, n));
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
