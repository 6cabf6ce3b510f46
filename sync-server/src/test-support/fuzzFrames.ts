/**
 * The hostile-input fuzzer's frame generator: deterministic from a seed (lib0's xoroshiro128+),
 * pure (no sockets). It produces bursts of frames for one connection: a run of "soft" frames the
 * server may well accept (awareness floods, replays, queries, mutated updates that happen to
 * decode), then "hard" ones meant to break the protocol (random bytes, truncated varints, huge
 * declared lengths, unknown types, bad awareness, text frames).
 *
 * The content invariant. The suite asserts that the stored document is exactly what honest
 * clients wrote. A write connection is entitled to change the document with any *valid* update,
 * and a bit-flipped or truncated Yjs update can still be valid (a flipped clock or client ID is a
 * new insertion; a flipped delete range deletes honest text). So every frame is classified here
 * against the server's current state: a sync update / step 2 whose payload decodes and would
 * change the document (any struct, pending struct or deletion not already there) is "effectful".
 * A burst holding an effectful frame is sent over a *read-only* token, where the server must drop
 * it; every other burst may go over a write token, where each update frame is either rejected by
 * the server's decoder or a no-op (a replay). With that split, "content equals what honest clients
 * wrote" is true by construction when the server behaves, and any write that slips through a
 * read-only connection, or any malformed update that the server applies differently from how
 * Yjs decodes it, shows up as a content difference.
 */
import { MessageType, SyncMessageType } from '@tandem/protocol';
import * as encoding from 'lib0/encoding';
import * as prng from 'lib0/prng';
import * as Y from 'yjs';
import { awarenessFrame, awarenessPayload, syncFrame } from './frames.js';

export type FrameData = Uint8Array | string;

export interface FuzzFrame {
  kind: string;
  data: FrameData;
  /** A valid update that would change the document: may only travel over a read-only token. */
  effectful: boolean;
}

/** What the generator knows about the document under attack. */
export interface FuzzContext {
  /** Updates honest clients sent (exact bytes), to replay and mutate. */
  honestUpdates: readonly Uint8Array[];
  /** Valid updates from the fuzzer's own document: real content the server must not take from a reader. */
  ownUpdates: readonly Uint8Array[];
  /** Awareness client IDs honest clients use. */
  honestClientIds: readonly number[];
  maxAwarenessBytes: number;
  /** Tells whether an update payload would change the server's document. */
  classify: (update: Uint8Array) => UpdateClass;
}

/**
 * - undecodable: Y.decodeUpdate throws; the server must refuse it.
 * - no-op: decodes, and the document (structs, pending structs, deletions) would not change.
 * - effectful: a valid change; only over a read-only token.
 * - apply-throws: decodes, but applying it throws.
 * - poison: applies, but the document can no longer be encoded afterwards.
 */
export type UpdateClass = 'undecodable' | 'no-op' | 'effectful' | 'apply-throws' | 'poison';

/** Build a classifier for updates against the document state `reference` (a full state update). */
export function updateClassifier(reference: Uint8Array): (update: Uint8Array) => UpdateClass {
  const baseDoc = new Y.Doc();
  Y.applyUpdate(baseDoc, reference);
  const baseline = Y.encodeStateAsUpdate(baseDoc);
  baseDoc.destroy();
  return (update) => {
    try {
      Y.decodeUpdate(update);
    } catch {
      return 'undecodable';
    }
    const clone = new Y.Doc();
    try {
      Y.applyUpdate(clone, reference);
      try {
        Y.applyUpdate(clone, update);
      } catch {
        return 'apply-throws';
      }
      let after: Uint8Array;
      try {
        after = Y.encodeStateAsUpdate(clone);
      } catch (error) {
        if (process.env.TANDEM_FUZZ_DEBUG) console.log('[fuzz] poison update', Buffer.from(update).toString('hex'), (error as Error).message);
        return 'poison';
      }
      return equalBytes(after, baseline) ? 'no-op' : 'effectful';
    } finally {
      clone.destroy();
    }
  };
}

