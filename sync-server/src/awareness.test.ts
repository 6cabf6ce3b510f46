import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CloseCode } from '@tandem/protocol';
import { type ProviderClient, Peers, connectRaw, waitForSynced } from './test-support/clients.js';
import { awarenessFrame } from './test-support/frames.js';
import { type TestServer, startTestServer, waitFor } from './test-support/server.js';

let server: TestServer;
const peers = new Peers(() => server.url);
const connect = (docName: string): ProviderClient => peers.provider(docName);

beforeEach(async () => {
  server = await startTestServer({ pingIntervalMs: 200 });
});
afterEach(async () => {
  peers.closeAll();
  await server.dispose();
});

const namesSeenBy = (client: ProviderClient): string[] =>
  [...client.provider.awareness.getStates().values()].map((s) => (s as { user?: { name: string } }).user?.name).filter((n): n is string => !!n).sort();

describe('presence', () => {
  it('reaches the other clients', async () => {
    const a = connect('room');
    const b = connect('room');
    await Promise.all([waitForSynced(a), waitForSynced(b)]);
    a.provider.awareness.setLocalStateField('user', { name: 'Ada', color: '#ff0000' });
    b.provider.awareness.setLocalStateField('user', { name: 'Bo', color: '#0000ff' });
    await waitFor(() => namesSeenBy(a).join() === 'Ada,Bo' && namesSeenBy(b).join() === 'Ada,Bo', { what: 'both see both' });
  });

  it('a client that joins later sees who is already there', async () => {
    const a = connect('room');
    await waitForSynced(a);
    a.provider.awareness.setLocalStateField('user', { name: 'Ada', color: '#3366cc' });
    await waitFor(() => server.server.rooms.all()[0]?.presence.awareness.states.size === 1);
    const late = connect('room');
    await waitFor(() => namesSeenBy(late).includes('Ada'), { what: 'late joiner sees Ada' });
  });

  it('a closed connection disappears for everyone at once, not after the 30 s timeout', async () => {
    const a = connect('room');
    const b = connect('room');
    await Promise.all([waitForSynced(a), waitForSynced(b)]);
    a.provider.awareness.setLocalStateField('user', { name: 'Ada', color: '#3366cc' });
    b.provider.awareness.setLocalStateField('user', { name: 'Bo', color: '#3366cc' });
    await waitFor(() => namesSeenBy(b).includes('Ada'));
    // Drop the socket without the goodbye the provider would send on destroy().
    (a.provider.ws as unknown as { _socket: { destroy(): void } })._socket.destroy();
    a.provider.shouldConnect = false;
    const started = Date.now();
    await waitFor(() => !namesSeenBy(b).includes('Ada'), { what: 'Ada removed', timeoutMs: 3000 });
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('a stock client that reconnects is seen again at once, not at its next 15 s renewal', async () => {
    const a = connect('room');
    const b = connect('room');
    await Promise.all([waitForSynced(a), waitForSynced(b)]);
    a.provider.awareness.setLocalStateField('user', { name: 'Ada', color: '#3366cc' });
    await waitFor(() => namesSeenBy(b).includes('Ada'), { what: 'Ada present' });
    // The socket drops; the provider reconnects and re-sends its state with the clock it had, the
    // clock the server's removal already used.
    (a.provider.ws as unknown as { _socket: { destroy(): void } })._socket.destroy();
    await waitFor(() => !namesSeenBy(b).includes('Ada'), { what: 'Ada removed', timeoutMs: 3000 });
    await waitFor(() => namesSeenBy(b).includes('Ada'), { what: 'Ada seen again after the reconnect', timeoutMs: 5000 });
    // And her later changes go through as usual: she took the clock the server gave her state.
    a.provider.awareness.setLocalStateField('user', { name: 'Ada Lovelace', color: '#3366cc' });
    await waitFor(() => namesSeenBy(b).includes('Ada Lovelace'), { what: 'renamed Ada' });
  });

  it('a late echo of a state the server removed does not bring it back', async () => {
    const a = connect('room');
    await waitForSynced(a);
    const leaver = await connectRaw(server.url, 'room');
    leaver.send(awarenessFrame([{ clientId: 777, clock: 1, state: { user: { name: 'Ghost', color: '#3366cc' } } }]));
    await waitFor(() => namesSeenBy(a).includes('Ghost'), { what: 'Ghost present' });
    leaver.socket.close();
    await waitFor(() => !namesSeenBy(a).includes('Ghost'), { what: 'Ghost removed' });
    // Another connection announces itself, then echoes the state it had heard before the removal.
    const echoer = await connectRaw(server.url, 'room');
    echoer.send(awarenessFrame([{ clientId: 888, clock: 1, state: { user: { name: 'Echo', color: '#3366cc' } } }]));
    echoer.send(awarenessFrame([{ clientId: 777, clock: 1, state: { user: { name: 'Ghost', color: '#3366cc' } } }]));
    echoer.send(awarenessFrame([{ clientId: 888, clock: 2, state: { user: { name: 'Echo 2', color: '#3366cc' } } }]));
    // Frames are handled in order: once the last one shows, the echo was handled too.
    await waitFor(() => namesSeenBy(a).includes('Echo 2'), { what: 'the echoer is seen' });
    expect(namesSeenBy(a)).not.toContain('Ghost');
    echoer.socket.close();
  });

  it('a dead connection (no pong) is terminated by the heartbeat and its presence removed', async () => {
    const b = connect('room');
    await waitForSynced(b);
    const silent = await connectRaw(server.url, 'room', { autoPong: false });
    silent.send(awarenessFrame([{ clientId: 4242, clock: 1, state: { user: { name: 'Ghost', color: '#3366cc' } } }]));
    await waitFor(() => namesSeenBy(b).includes('Ghost'), { what: 'Ghost present' });
    await silent.closed;
    await waitFor(() => !namesSeenBy(b).includes('Ghost'), { what: 'Ghost removed', timeoutMs: 3000 });
    expect(server.logs.some((l) => String(l.msg).includes('missed heartbeat'))).toBe(true);
  });

  it("a connection from someone else cannot set or remove another connection's presence", async () => {
    const a = connect('room');
    await waitForSynced(a);
    a.provider.awareness.setLocalStateField('user', { name: 'Ada', color: '#3366cc' });
    const room = await waitFor(() => server.server.rooms.all()[0]);
    await waitFor(() => room.presence.awareness.states.size === 1);
    const adaId = a.doc.clientID;

    const impostor = await connectRaw(server.url, 'room', { localAddress: '127.0.0.2' });
    impostor.send(awarenessFrame([{ clientId: adaId, clock: 99, state: { user: { name: 'Mallory', color: '#3366cc' } } }]));
    expect((await impostor.closed).code).toBe(CloseCode.AwarenessRejected.code);

    const remover = await connectRaw(server.url, 'room', { localAddress: '127.0.0.3' });
    remover.send(awarenessFrame([{ clientId: adaId, clock: 99, state: null }]));
    expect((await remover.closed).code).toBe(CloseCode.AwarenessRejected.code);

    expect(namesSeenBy(a)).toEqual(['Ada']);
    expect((room.presence.awareness.states.get(adaId) as { user: { name: string } }).user.name).toBe('Ada');
  });

  it('one connection cannot flood presence with many client IDs', async () => {
    const b = connect('room');
    await waitForSynced(b);
    const flooder = await connectRaw(server.url, 'room');
    const entries = Array.from({ length: 50 }, (_, i) => ({ clientId: 1000 + i, clock: 1, state: { n: i } }));
    flooder.send(awarenessFrame(entries));
    expect((await flooder.closed).code).toBe(CloseCode.AwarenessRejected.code);
    expect(server.server.rooms.all()[0]!.presence.awareness.states.size).toBe(0);
  });

  it('a presence state over the size cap is refused and the connection closed', async () => {
    await server.dispose();
    server = await startTestServer({ maxAwarenessBytes: 256 });
    const b = connect('room');
    await waitForSynced(b);
    const big = await connectRaw(server.url, 'room');
    big.send(awarenessFrame([{ clientId: 99, clock: 1, state: { blob: 'x'.repeat(1000) } }]));
    expect((await big.closed).code).toBe(CloseCode.AwarenessRejected.code);
    expect(namesSeenBy(b)).toEqual([]);
    expect(server.server.rooms.all()[0]!.presence.awareness.states.has(99)).toBe(false);
  });
});
