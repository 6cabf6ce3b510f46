/**
 * The server side of the opening handshake (RFC 6455 §4.2), on a request Node's HTTP server
 * handed to 'upgrade'. No extension is ever accepted: permessage-deflate stays off, which is what
 * lets a broadcast frame be built once and written as it is to every socket.
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';

const WEBSOCKET_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
/** Base64 of 16 bytes. */
const KEY_PATTERN = /^[+/0-9A-Za-z]{22}==$/;
/** An HTTP token (RFC 7230 §3.2.6), what a subprotocol name must be. */
const TOKEN_PATTERN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

export interface HandshakeRefusal {
  status: number;
  message: string;
  headers?: Record<string, string>;
}

/** Why this request cannot become a WebSocket, or undefined when it can. */
export function handshakeRefusal(req: IncomingMessage): HandshakeRefusal | undefined {
  if (req.method !== 'GET') return { status: 405, message: 'a WebSocket upgrade must be a GET request' };
  if (String(req.headers.upgrade).toLowerCase() !== 'websocket') return { status: 400, message: 'invalid Upgrade header' };
  const key = req.headers['sec-websocket-key'];
  if (key === undefined || !KEY_PATTERN.test(key)) return { status: 400, message: 'missing or invalid Sec-WebSocket-Key header' };
  if (req.headers['sec-websocket-version'] !== '13') {
    return { status: 400, message: 'unsupported Sec-WebSocket-Version', headers: { 'Sec-WebSocket-Version': '13' } };
  }
  if (offeredProtocols(req) === null) return { status: 400, message: 'invalid Sec-WebSocket-Protocol header' };
  return undefined;
}

/**
 * Answer 101 Switching Protocols; the socket speaks WebSocket frames from here on. Call only for
 * a request handshakeRefusal() accepted. Like the `ws` library, the first subprotocol the client
 * offers is chosen (browsers fail a connection that offered one and got none back).
 */
export function completeHandshake(req: IncomingMessage, socket: Duplex): void {
  const accept = createHash('sha1')
    .update(req.headers['sec-websocket-key'] + WEBSOCKET_GUID)
    .digest('base64');
  const protocol = offeredProtocols(req)?.[0];
  socket.write(
    'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
      `Sec-WebSocket-Accept: ${accept}\r\n` +
      (protocol ? `Sec-WebSocket-Protocol: ${protocol}\r\n` : '') +
      '\r\n',
  );
}

/** The subprotocols offered, in order; null when the header is malformed. */
function offeredProtocols(req: IncomingMessage): string[] | null {
  const header = req.headers['sec-websocket-protocol'];
  if (header === undefined) return [];
  const protocols = header.split(',').map((p) => p.trim());
  return protocols.every((p) => TOKEN_PATTERN.test(p)) ? protocols : null;
}
