/**
 * Test helper: a WebSocket client written by hand over a raw TCP socket, to send the server frames
 * no library would (unmasked, split anywhere, bad opcodes) and read exactly what comes back.
 */
import { randomBytes } from 'node:crypto';
import { connect as tcpConnect, type Socket } from 'node:net';
import { clientFrame } from './clientFrame.mjs';
import { waitFor } from './server.js';

export interface ServerFrame {
  fin: boolean;
  opcode: number;
  payload: Buffer;
}

export interface RawWebSocket {
  socket: Socket;
  /** Everything received after the 101 response. */
  received(): Buffer;
  /** The frames received so far (a frame still arriving is left out). */
  frames(): ServerFrame[];
  /** The first close frame's code and reason, once one arrived. */
  closeFrame(): { code: number; reason: string } | undefined;
  /** Resolves when the server has closed the TCP connection. */
  ended: Promise<void>;
  write(bytes: Buffer): void;
}

export { type ClientFrameOptions, clientFrame, clientFrameHeader } from './clientFrame.mjs';

/**
 * Ping and wait for the server's pong: every frame the server sent before it has arrived (see
 * roundTrip in clients.ts, for a `ws` client).
 */
export async function rawRoundTrip(raw: RawWebSocket): Promise<void> {
  const payload = randomBytes(8);
  raw.write(clientFrame(0x9, payload));
  await waitFor(() => raw.frames().some((frame) => frame.opcode === 0xa && frame.payload.equals(payload)), { what: 'pong' });
}

/** Parse the server's (unmasked) frames from the start of `data`. */
export function parseServerFrames(data: Buffer): ServerFrame[] {
  const frames: ServerFrame[] = [];
  let at = 0;
  while (at + 2 <= data.length) {
    let length = data[at + 1]! & 0x7f;
    let header = 2;
    if (length === 126) {
      if (at + 4 > data.length) break;
      length = data.readUInt16BE(at + 2);
      header = 4;
    } else if (length === 127) {
      if (at + 10 > data.length) break;
      length = Number(data.readBigUInt64BE(at + 2));
      header = 10;
    }
    if (at + header + length > data.length) break;
    frames.push({ fin: (data[at]! & 0x80) !== 0, opcode: data[at]! & 0x0f, payload: data.subarray(at + header, at + header + length) });
    at += header + length;
  }
  return frames;
}

/** The HTTP request that opens a WebSocket to `path`; `headers` replace or add to the usual ones. */
export function upgradeRequest(path: string, headers: Record<string, string> = {}): string {
  const all: Record<string, string> = {
    Host: 'localhost',
    Connection: 'Upgrade',
    Upgrade: 'websocket',
    'Sec-WebSocket-Version': '13',
    'Sec-WebSocket-Key': randomBytes(16).toString('base64'),
    ...headers,
  };
  return `GET ${path} HTTP/1.1\r\n${Object.entries(all).map(([name, value]) => `${name}: ${value}\r\n`).join('')}\r\n`;
}

/** Send `request` on a fresh TCP connection; resolves with the whole answer once the server has closed it. */
export async function rawHttpExchange(port: number, request: string): Promise<string> {
  const socket = tcpConnect({ port, host: '127.0.0.1' });
  const chunks: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => chunks.push(chunk));
  socket.write(request);
  await new Promise<void>((resolve, reject) => {
    socket.once('close', () => resolve());
    socket.once('error', reject);
  });
  return Buffer.concat(chunks).toString('latin1');
}

/** Open a WebSocket to `path` by hand; resolves once the 101 response has arrived, with its headers. */
export async function openRawWebSocket(port: number, path: string, headers: Record<string, string> = {}): Promise<RawWebSocket & { response: string }> {
  const socket = tcpConnect({ port, host: '127.0.0.1' });
  socket.setNoDelay(true);
  socket.on('error', () => {});
  let data = Buffer.alloc(0);
  socket.on('data', (chunk: Buffer) => (data = Buffer.concat([data, chunk])));
  const ended = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  socket.write(upgradeRequest(path, headers));
  await waitFor(() => data.includes('\r\n\r\n') || socket.destroyed, { what: 'upgrade response' });
  const headEnd = data.indexOf('\r\n\r\n') + 4;
  const response = data.subarray(0, headEnd).toString('latin1');
  if (!response.startsWith('HTTP/1.1 101')) throw new Error(`upgrade refused: ${response.split('\r\n')[0]}`);
  const received = (): Buffer => data.subarray(headEnd);
  return {
    socket,
    response,
    received,
    frames: () => parseServerFrames(received()),
    closeFrame() {
      const close = parseServerFrames(received()).find((frame) => frame.opcode === 0x8);
      return close && { code: close.payload.readUInt16BE(0), reason: close.payload.subarray(2).toString() };
    },
    ended,
    write: (bytes) => void socket.write(bytes),
  };
}
