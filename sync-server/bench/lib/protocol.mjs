// A minimal y-websocket protocol client for the drivers. The stock WebsocketProvider also
// runs awareness, resync timers and a Y.Doc per socket; a driver holding 100 or 10,000
// sockets on a shared 2-core machine must stay light, so it does only the sync handshake
// and hands every received update to a callback with its arrival time.
import WebSocket from 'ws';
import * as encoding from 'lib0/encoding';
import * as decoding from 'lib0/decoding';
import * as Y from 'yjs';

export const MESSAGE_SYNC = 0;
export const MESSAGE_AWARENESS = 1;
export const SYNC_STEP1 = 0;
export const SYNC_STEP2 = 1;
export const SYNC_UPDATE = 2;

const EMPTY_STATE_VECTOR = Y.encodeStateVector(new Y.Doc());
const EMPTY_UPDATE = Y.encodeStateAsUpdate(new Y.Doc());

/** A sync message frame payload: varUint 0, varUint subtype, varUint8Array data. */
export function syncMessage(subtype, data) {
  const enc = encoding.createEncoder();
  encoding.writeVarUint(enc, MESSAGE_SYNC);
  encoding.writeVarUint(enc, subtype);
  encoding.writeVarUint8Array(enc, data);
  return encoding.toUint8Array(enc);
}

/**
 * Masked client→server WebSocket binary frames for many payloads, as one buffer, so a sender
 * can write them all with one socket.write and cost nothing while the clock runs.
 * @param {Uint8Array[]} payloads
 */
export function framesToBuffer(payloads) {
  let size = 0;
  for (const p of payloads) size += headerSize(p.length) + p.length;
  const out = Buffer.allocUnsafe(size);
  let at = 0;
  const mask = Buffer.from([0x5a, 0x13, 0xc7, 0x2e]);
  for (const p of payloads) {
    out[at++] = 0x82; // FIN + binary
    if (p.length < 126) {
      out[at++] = 0x80 | p.length;
    } else if (p.length < 65536) {
      out[at++] = 0x80 | 126;
      out.writeUInt16BE(p.length, at);
      at += 2;
    } else {
      out[at++] = 0x80 | 127;
      out.writeBigUInt64BE(BigInt(p.length), at);
      at += 8;
    }
    mask.copy(out, at);
    at += 4;
    for (let i = 0; i < p.length; i++) out[at + i] = p[i] ^ mask[i & 3];
    at += p.length;
  }
  return out;
}

function headerSize(len) {
  return (len < 126 ? 2 : len < 65536 ? 4 : 10) + 4;
}

/**
 * One y-websocket connection.
 * - answers the server's sync step 1 from `doc` (or with an empty document)
 * - sends sync step 1 on open; `synced` resolves at the server's step 2
 * - calls onUpdate(update, arrivalMs, isStep2) for step 2 and every update
 */
export class BenchClient {
  /**
   * @param {string} url
   * @param {{ doc?: Y.Doc, localAddress?: string, onUpdate?: (u: Uint8Array, t: number, isStep2: boolean) => void }} [opts]
   */
  constructor(url, opts = {}) {
    this.doc = opts.doc;
    this.onUpdate = opts.onUpdate ?? (() => {});
    this.framesIn = 0;
    this.openedAt = 0;
    this.syncedAt = 0;
    this.startedAt = performance.now();
    // Browsers offer permessage-deflate; ws servers (all three here) decline it by default.
    this.ws = new WebSocket(url, { perMessageDeflate: false, localAddress: opts.localAddress });
    // A persistent listener: a failed socket must never crash the driver (it shows as `synced` rejecting).
    this.ws.on('error', () => {});
    this.synced = new Promise((resolve, reject) => {
      this.ws.once('error', reject);
      this.ws.once('close', (code) => reject(new Error(`closed before sync (code ${code})`)));
      this._resolveSynced = resolve;
    });
    this.synced.catch(() => {});
    this.closed = new Promise((resolve) => this.ws.once('close', resolve));
    this.ws.on('open', () => {
      this.openedAt = performance.now();
      this.send(syncMessage(SYNC_STEP1, this.doc ? Y.encodeStateVector(this.doc) : EMPTY_STATE_VECTOR));
    });
    this.ws.on('message', (data) => this._onMessage(data));
  }

  send(frame) {
    this.ws.send(frame);
  }

  _onMessage(data) {
    const now = performance.now();
    this.framesIn++;
    const dec = decoding.createDecoder(data);
    if (decoding.readVarUint(dec) !== MESSAGE_SYNC) return; // awareness and anything else: not measured
    const subtype = decoding.readVarUint(dec);
    if (subtype === SYNC_STEP1) {
      const sv = decoding.readVarUint8Array(dec);
      this.send(syncMessage(SYNC_STEP2, this.doc ? Y.encodeStateAsUpdate(this.doc, sv) : EMPTY_UPDATE));
    } else if (subtype === SYNC_STEP2 || subtype === SYNC_UPDATE) {
      const update = decoding.readVarUint8Array(dec);
      const isStep2 = subtype === SYNC_STEP2;
      this.onUpdate(update, now, isStep2);
      // Synced once the step 2 is handled (applied, for a client that applies), as y-websocket's
      // provider emits 'synced' only after applying it.
      if (isStep2 && !this.syncedAt) {
        this.syncedAt = performance.now();
        this._resolveSynced();
      }
    }
  }

  close() {
    if (this.ws.readyState === WebSocket.CLOSED) return this.closed;
    this.ws.close();
    return this.closed;
  }

  /** Drop the socket without a closing handshake. */
  terminate() {
    this.ws.terminate();
    return this.closed;
  }
}

/** Resolve after `ms`. */
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Resolve when `pred()` holds (polled), or when `timeoutMs` has passed; returns whether it held. */
export async function waitFor(pred, timeoutMs, everyMs = 5) {
  const deadline = performance.now() + timeoutMs;
  while (!pred()) {
    if (performance.now() > deadline) return false;
    await sleep(everyMs);
  }
  return true;
}
