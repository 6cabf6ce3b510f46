/**
 * One write-ahead log record: the appends of one `DocStore.append` call (one event-loop turn of
 * the server), with the time their summaries were written, so a replay stores what the live write
 * would have.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import type { DocAppend } from './DocStore.js';

const HAS_STATE_VECTOR = 1;
const HAS_SUMMARY = 2;
const HAS_TITLE = 4;

/** What a record holds. */
export interface WalTurn {
  appends: DocAppend[];
  /** When the appends were made (ms since the epoch): the summaries' update time. */
  at: number;
}

export function encodeWalTurn({ appends, at }: WalTurn): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, at);
  encoding.writeVarUint(encoder, appends.length);
  for (const { name, updates, stateVector, summary } of appends) {
    encoding.writeVarString(encoder, name);
    encoding.writeVarUint(encoder, updates.length);
    for (const update of updates) encoding.writeVarUint8Array(encoder, update);
    const flags = (stateVector ? HAS_STATE_VECTOR : 0) | (summary ? HAS_SUMMARY : 0) | (summary?.title != null ? HAS_TITLE : 0);
    encoding.writeVarUint(encoder, flags);
    if (stateVector) encoding.writeVarUint8Array(encoder, stateVector);
    if (summary) {
      encoding.writeVarUint(encoder, summary.totalBytes);
      if (summary.title != null) encoding.writeVarString(encoder, summary.title);
    }
  }
  return encoding.toUint8Array(encoder);
}

/** The turn a record holds; its byte arrays are views into `body`. Throws on a malformed body. */
export function decodeWalTurn(body: Uint8Array): WalTurn {
  const decoder = decoding.createDecoder(body);
  const at = decoding.readVarUint(decoder);
  const appends: DocAppend[] = [];
  for (let count = decoding.readVarUint(decoder); count > 0; count--) {
    const name = decoding.readVarString(decoder);
    const updates: Uint8Array[] = [];
    for (let n = decoding.readVarUint(decoder); n > 0; n--) updates.push(decoding.readVarUint8Array(decoder));
    const flags = decoding.readVarUint(decoder);
    const append: DocAppend = { name, updates };
    if (flags & HAS_STATE_VECTOR) append.stateVector = decoding.readVarUint8Array(decoder);
    if (flags & HAS_SUMMARY) {
      const totalBytes = decoding.readVarUint(decoder);
      append.summary = { title: flags & HAS_TITLE ? decoding.readVarString(decoder) : null, totalBytes };
    }
    appends.push(append);
  }
  return { appends, at };
}
