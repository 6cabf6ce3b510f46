/**
 * Checks a client's Yjs update before the server applies or stores it. Y.decodeUpdate catches
 * truncated and garbled bytes, but not numbers Yjs cannot round-trip: lib0's readVarUint accepts
 * a last byte that lifts a value past 2^53, so an update may carry a client ID, clock or length
 * that decodes as an inexact float. Applied, it poisons the document: every later
 * encodeStateAsUpdate throws "Integer out of Range" (no client can sync, compaction fails, and the
 * stored log reloads the poison). An item may also refer to itself or a later item of its own
 * client, which makes Yjs throw half-way through integrating it. Both found by the fuzzer.
 */
import * as Y from 'yjs';
import { ProtocolError } from './messages.js';

/** A Yjs update, decoded. */
export type DecodedUpdate = ReturnType<typeof Y.decodeUpdate>;

/**
 * Decode a client's update fully, before anything of it is applied (Yjs integrates structs before
 * it reads the delete set, so a truncated update could otherwise change the document before it
 * fails), and check it (see {@link validateUpdate}). Throws a {@link ProtocolError}.
 */
export function decodeClientUpdate(update: Uint8Array): DecodedUpdate {
  try {
    return validateUpdate(update);
  } catch (error) {
    throw new ProtocolError(`invalid Yjs update: ${(error as Error).message}`);
  }
}

/** Decode `update` fully and check every ID and range is an exact integer; throws with the reason. */
export function validateUpdate(update: Uint8Array): DecodedUpdate {
  const decoded = Y.decodeUpdate(update);
  const { structs, ds } = decoded;
  for (const struct of structs) {
    checkRange(struct.id.client, struct.id.clock, struct.length);
    if (struct.length < 1) throw new Error(`struct ${struct.id.client}:${struct.id.clock} has length ${struct.length}`);
    if (struct instanceof Y.Item) {
      const parent: unknown = struct.parent;
      for (const ref of [struct.origin, struct.rightOrigin, parent instanceof Y.ID ? parent : null]) {
        if (!ref) continue;
        checkRange(ref.client, ref.clock, 1);
        // An item can only point at items that existed when it was made: of its own client, earlier
        // ones. Yjs skips its missing-dependency check for such references and throws mid-integration.
        if (ref.client === struct.id.client && ref.clock >= struct.id.clock) {
          throw new Error(`item ${struct.id.client}:${struct.id.clock} refers to ${ref.client}:${ref.clock}, not an earlier item`);
        }
      }
    }
  }
  for (const [client, deletions] of ds.clients) {
    for (const { clock, len } of deletions) {
      checkRange(client, clock, len);
      // Yjs cannot re-encode an empty deletion ("Unexpected case") and throws half-way through applying it.
      if (len < 1) throw new Error(`deletion ${client}:${clock} has length ${len}`);
    }
  }
  return decoded;
}

function checkRange(client: number, clock: number, length: number): void {
  if (!Number.isSafeInteger(client) || client < 0) throw new Error(`client ID ${client} is not a safe integer`);
  if (!Number.isSafeInteger(clock) || clock < 0 || !Number.isSafeInteger(length) || length < 0 || !Number.isSafeInteger(clock + length)) {
    throw new Error(`clock range ${clock}+${length} of client ${client} is not a safe integer`);
  }
}
