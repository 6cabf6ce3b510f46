/**
 * Frame a message for the WebSocket wire once, so a broadcast to many sockets builds one header
 * instead of one per socket. Writing such frames straight to the TCP socket is only sound because
 * the server turns permessage-deflate off: then ws itself writes every frame synchronously, in order.
 */
import * as ws from 'ws';

interface FrameOptions {
  fin: boolean;
  rsv1: boolean;
  opcode: number;
  mask: boolean;
  readOnly: boolean;
}
// ws exports Sender, but its type definitions leave it out.
const { Sender } = ws as unknown as { Sender: { frame(data: Buffer, options: FrameOptions): Buffer[] } };

const BINARY = 0x02;

/** One binary WebSocket frame (server side, unmasked): header and payload in one buffer. */
export function toWireFrame(message: Uint8Array): Buffer {
  const payload = Buffer.from(message.buffer, message.byteOffset, message.byteLength);
  const parts = Sender.frame(payload, { fin: true, rsv1: false, opcode: BINARY, mask: false, readOnly: true });
  return parts.length === 1 ? parts[0]! : Buffer.concat(parts);
}