export const equalBytes = (a: Uint8Array, b: Uint8Array): boolean => a.byteLength === b.byteLength && a.every((v, i) => v === b[i]);

/** Valid updates with real content (text, marks, map entries, XML), none of it honest. */
export function makeOwnUpdates(gen: prng.PRNG, count: number): Uint8Array[] {
  const doc = new Y.Doc();
  const updates: Uint8Array[] = [];
  doc.on('update', (update: Uint8Array) => updates.push(update));
  for (let i = 0; i < count; i++) {
    const text = doc.getText('text');
    switch (prng.uint32(gen, 0, 3)) {
      case 0:
        text.insert(prng.uint32(gen, 0, text.length), `EVIL${prng.word(gen, 1, 12)}`);
        break;
      case 1:
        if (text.length > 2) text.format(0, prng.uint32(gen, 1, text.length), { bold: true });
        else text.insert(0, 'EVIL');
        break;
      case 2:
        doc.getMap('meta').set('title', `EVIL ${prng.word(gen)}`);
        break;
      default: {
        const p = new Y.XmlElement('paragraph');
        p.insert(0, [new Y.XmlText(`EVIL ${prng.word(gen)}`)]);
        doc.getXmlFragment('prosemirror').insert(0, [p]);
      }
    }
  }
  doc.destroy();
  return updates;
}

/** A frame whose first varUint is `type`, followed by `rest`. */
function typed(type: number, rest: Uint8Array = new Uint8Array()): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, type);
  encoding.writeUint8Array(encoder, rest);
  return encoding.toUint8Array(encoder);
}

function varUint(n: number): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, n);
  return encoding.toUint8Array(encoder);
}

const concat = (...parts: Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
};

/** A copy of `bytes` with one of several mutations: bit flips, truncation, splices, a huge varint. */
function mutate(gen: prng.PRNG, bytes: Uint8Array): { kind: string; bytes: Uint8Array } {
  const copy = bytes.slice();
  const at = prng.uint32(gen, 0, Math.max(0, copy.byteLength - 1));
  switch (prng.uint32(gen, 0, 5)) {
    case 0: {
      const flips = prng.uint32(gen, 1, 3);
      for (let i = 0; i < flips && copy.byteLength > 0; i++) copy[prng.uint32(gen, 0, copy.byteLength - 1)]! ^= 1 << prng.uint32(gen, 0, 7);
      return { kind: 'bit-flipped', bytes: copy };
    }
    case 1:
      return { kind: 'truncated', bytes: copy.slice(0, at) };
    case 2:
      return { kind: 'byte-deleted', bytes: concat(copy.slice(0, at), copy.slice(at + 1)) };
    case 3:
      return { kind: 'bytes-inserted', bytes: concat(copy.slice(0, at), prng.uint8Array(gen, prng.uint32(gen, 1, 8)), copy.slice(at)) };
    case 4:
      return { kind: 'huge-varint-spliced', bytes: concat(copy.slice(0, at), new Uint8Array([0xff, 0xff, 0xff, 0xff, 0x7f]), copy.slice(at + 1)) };
    default: {
      copy[at] = prng.oneOf(gen, [0x00, 0x7f, 0x80, 0xff]);
      return { kind: 'byte-set', bytes: copy };
    }
  }
}

/** Wrap an update payload as a sync update or step 2, classified against the server's state. */
function updateFrameFor(gen: prng.PRNG, ctx: FuzzContext, kind: string, update: Uint8Array): FuzzFrame {
  const cls = ctx.classify(update);
  const syncType = prng.bool(gen) ? SyncMessageType.Update : SyncMessageType.Step2;
  return { kind: `${kind}:${cls}`, data: syncFrame(syncType, update), effectful: cls === 'effectful' };
}

/** A presence state the server must accept (see presenceSchema.ts): a user, and a cursor or none. */
function wellFormedPresence(gen: prng.PRNG): unknown {
  const position = (): unknown => (prng.bool(gen) ? { type: null, tname: null, item: { client: prng.uint32(gen, 0, 2 ** 31), clock: prng.uint32(gen, 0, 1e6) }, assoc: 0 } : { tname: 'prosemirror' });
  return {
    user: { name: prng.word(gen, 1, 30), color: `#${prng.uint32(gen, 0, 0xffffff).toString(16).padStart(6, '0')}` },
    cursor: prng.bool(gen) ? null : { anchor: position(), head: position() },
  };
}

