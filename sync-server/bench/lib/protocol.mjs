// A minimal y-websocket protocol client for the drivers. The stock WebsocketProvider also
// runs awareness, resync timers and a Y.Doc per socket; a driver holding 100 or 10,000
// sockets on a shared 2-core machine must stay light, so it does only the sync handshake
// and hands every received update to a callback with its arrival time.
import WebSocket from 'ws';
import { SyncMessageType, decodeSyncMessage, encodeSyncStep1, encodeSyncStep2 } from '@tandem/protocol';
import * as Y from 'yjs';
import { clientFrame } from '../../src/test-support/clientFrame.mjs';

const BINARY_OPCODE = 0x2;

const EMPTY_STATE_VECTOR = Y.encodeStateVector(new Y.Doc());
const EMPTY_UPDATE = Y.encodeStateAsUpdate(new Y.Doc());

/**
 * Masked client→server WebSocket binary frames for many payloads, as one buffer, so a sender
 * can write them all with one socket.write and cost nothing while the clock runs.
 * @param {Uint8Array[]} payloads
 */
export function framesToBuffer(payloads) {
  return Buffer.concat(payloads.map((payload) => clientFrame(BINARY_OPCODE, payload)));
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
      this.send(encodeSyncStep1(this.doc ? Y.encodeStateVector(this.doc) : EMPTY_STATE_VECTOR));
    });
    this.ws.on('message', (data) => this._onMessage(data));
  }

  send(frame) {
    this.ws.send(frame);
  }

  _onMessage(data) {
    const now = performance.now();
    this.framesIn++;
    const message = decodeSyncMessage(data);
    if (!message) return; // awareness and anything else: not measured
    if (message.syncType === SyncMessageType.Step1) {
      this.send(encodeSyncStep2(this.doc ? Y.encodeStateAsUpdate(this.doc, message.payload) : EMPTY_UPDATE));
    } else {
      const isStep2 = message.syncType === SyncMessageType.Step2;
      this.onUpdate(message.payload, now, isStep2);
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
