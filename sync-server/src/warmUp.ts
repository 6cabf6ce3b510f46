/**
 * One real visit to the server as soon as it listens, before it says it is ready. A process that
 * has just started compiles its upgrade, WebSocket handshake, room, storage and framing code on
 * first use; without this visit its first visitor pays for that (about half of a cold load's
 * connect→synced on the automerge-paper trace). The visit reads a document nobody is expected to
 * use, writes nothing, and counts in the metrics like any other connection.
 */
import { SyncMessageType, decodeSyncMessage, encodeSyncStep1 } from '@tandem/protocol';
import { SignJWT } from 'jose';
import type { Logger } from 'pino';
import { WebSocket } from 'ws';
import * as Y from 'yjs';
import type { SyncServerConfig } from './config.js';

export const WARM_UP_DOC = '.tandem-warm-up';
/** The start waits no longer than this for the visit. */
const TIMEOUT_MS = 2000;

type WarmUpConfig = Pick<SyncServerConfig, 'host' | 'authSecret' | 'allowedOrigins' | 'maxTokenLifetimeSeconds'>;

/** Connect to the server on `port`, sync an empty document, and leave. Failures are logged, never thrown. */
export async function warmUpConnectionPath(port: number, config: WarmUpConfig, logger: Logger): Promise<void> {
  const started = performance.now();
  let socket: WebSocket | undefined;
  try {
    const token = config.authSecret ? `?token=${await readOnlyToken(config.authSecret, Math.min(60, config.maxTokenLifetimeSeconds))}` : '';
    const origin = config.allowedOrigins[0];
    socket = new WebSocket(`ws://${loopbackHost(config.host)}:${port}/${WARM_UP_DOC}${token}`, {
      perMessageDeflate: false,
      headers: origin ? { origin } : {},
    });
    await syncedOrTimeout(socket);
    logger.debug({ ms: Math.round(performance.now() - started) }, 'warmed up the connection path');
  } catch (error) {
    logger.warn({ err: error }, 'warm-up visit failed; the first visitor will be slower');
  } finally {
    if (socket) await closed(socket);
  }
}

function syncedOrTimeout(socket: WebSocket): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no sync step 2 within ${TIMEOUT_MS} ms`)), TIMEOUT_MS);
    const settle = (error?: Error): void => {
      clearTimeout(timer);
      if (error) reject(error);
      else resolve();
    };
    socket.on('open', () => socket.send(encodeSyncStep1(Y.encodeStateVector(new Y.Doc()))));
    socket.on('message', (data: Buffer) => {
      if (decodeSyncMessage(data)?.syncType === SyncMessageType.Step2) settle();
    });
    socket.on('unexpected-response', (_request, response) => settle(new Error(`HTTP ${response.statusCode}`)));
    socket.on('error', (error) => settle(error));
    socket.on('close', (code) => settle(new Error(`closed with ${code}`)));
  });
}

/** Close and wait until the server has seen it, so the room's unload runs now too. */
function closed(socket: WebSocket): Promise<void> {
  if (socket.readyState === WebSocket.CLOSED) return Promise.resolve();
  return new Promise((resolve) => {
    socket.once('close', () => resolve());
    if (socket.readyState === WebSocket.CONNECTING) socket.terminate();
    else socket.close();
  });
}

/** An address of this machine that reaches a server bound to `host`. */
function loopbackHost(host: string): string {
  if (host === '0.0.0.0') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}

function readOnlyToken(secret: string, lifetimeSeconds: number): Promise<string> {
  return new SignJWT({ doc: WARM_UP_DOC, access: 'read' })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('tandem-warm-up')
    .setExpirationTime(Math.floor(Date.now() / 1000) + lifetimeSeconds)
    .sign(new TextEncoder().encode(secret));
}