/** Presence states the server must refuse (see presenceSchema.ts), each of a different fault. */
function malformedPresence(gen: prng.PRNG): unknown {
  const good = { tname: 'prosemirror' };
  return prng.oneOf(gen, [
    { user: { name: 'M', color: '#ff0000' }, cursor: { anchor: null, head: null } },
    { user: 'M', cursor: { anchor: good, head: good } },
    { user: { name: prng.uint32(gen, 0, 1e9), color: '#ff0000' } },
    { user: { name: 'M', color: 'red; background: url(x)' } },
    { cursor: { anchor: { item: { client: 2 ** 60, clock: 0 } }, head: good } },
    { cursor: { anchor: { item: { client: 1, clock: 0.5 } }, head: good } },
    { cursor: { anchor: {}, head: good } },
    { cursor: 'here' },
    { deep: JSON.parse(`${'['.repeat(64)}${']'.repeat(64)}`) as unknown },
    prng.oneOf(gen, ['text', 42, 1e308, true, [1, 2]]),
  ]);
}

/** Frames the server may accept without closing the connection. */
function softFrame(gen: prng.PRNG, ctx: FuzzContext, own: { ids: number[]; clock: number }): FuzzFrame {
  const pick = prng.uint32(gen, 0, 9);
  switch (pick) {
    case 0:
    case 1: {
      // Awareness flood: this connection's own client IDs, ever-newer clocks.
      const entries = own.ids.slice(0, prng.uint32(gen, 1, own.ids.length)).map((clientId) => ({
        clientId,
        clock: ++own.clock,
        state: prng.uint32(gen, 0, 9) === 0 ? null : wellFormedPresence(gen),
      }));
      return { kind: 'awareness-flood', data: awarenessFrame(entries), effectful: false };
    }
    case 2:
      return { kind: 'query-awareness', data: typed(MessageType.QueryAwareness), effectful: false };
    case 3: {
      // A state vector claiming random clocks for random clients (valid encoding).
      const encoder = encoding.createEncoder();
      const n = prng.uint32(gen, 0, 5);
      encoding.writeVarUint(encoder, n);
      for (let i = 0; i < n; i++) {
        encoding.writeVarUint(encoder, prng.uint32(gen, 0, 2 ** 31));
        encoding.writeVarUint(encoder, prng.uint53(gen, 0, Number.MAX_SAFE_INTEGER));
      }
      return { kind: 'step1-random-state-vector', data: syncFrame(SyncMessageType.Step1, encoding.toUint8Array(encoder)), effectful: false };
    }
    case 4:
      if (ctx.honestUpdates.length > 0) return updateFrameFor(gen, ctx, 'replayed-honest-update', prng.oneOf(gen, [...ctx.honestUpdates]));
      return { kind: 'empty-update', data: syncFrame(SyncMessageType.Update, new Uint8Array([0, 0])), effectful: false };
    case 5:
      return updateFrameFor(gen, ctx, 'own-update', prng.oneOf(gen, [...ctx.ownUpdates]));
    case 6:
    case 7:
    case 8: {
      const source = ctx.honestUpdates.length > 0 && prng.bool(gen) ? prng.oneOf(gen, [...ctx.honestUpdates]) : prng.oneOf(gen, [...ctx.ownUpdates]);
      const { kind, bytes } = mutate(gen, source);
      return updateFrameFor(gen, ctx, `${kind}-update`, bytes);
    }
    default:
      return { kind: 'empty-update', data: syncFrame(SyncMessageType.Update, new Uint8Array([0, 0])), effectful: false };
  }
}

const HARD_KINDS = new Set(['random-bytes', 'random-after-prefix', 'truncated-varint', 'varint-overflow', 'huge-declared-length', 'awareness-huge-length', 'unknown-message-type', 'unknown-sync-type', 'awareness-steals-honest-id', 'awareness-oversized-state', 'awareness-too-many-ids', 'awareness-not-json', 'awareness-malformed-state', 'text-frame', 'empty-frame', 'yjs-absurd-counts']);

