/**
 * The stock y-websocket server (y-websocket 2.1.0's `bin/utils`, what `npx y-websocket` runs, kept
 * as the benchmark's reference too) on 127.0.0.1, port 0. It checks nothing it relays, unlike
 * Tandem's: for tests of what the editor itself does with whatever a server passes on.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import type { IncomingMessage } from 'node:http';
import { WebSocketServer, type WebSocket } from 'ws';

/** What the stock server's module gives (it is CommonJS, without types). */
interface StockServerModule {
  setupWSConnection(conn: WebSocket, req: IncomingMessage): void;
  /** Its documents by name: Y.Docs of the CommonJS build of Yjs. */
  docs: Map<string, { getXmlFragment(name: string): { toString(): string } }>;
}

const stock = createRequire(import.meta.url)('y-websocket-reference/bin/utils') as StockServerModule;

export interface StockServer {
  url: string;
  /** The body of a document as the server holds it (its XML string), or '' when it holds none. */
  bodyOf(docName: string): string;
  close(): Promise<void>;
}

export async function startStockServer(): Promise<StockServer> {
  const http = createServer((_req, res) => res.writeHead(404).end());
  const wss = new WebSocketServer({ server: http });
  wss.on('connection', (conn, req) => stock.setupWSConnection(conn, req));
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  return {
    url: `ws://127.0.0.1:${(http.address() as AddressInfo).port}`,
    bodyOf: (docName) => stock.docs.get(docName)?.getXmlFragment('prosemirror').toString() ?? '',
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close();
        http.close(() => resolve());
      }),
  };
}
