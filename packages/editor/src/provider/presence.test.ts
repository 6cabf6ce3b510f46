/**
 * Presence over a reconnect, against a server that does nothing special about it: the stock
 * y-websocket server. (Tandem's own server takes a reconnecting client's announcement even with the
 * clock it had; a stock one ignores it as old news.)
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { WebSocket as NodeWebSocket } from 'ws';
import { Awareness } from 'y-protocols/awareness';
import * as Y from 'yjs';
import { startStockServer } from '../testing/stockServer.js';
import { createProvider } from './createProvider.js';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('presence after a reconnect', () => {
  it('comes back at once: the editor announces itself afresh instead of waiting for its 15-second renewal', async () => {
    const server = await startStockServer();
    cleanups.push(() => server.close());
    const join = (name: string) => {
      const doc = new Y.Doc();
      const awareness = new Awareness(doc);
      awareness.setLocalStateField('user', { name, color: '#3e63dd' });
      const connection = createProvider({
        serverUrl: server.url,
        docName: 'presence-after-reconnect',
        doc,
        awareness,
        crossTab: false,
        WebSocketPolyfill: NodeWebSocket as unknown as typeof WebSocket,
        backoff: { initialDelayMs: 20, maxDelayMs: 20 },
      });
      cleanups.push(() => connection.destroy());
      const names = () => [...awareness.getStates().values()].map((s) => (s.user as { name: string } | undefined)?.name).sort();
      const left: number[] = [];
      awareness.on('change', ({ removed }: { removed: number[] }) => left.push(...removed));
      return { connection, names, left, clientId: doc.clientID };
    };
    const ada = join('Ada');
    const bob = join('Bob');
    await vi.waitFor(() => expect(bob.names()).toEqual(['Ada', 'Bob']));
    // Ada's connection is lost; the server drops her presence (keeping her clock) and tells Bob.
    ada.connection.dropConnection();
    await vi.waitFor(() => expect(bob.left).toContain(ada.clientId));
    await vi.waitFor(() => expect(ada.connection.provider.synced).toBe(true));
    await vi.waitFor(() => expect(bob.names()).toEqual(['Ada', 'Bob']), { timeout: 2000 });
  });
});