/** Frames meant to break the protocol; the server should close the connection on each. */
export function hardFrame(gen: prng.PRNG, ctx: FuzzContext): FuzzFrame {
  const hard = (kind: string, data: FrameData): FuzzFrame => ({ kind, data, effectful: false });
  switch (prng.uint32(gen, 0, 14)) {
    case 0:
      return hard('random-bytes', prng.uint8Array(gen, prng.uint32(gen, 1, prng.bool(gen) ? 64 : 2048)));
    case 1: {
      const prefix = prng.oneOf(gen, [[0], [0, 0], [0, 1], [0, 2], [1], [3]]);
      const bytes = concat(new Uint8Array(prefix), prng.uint8Array(gen, prng.uint32(gen, 0, 256)));
      // Random bytes after a sync prefix may decode as an update; classify like any update.
      if (prefix[0] === 0 && (prefix[1] === 1 || prefix[1] === 2)) {
        try {
          const payload = decodePayload(bytes);
          if (ctx.classify(payload) === 'effectful') return { kind: 'random-after-prefix:effectful', data: bytes, effectful: true };
        } catch {
          // not even a length-prefixed payload
        }
      }
      return hard('random-after-prefix', bytes);
    }
    case 2:
      // A varint whose continuation bit never ends, at each position of the header.
      return hard('truncated-varint', prng.oneOf(gen, [new Uint8Array([0x80]), new Uint8Array([0xff, 0xff]), new Uint8Array([0, 0x80]), new Uint8Array([0, 2, 0x80]), new Uint8Array([0, 2, 0xff, 0xff, 0xff]), new Uint8Array([1, 0x81]), new Uint8Array([1, 3, 0x80])]));
    case 3:
      // More than 53 bits.
      return hard('varint-overflow', concat(new Uint8Array(prng.uint32(gen, 8, 12)).fill(0xff), new Uint8Array([0x01])));
    case 4: {
      const declared = prng.oneOf(gen, [2 ** 20, 2 ** 26, 2 ** 31 - 1, 2 ** 32, 2 ** 53 - 1]);
      const type = prng.oneOf(gen, [
        [0, 0],
        [0, 1],
        [0, 2],
        [1],
      ]);
      return hard('huge-declared-length', concat(new Uint8Array(type), varUint(declared), prng.uint8Array(gen, prng.uint32(gen, 0, 32))));
    }
    case 5: {
      // Awareness claiming far more entries, or a longer state string, than the frame holds.
      const inner = prng.bool(gen) ? concat(varUint(2 ** 30), varUint(1), varUint(1)) : concat(varUint(1), varUint(prng.uint32(gen, 1, 2 ** 31)), varUint(1), varUint(2 ** 31), new Uint8Array([0x7b]));
      return hard('awareness-huge-length', typed(MessageType.Awareness, concat(varUint(inner.byteLength), inner)));
    }
    case 6: {
      // Valid framing, unknown message types (including Auth and Tandem's server-only Saved).
      const type = prng.oneOf(gen, [MessageType.Auth, 4, 5, 42, 99, MessageType.Saved, 127, 128, 255, 1000, 2 ** 20]);
      return hard('unknown-message-type', typed(type, prng.uint8Array(gen, prng.uint32(gen, 0, 16))));
    }
    case 7:
      return hard('unknown-sync-type', syncFrame(prng.uint32(gen, 3, 300), new Uint8Array([0, 0])));
    case 8: {
      const victim = prng.oneOf(gen, [...ctx.honestClientIds]);
      const state = prng.bool(gen) ? null : { user: { name: 'Impostor' } };
      return hard('awareness-steals-honest-id', awarenessFrame([{ clientId: victim, clock: prng.uint32(gen, 1, 2 ** 30), state }]));
    }
    case 9:
      return hard('awareness-oversized-state', awarenessFrame([{ clientId: prng.uint32(gen, 1, 2 ** 30), clock: 1, state: { blob: 'x'.repeat(ctx.maxAwarenessBytes + prng.uint32(gen, 1, 4096)) } }]));
    case 10: {
      const many = Array.from({ length: prng.uint32(gen, 5, 40) }, (_, i) => ({ clientId: 2 ** 29 + prng.uint32(gen, 0, 2 ** 20) * 64 + i, clock: 1, state: { i } }));
      return hard('awareness-too-many-ids', awarenessFrame(many));
    }
    case 11: {
      const payload = awarenessPayload([{ clientId: prng.uint32(gen, 1, 2 ** 30), clock: 1, state: 'x' }]);
      const broken = payload.slice();
      // Replace the JSON text '"x"' with bytes that are not JSON.
      broken.set(prng.oneOf(gen, [[0x7b, 0x7b, 0x7b], [0xff, 0xfe, 0xfd], [0x22, 0x5c, 0x22]]), broken.byteLength - 3);
      return hard('awareness-not-json', typed(MessageType.Awareness, concat(varUint(broken.byteLength), broken)));
    }
    case 12:
      return hard(prng.bool(gen) ? 'text-frame' : 'empty-frame', prng.bool(gen) ? prng.word(gen, 0, 40) : new Uint8Array());
    case 13:
      return hard('awareness-malformed-state', awarenessFrame([{ clientId: prng.uint32(gen, 1, 2 ** 30), clock: 1, state: malformedPresence(gen) }]));
    default: {
      // Structurally plausible Yjs headers with absurd counts.
      const inner = prng.oneOf(gen, [
        concat(varUint(2 ** 31), varUint(1)),
        concat(varUint(1), varUint(2 ** 31), varUint(7), varUint(0)),
        concat(varUint(1), varUint(1), varUint(7), varUint(0), new Uint8Array([4]), varUint(2 ** 31)),
        concat(varUint(0), varUint(2 ** 31)),
      ]);
      return updateFrameFor(gen, ctx, 'yjs-absurd-counts', inner);
    }
  }
}

