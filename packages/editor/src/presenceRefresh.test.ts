import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { WebSocket as NodeWebSocket } from 'ws';
import { Awareness } from 'y-protocols/awareness';
import * as Y from 'yjs';
import { createProvider } from './provider.js';
import { startRelayServer, type RelayServer } from './testing/relayServer.js';

let server: RelayServer;
beforeAll(async () => {
  server = await startRelayServer();
});
afterAll(() => server.close());

function join(name: string) {
  const doc = new Y.Doc();
  const awareness = new Awareness(doc);
  awareness.setLocalStateField('user', { name });
  const provider = createProvider({ serverUrl: server.url, docName: 'presence-refresh', doc, awareness, crossTab: false, WebSocketPolyfill: NodeWebSocket as unknown as typeof WebSocket });
  const names = () => [...awareness.getStates().values()].map((s) => (s.user as { name: string } | undefined)?.name).sort();
  return { doc, awareness, provider, names, leave: () => (provider.destroy(), awareness.destroy(), doc.destroy()) };
}

describe('presence after a reconnect', () => {
  it('comes back at once when the server closed the connection (for example a token expiry)', async () => {
    const ada = join('Ada');
    const bob = join('Bob');
    try {
      await vi.waitFor(() => expect(bob.names()).toEqual(['Ada', 'Bob']));
      const adaSockets = () => server.sockets.filter((s) => s.socket.readyState === s.socket.OPEN);
      const before = server.sockets.length;
      // The server ends Ada's connection; it drops her presence (keeping her clock) and tells Bob.
      const adaSocket = server.sockets.find((s) => s.path === 'presence-refresh')!;
      adaSocket.socket.close(4001, 'token expired');
      await vi.waitFor(() => expect(server.sockets.length).toBeGreaterThan(before), { timeout: 5000 });
      expect(adaSockets().length).toBe(2);
      // Without a fresh clock the server would ignore her re-sent state for up to 15 s.
      await vi.waitFor(() => expect(bob.names()).toEqual(['Ada', 'Bob']), { timeout: 2000 });
    } finally {
      ada.leave();
      bob.leave();
    }
  });
});
