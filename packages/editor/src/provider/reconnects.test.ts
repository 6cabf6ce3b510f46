// @vitest-environment jsdom
import { CloseCode } from '@tandem/protocol';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Awareness } from 'y-protocols/awareness';
import type { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { startSyncServer, type TestSyncServer } from '../testing/syncServer.js';
import { createProvider } from './createProvider.js';
import { DEFAULT_BACKOFF, reconnectDelay } from './reconnects.js';

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

describe('reconnects of a provider made by createProvider, against the sync server', () => {
  const cleanups: Array<() => void | Promise<void>> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  /** A provider whose retries wait a minute: only the events under test reconnect it sooner. */
  async function setup(server?: TestSyncServer) {
    server ??= await startSyncServer();
    const doc = new Y.Doc();
    const connection = createProvider({
      serverUrl: server.url,
      docName: 'r',
      doc,
      awareness: new Awareness(doc),
      crossTab: false,
      window,
      random: () => 1,
      backoff: { initialDelayMs: 60_000, maxDelayMs: 60_000 },
    });
    cleanups.push(() => server.stop(), () => connection.destroy());
    return { server, provider: connection.provider };
  }
  async function synced(server?: TestSyncServer) {
    const setUp = await setup(server);
    await vi.waitFor(() => expect(setUp.provider.synced).toBe(true));
    return setUp;
  }
  /** The server goes away and comes back at once: the provider lost its connection. */
  async function serverRestarts(server: TestSyncServer, provider: WebsocketProvider) {
    await server.stop();
    await vi.waitFor(() => expect(provider.wsconnected).toBe(false));
    await server.restart();
  }

  it('waits its own backoff after a lost connection, not y-websocket’s', async () => {
    const { server, provider } = await synced();
    await serverRestarts(server, provider);
    expect(provider.wsconnected).toBe(false);
    // y-websocket alone would be back within 100 ms; the backoff here is a minute.
    await new Promise((r) => setTimeout(r, 400));
    expect(await server.connections()).toBe(0);
    expect(provider.wsconnected).toBe(false);
  });

  it('reconnects at once when the browser is online again', async () => {
    const { server, provider } = await synced();
    await serverRestarts(server, provider);
    window.dispatchEvent(new Event('online'));
    await vi.waitFor(() => expect(provider.synced).toBe(true));
    expect(await server.connections()).toBe(1);
  });

  it('reconnects at once when the tab becomes visible', async () => {
    const { server, provider } = await synced();
    await serverRestarts(server, provider);
    const visibility = vi.spyOn(document, 'visibilityState', 'get').mockReturnValue('hidden');
    cleanups.push(() => visibility.mockRestore());
    document.dispatchEvent(new Event('visibilitychange'));
    await new Promise((r) => setTimeout(r, 50));
    expect(provider.wsconnected).toBe(false);
    visibility.mockReturnValue('visible');
    document.dispatchEvent(new Event('visibilitychange'));
    await vi.waitFor(() => expect(provider.synced).toBe(true));
  });

  it('drops the connection when the browser says it is offline, and retries', async () => {
    const { server, provider } = await synced();
    const closes: Array<{ code: number } | null> = [];
    provider.on('connection-close', (event) => closes.push(event && { code: event.code }));
    window.dispatchEvent(new Event('offline'));
    expect(provider.wsconnected).toBe(false);
    expect(closes).toEqual([{ code: CloseCode.Abnormal.code }]);
    await vi.waitFor(async () => expect(await server.connections()).toBe(0));
    window.dispatchEvent(new Event('online'));
    await vi.waitFor(() => expect(provider.synced).toBe(true));
    expect(await server.connections()).toBe(1);
  });

  it('leaves a deliberate disconnect alone, and reconnects at once on connect()', async () => {
    const { provider } = await synced();
    provider.disconnect();
    window.dispatchEvent(new Event('online'));
    await new Promise((r) => setTimeout(r, 50));
    expect(provider.ws).toBeNull();
    provider.connect();
    await vi.waitFor(() => expect(provider.synced).toBe(true));
  });

  it('leaves a permanent close alone (4413: the document would grow past the server’s limit)', async () => {
    const { provider } = await synced(await startSyncServer({ config: { maxDocBytes: 1000 } }));
    const closed = vi.fn();
    provider.on('closed', closed);
    provider.doc.getText('t').insert(0, 'x'.repeat(2000));
    await vi.waitFor(() => expect(closed).toHaveBeenCalledWith(expect.objectContaining({ code: CloseCode.DocumentTooLarge.code }), provider));
    window.dispatchEvent(new Event('online'));
    await new Promise((r) => setTimeout(r, 50));
    expect(provider.ws).toBeNull();
  });
});