function decodePayload(frame: Uint8Array): Uint8Array {
  // [0, subtype, varUint length, payload...]
  let pos = 2;
  let len = 0;
  let mult = 1;
  for (;;) {
    const b = frame[pos++];
    if (b === undefined) throw new Error('truncated');
    len += (b & 0x7f) * mult;
    mult *= 128;
    if (b < 0x80) break;
    if (mult > 2 ** 53) throw new Error('overflow');
  }
  if (pos + len > frame.byteLength) throw new Error('short');
  return frame.subarray(pos, pos + len);
}

export interface Burst {
  frames: FuzzFrame[];
  /** Sent over a read-only token; only such bursts hold effectful frames. */
  readOnly: boolean;
}

/**
 * One connection's worth of frames: up to 20 soft frames, then two hard ones. A quarter of the
 * bursts go over a read-only token and may hold anything; the rest go over a write token and
 * leave out every effectful frame (see the content invariant above).
 */
export function makeBurst(gen: prng.PRNG, ctx: FuzzContext): Burst {
  const readOnly = prng.uint32(gen, 0, 3) === 0;
  const own = { ids: Array.from({ length: prng.uint32(gen, 1, 3) }, () => prng.uint32(gen, 2 ** 30, 2 ** 31)), clock: 0 };
  const frames: FuzzFrame[] = [];
  const keep = (frame: FuzzFrame): void => {
    if (readOnly || !frame.effectful) frames.push(frame);
  };
  const soft = prng.uint32(gen, 0, 20);
  for (let i = 0; i < soft; i++) keep(softFrame(gen, ctx, own));
  keep(hardFrame(gen, ctx));
  keep(hardFrame(gen, ctx));
  // The server stops reading a connection at its first fatal frame: send the ones it should
  // accept first, so that each burst exercises as much of the server as it can.
  const fatal = (f: FuzzFrame): boolean => /:(undecodable|poison|apply-throws)$/.test(f.kind) || HARD_KINDS.has(f.kind.replace(/:.*$/, ''));
  return { frames: [...frames.filter((f) => !fatal(f)), ...frames.filter(fatal)], readOnly };
}
