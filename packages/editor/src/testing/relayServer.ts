import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { WebSocketServer, type WebSocket } from 'ws';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { encodeSavedAck, isDocumentChangeMessage, MessageType, SAVED_ACK_PARAM } from '@tandem/protocol';

/**
 * A small y-websocket server for tests: real WebSocket, real y-protocols, one in-memory
 * Y.Doc per path. It keeps the sockets it accepted so that tests can see them close.
 *
 * Clients that connect with `tandem-ack=1` get Saved acknowledgements as Tandem's server sends
 * them (PROTOCOL.md): `[100, count]` after their document-change frames are applied — at once,
 * or when the test calls `releaseAcks()` while `holdAcks` is true.
 */
export interface RelayServer {
  url: string;
  port: number;
  /** While true, acknowledgements wait for {@link releaseAcks}. */
  holdAcks: boolean;
  /** Stop holding: send every acknowledgement held so far, and later ones at once. */
  releaseAcks(): void;
  /** Every frame sent to clients that opted in, per socket, decoded: the counts acknowledged. */
  acksSent: Map<WebSocket, number[]>;
  /** Every socket ever accepted, with the request path. */
  sockets: Array<{ path: string; socket: WebSocket }>;
  docs: Map<string, Y.Doc>;
  close(): Promise<void>;
}

export async function startRelayServer(port = 0): Promise<RelayServer> {
  const http: Server = createServer((_req, res) => res.writeHead(404).end());
  const wss = new WebSocketServer({ server: http });
  const docs = new Map<string, Y.Doc>();
  const rooms = new Map<string, { awareness: awarenessProtocol.Awareness; conns: Map<WebSocket, Set<number>> }>();
  const sockets: RelayServer['sockets'] = [];
  /** Per opted-in socket: document-change frames received, and the count last acknowledged. */
  const counts = new Map<WebSocket, { received: number; acked: number }>();
  const acksSent: RelayServer['acksSent'] = new Map();
  const sendAck = (socket: WebSocket) => {
    const c = counts.get(socket);
    if (!c || c.received === c.acked || socket.readyState !== socket.OPEN) return;
    c.acked = c.received;
    acksSent.get(socket)!.push(c.acked);
    socket.send(encodeSavedAck(c.acked));
  };

  const room = (name: string) => {
    let r = rooms.get(name);
    if (!r) {
      const doc = new Y.Doc();
      docs.set(name, doc);
      const awareness = new awarenessProtocol.Awareness(doc);
      awareness.setLocalState(null);
      const conns = new Map<WebSocket, Set<number>>();
      r = { awareness, conns };
      const broadcast = (message: Uint8Array, except?: unknown) =>
        conns.forEach((_ids, conn) => conn !== except && conn.readyState === conn.OPEN && conn.send(message));
      // Like Tandem's server: an update goes to everyone but its sender (what the server sends
      // counts as held by the server, and this one holds it only in memory until it acknowledges).
      doc.on('update', (update: Uint8Array, origin: unknown) => {
        const encoder = encoding.createEncoder();
        encoding.writeVarUint(encoder, MessageType.Sync);
        syncProtocol.writeUpdate(encoder, update);
        broadcast(encoding.toUint8Array(encoder), origin);
      });
      awareness.on('update', ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }, origin: unknown) => {
        const changed = added.concat(updated, removed);
        const ids = conns.get(origin as WebSocket);
        if (ids) {
          added.forEach((id) => ids.add(id));
          removed.forEach((id) => ids.delete(id));
        }
        const encoder = encoding.createEncoder();
        encoding.writeVarUint(encoder, MessageType.Awareness);
        encoding.writeVarUint8Array(encoder, awarenessProtocol.encodeAwarenessUpdate(awareness, changed));
        broadcast(encoding.toUint8Array(encoder));
      });
      rooms.set(name, r);
    }
    return r;
  };

  wss.on('connection', (socket, request) => {
    const [pathPart, query = ''] = (request.url ?? '/').split('?');
    const path = pathPart!.slice(1);
    sockets.push({ path, socket });
    if (new URLSearchParams(query).get(SAVED_ACK_PARAM) === '1') {
      counts.set(socket, { received: 0, acked: 0 });
      acksSent.set(socket, []);
    }
    const r = room(path);
    const doc = docs.get(path)!;
    r.conns.set(socket, new Set());
    socket.binaryType = 'arraybuffer';
    socket.on('message', (data: ArrayBuffer) => {
      const frame = new Uint8Array(data);
      const count = counts.get(socket);
      if (count && isDocumentChangeMessage(frame)) {
        count.received++;
        // After the frame is applied below: "durable" in this in-memory server.
        queueMicrotask(() => {
          if (!result.holdAcks) sendAck(socket);
        });
      }
      const decoder = decoding.createDecoder(frame);
      const encoder = encoding.createEncoder();
      const type = decoding.readVarUint(decoder);
      if (type === MessageType.Sync) {
        encoding.writeVarUint(encoder, MessageType.Sync);
        syncProtocol.readSyncMessage(decoder, encoder, doc, socket);
        if (encoding.length(encoder) > 1) socket.send(encoding.toUint8Array(encoder));
      } else if (type === MessageType.Awareness) {
        awarenessProtocol.applyAwarenessUpdate(r.awareness, decoding.readVarUint8Array(decoder), socket);
      }
    });
    socket.on('close', () => {
      const ids = r.conns.get(socket);
      r.conns.delete(socket);
      if (ids?.size) awarenessProtocol.removeAwarenessStates(r.awareness, [...ids], null);
    });
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, MessageType.Sync);
    syncProtocol.writeSyncStep1(encoder, doc);
    socket.send(encoding.toUint8Array(encoder));
    const states = r.awareness.getStates();
    if (states.size > 0) {
      const aw = encoding.createEncoder();
      encoding.writeVarUint(aw, MessageType.Awareness);
      encoding.writeVarUint8Array(aw, awarenessProtocol.encodeAwarenessUpdate(r.awareness, [...states.keys()]));
      socket.send(encoding.toUint8Array(aw));
    }
  });

  await new Promise<void>((resolve) => http.listen(port, '127.0.0.1', resolve));
  const actualPort = (http.address() as AddressInfo).port;
  const result: RelayServer = {
    url: `ws://127.0.0.1:${actualPort}`,
    port: actualPort,
    holdAcks: false,
    releaseAcks: () => {
      result.holdAcks = false;
      counts.forEach((_c, socket) => sendAck(socket));
    },
    acksSent,
    sockets,
    docs,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close();
        http.close(() => resolve());
      }),
  };
  return result;
}
