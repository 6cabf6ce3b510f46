// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Awareness } from 'y-protocols/awareness';
import type { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { createProvider } from './provider.js';
import { DEFAULT_BACKOFF, manageReconnects, reconnectDelay } from './reconnect.js';
import { startRelayServer, type RelayServer } from './testing/relayServer.js';

describe('reconnectDelay', () => {
  it('doubles from the initial delay, with jitter between half and all of it', () => {
    const opts = { initialDelayMs: 500, maxDelayMs: 10_000 };
    expect(reconnectDelay(0, () => 0, opts)).toBe(250);
    expect(reconnectDelay(0, () => 0.999999, opts)).toBe(500);
    expect(reconnectDelay(1, () => 0, opts)).toBe(500);
    expect(reconnectDelay(1, () => 0.5, opts)).toBe(750);
    expect(reconnectDelay(3, () => 0, opts)).toBe(2000);
    expect(reconnectDelay(3, () => 0.999999, opts)).toBe(4000);
  });

  it('never waits longer than the cap, however many attempts failed', () => {
    for (const attempt of [5, 6, 10, 100, 10_000, Number.MAX_SAFE_INTEGER]) {
      expect(reconnectDelay(attempt, () => 0.999999)).toBe(DEFAULT_BACKOFF.maxDelayMs);
      expect(reconnectDelay(attempt, () => 0)).toBe(DEFAULT_BACKOFF.maxDelayMs / 2);
    }
  });

  it('spreads clients out: different random draws give different delays within the bounds', () => {
    const draws = [0.1, 0.3, 0.6, 0.9].map((r) => reconnectDelay(4, () => r));
    expect(new Set(draws).size).toBe(4);
    for (const d of draws) {
      expect(d).toBeGreaterThanOrEqual(4000);
      expect(d).toBeLessThanOrEqual(8000);
    }
  });

  it('treats nonsense attempts as the first and nonsense draws as the bounds', () => {
    expect(reconnectDelay(-3, () => 0)).toBe(250);
    expect(reconnectDelay(Number.NaN, () => 0)).toBe(250);
    expect(reconnectDelay(0, () => -1)).toBe(250);
    expect(reconnectDelay(0, () => 7)).toBe(500);
  });
});

describe('manageReconnects', () => {
  const cleanups: Array<() => void | Promise<void>> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  /** A provider whose retries would wait a minute: only the events under test reconnect it. */
  async function setup() {
    const server = await startRelayServer();
    const doc = new Y.Doc();
    const provider = createProvider({ serverUrl: server.url, docName: 'r', doc, awareness: new Awareness(doc), crossTab: false });
    const stop = manageReconnects(provider, { window, random: () => 1, backoff: { initialDelayMs: 60_000, maxDelayMs: 60_000 } });
    cleanups.push(() => server.close(), () => provider.destroy(), stop);
    await vi.waitFor(() => expect(provider.synced).toBe(true));
    return { server, provider, stop };
  }
  const connections = (server: RelayServer) => server.sockets.length;
  const dropFromServer = async (server: RelayServer, provider: WebsocketProvider) => {
    server.sockets.at(-1)!.socket.close(1001);
    await vi.waitFor(() => expect(provider.wsconnected).toBe(false));
  };

  it('waits its own backoff after a lost connection instead of the provider’s', async () => {
    const { server, provider } = await setup();
    await dropFromServer(server, provider);
    // The provider's own retry would come within 2.5 s; ours is a minute away.
    await new Promise((r) => setTimeout(r, 400));
    expect(connections(server)).toBe(1);
    expect(provider.wsconnected).toBe(false);
  });

  it('reconnects at once when the browser is online again', async () => {
    const { server, provider } = await setup();
    await dropFromServer(server, provider);
    window.dispatchEvent(new Event('online'));
    await vi.waitFor(() => expect(provider.synced).toBe(true));
    expect(connections(server)).toBe(2);
  });

  it('reconnects at once when the tab becomes visible', async () => {
    const { server, provider } = await setup();
    await dropFromServer(server, provider);
    const visibility = vi.spyOn(document, 'visibilityState', 'get').mockReturnValue('hidden');
    document.dispatchEvent(new Event('visibilitychange'));
    await new Promise((r) => setTimeout(r, 50));
    expect(provider.wsconnected).toBe(false);
    visibility.mockReturnValue('visible');
    document.dispatchEvent(new Event('visibilitychange'));
    await vi.waitFor(() => expect(provider.synced).toBe(true));
    visibility.mockRestore();
  });

  it('drops the connection when the browser says it is offline, and retries', async () => {
    const { server, provider } = await setup();
    const closes: unknown[] = [];
    provider.on('connection-close', (event) => closes.push(event));
    window.dispatchEvent(new Event('offline'));
    expect(provider.wsconnected).toBe(false);
    expect(closes).toEqual([null]);
    window.dispatchEvent(new Event('online'));
    await vi.waitFor(() => expect(provider.synced).toBe(true));
    expect(connections(server)).toBe(2);
  });

  it('leaves a deliberate disconnect and a permanent close alone', async () => {
    const { server, provider } = await setup();
    provider.disconnect();
    window.dispatchEvent(new Event('online'));
    await new Promise((r) => setTimeout(r, 50));
    expect(provider.ws).toBeNull();

    provider.connect();
    await vi.waitFor(() => expect(provider.synced).toBe(true));
    const closed = vi.fn();
    provider.on('closed', closed);
    server.sockets.at(-1)!.socket.close(4403, 'forbidden');
    await vi.waitFor(() => expect(closed).toHaveBeenCalled());
    window.dispatchEvent(new Event('online'));
    await new Promise((r) => setTimeout(r, 50));
    expect(provider.ws).toBeNull();
    expect(connections(server)).toBe(2);
  });

  it('stops listening when stopped', async () => {
    const { server, provider, stop } = await setup();
    stop();
    window.dispatchEvent(new Event('offline'));
    expect(provider.wsconnected).toBe(true);
    expect(connections(server)).toBe(1);
  });
});
