/**
 * The closing handshake of one ServerSocket over a real loopback TCP connection (no HTTP server):
 * which close codes a client may send (RFC 6455 §7.4), answered with the same code, and which are
 * a protocol error, answered with 1002.
 */
import { type AddressInfo, type Server, type Socket, createServer, connect as tcpConnect } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { clientFrame, parseServerFrames } from '../test-support/rawWebSocket.js';
import { ServerSocket } from './ServerSocket.js';
import { CloseStatus, Opcode } from './rfc6455.js';

let server: Server;
const accepted: Array<(socket: Socket) => void> = [];

beforeAll(async () => {
  server = createServer((socket) => accepted.shift()?.(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** Send `payload` in a close frame to a fresh ServerSocket; what it answered before hanging up. */
async function answerToClose(payload: Buffer): Promise<{ code: number | undefined; reason: string; protocolErrors: number[] }> {
  const protocolErrors: number[] = [];
  const serverSide = new Promise<Socket>((resolve) => accepted.push(resolve));
  const client = tcpConnect((server.address() as AddressInfo).port, '127.0.0.1');
  const chunks: Buffer[] = [];
  client.on('data', (chunk: Buffer) => chunks.push(chunk));
  const hungUp = new Promise<void>((resolve) => client.once('close', () => resolve()));
  new ServerSocket(
    await serverSide,
    Buffer.alloc(0),
    { onMessage() {}, onPong() {}, onProtocolError: (status) => protocolErrors.push(status), onClose() {} },
    1024,
  );
  client.write(clientFrame(Opcode.Close, payload));
  await hungUp;
  const frames = parseServerFrames(Buffer.concat(chunks));
  expect(frames.map((frame) => frame.opcode)).toEqual([Opcode.Close]);
  const answer = frames[0]!.payload;
  return { code: answer.length >= 2 ? answer.readUInt16BE(0) : undefined, reason: answer.subarray(2).toString(), protocolErrors };
}

const closeBody = (code: number, reason = ''): Buffer => Buffer.concat([Buffer.from([code >> 8, code & 0xff]), Buffer.from(reason)]);

it.each([1000, 1001, 1003, 1007, 1011, 1014, 3000, 4000, 4999])('echoes a close frame with code %i and its reason', async (code) => {
  expect(await answerToClose(closeBody(code, 'bye'))).toEqual({ code, reason: 'bye', protocolErrors: [] });
});

it('echoes a close frame with no code as an empty close frame', async () => {
  expect(await answerToClose(Buffer.alloc(0))).toEqual({ code: undefined, reason: '', protocolErrors: [] });
});

// 1004-1006 and 1015 are reserved or never sent on the wire; below 1000 and 1016-2999 are unassigned; past 4999 out of range.
it.each([0, 999, 1004, 1005, 1006, 1015, 1016, 2999, 5000, 65535])('answers a close frame with code %i with 1002', async (code) => {
  expect(await answerToClose(closeBody(code))).toEqual({ code: CloseStatus.ProtocolError, reason: '', protocolErrors: [CloseStatus.ProtocolError] });
});

it('answers a close frame with a 1-byte payload with 1002', async () => {
  expect(await answerToClose(Buffer.from([0x03]))).toEqual({ code: CloseStatus.ProtocolError, reason: '', protocolErrors: [CloseStatus.ProtocolError] });
});

it('answers a close reason that is not UTF-8 with 1007', async () => {
  const payload = Buffer.concat([closeBody(1000), Buffer.from([0xff, 0xfe])]);
  expect(await answerToClose(payload)).toEqual({ code: CloseStatus.InvalidPayload, reason: '', protocolErrors: [CloseStatus.InvalidPayload] });
});
