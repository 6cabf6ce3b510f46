/**
 * Presence as an attacker with a view-only token would abuse it (issue 11): poisoned states,
 * taking over someone's client ID once their document unloaded, and clocks that jump.
 */
import { CloseCode } from '@tandem/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { MAX_CLOCK_JUMP } from './Presence.js';
import { Peers, type ProviderClient, type RawClient, waitForSynced } from './test-support/clients.js';
import { type AwarenessEntryInput, awarenessFrame } from './test-support/frames.js';
import { type TestServer, startTestServer, waitFor } from './test-support/server.js';
import { TEST_SECRET, mintToken } from './test-support/tokens.js';

let server: TestServer;
const peers = new Peers(() => server.url);
const connect = peers.provider.bind(peers);
const raw = peers.raw.bind(peers);
const viewer = (sub: string, doc: string): Promise<string> => mintToken({ sub, doc, access: 'read' });
const user = (name: string): { name: string; color: string } => ({ name, color: '#3366cc' });
/** The close code the server chose within `ms`, or 0 when it left the connection open. */
async function closeCode(client: RawClient, ms = 2000): Promise<number> {
  const open = new Promise<{ code: number }>((resolve) => setTimeout(() => resolve({ code: 0 }), ms));
  return (await Promise.race([client.closed, open])).code;
}
const nameOf = (client: ProviderClient, clientId: number): string | undefined =>
  (client.provider.awareness.getStates().get(clientId) as { user?: { name?: string } } | undefined)?.user?.name;

afterEach(async () => {
  peers.closeAll();
  await server?.dispose();
});

describe('presence states are checked before they are stored or relayed', () => {
  it('closes a connection that sends a malformed state with 4402, and stock peers never receive it', async () => {
    server = await startTestServer({ authSecret: TEST_SECRET });
    const alice = connect('shared', await mintToken({ sub: 'alice', doc: 'shared' }));
    const bob = connect('shared', await mintToken({ sub: 'bob', doc: 'shared' }));
    await Promise.all([waitForSynced(alice), waitForSynced(bob)]);
    // Every client ID either peer ever hears of.
    const heard = new Set<number>();
    for (const peer of [alice, bob]) {
      peer.provider.awareness.on('change', ({ added, updated }: { added: number[]; updated: number[] }) => {
        for (const id of [...added, ...updated]) heard.add(id);
      });
    }
    const good = { tname: 'prosemirror' };
    const poisons: unknown[] = [
      // The security probe's two states, then other shapes that broke or could break the cursor plugin.
      { user: { name: 'M', color: '#ff0000' }, cursor: { anchor: null, head: null } },
      { user: 'M', cursor: { anchor: good, head: good } },
      { user: { name: 'M', color: '#ff0000' }, cursor: { anchor: { item: { client: 1, clock: 0.5 } }, head: good } },
      { user: { name: 'M', color: 'red; background: url(https://evil.example/)' } },
      'just a string',
      [1, 2, 3],
    ];
    let clientId = 90_000;
    for (const state of poisons) {
      const attacker = await raw('shared', await viewer('mallory', 'shared'));
      attacker.send(awarenessFrame([{ clientId: ++clientId, clock: 1, state }]));
      expect(await closeCode(attacker), JSON.stringify(state)).toBe(CloseCode.AwarenessRejected.code);
    }
    expect(server.logs.filter((l) => l.closeReason === 'AwarenessRejected' && String(l.detail).startsWith('malformed presence state'))).toHaveLength(poisons.length);

    // A well-formed state sent after them all is relayed (relays are merged every 50 ms, so a
    // poisoned state, had it been taken, would have gone out no later than this one).
    const honest = await raw('shared', await viewer('vera', 'shared'));
    honest.send(awarenessFrame([{ clientId: 80_000, clock: 1, state: { user: user('Vera'), cursor: { anchor: good, head: good }, app: { extra: true } } }]));
    await waitFor(() => nameOf(alice, 80_000) === 'Vera' && nameOf(bob, 80_000) === 'Vera', { what: 'the well-formed state relayed' });
    expect([...heard].filter((id) => id > 90_000)).toEqual([]);
    expect(server.server.rooms.all()[0]!.presence.awareness.getStates().size).toBe(1);
    // And the document still syncs both ways.
    alice.text.insert(0, 'still typing');
    await waitFor(() => bob.text.toString() === 'still typing', { what: 'edits still flow' });
  });
});

describe('presence claims outlive the room', () => {
  it("a view-only client cannot take over someone's client ID after their document unloaded", async () => {
    server = await startTestServer({ authSecret: TEST_SECRET });
    const aliceDoc = new Y.Doc();
    const alice = connect('notes', await mintToken({ sub: 'alice', doc: 'notes' }), aliceDoc);
    await waitForSynced(alice);
    alice.provider.awareness.setLocalStateField('user', user('Alice'));
    await waitFor(() => server.server.rooms.all()[0]?.presence.awareness.getStates().has(aliceDoc.clientID), { what: 'Alice present' });
    const clock = alice.provider.awareness.meta.get(aliceDoc.clientID)!.clock;
    // Alice's tab goes offline (her Y.Doc and client ID stay) and the document unloads.
    alice.provider.disconnect();
    await waitFor(() => !server.server.rooms.has('notes'), { what: 'notes unloaded' });

    const mallory = await raw('notes', await viewer('mallory', 'notes'));
    mallory.send(awarenessFrame([{ clientId: aliceDoc.clientID, clock: clock + 1000, state: { user: user('Mallory') } }]));
    expect(await closeCode(mallory)).toBe(CloseCode.AwarenessRejected.code);

    // Alice comes back and is seen as herself.
    const observer = connect('notes', await viewer('olga', 'notes'));
    alice.provider.connect();
    await waitFor(() => nameOf(observer, aliceDoc.clientID) === 'Alice', { what: 'the observer sees Alice' });
  });

  it('the same person gets their client ID back after the room unloaded, even with a clock thousands ahead', async () => {
    server = await startTestServer({ authSecret: TEST_SECRET });
    const token = await mintToken({ sub: 'alice', doc: 'notes' });
    const first = await raw('notes', token);
    first.send(awarenessFrame([{ clientId: 4242, clock: 5, state: { user: user('Alice') } }]));
    await waitFor(() => server.server.rooms.all()[0]?.presence.awareness.getStates().has(4242), { what: 'Alice present' });
    first.socket.close();
    await waitFor(() => !server.server.rooms.has('notes'), { what: 'notes unloaded' });
    const observer = connect('notes', await viewer('olga', 'notes'));
    await waitForSynced(observer);
    const again = await raw('notes', token);
    again.send(awarenessFrame([{ clientId: 4242, clock: 5 + 20_000, state: { user: user('Alice again') } }]));
    await waitFor(() => nameOf(observer, 4242) === 'Alice again', { what: 'Alice back' });
  });
});

describe('presence clocks', () => {
  async function sendAndClose(entries: AwarenessEntryInput[][]): Promise<number> {
    const client = await raw('clocks', await viewer(`v${Math.random()}`, 'clocks'));
    for (const frame of entries) client.send(awarenessFrame(frame));
    return closeCode(client, 1000);
  }

  it(`refuses a clock more than ${MAX_CLOCK_JUMP} past the last one known for the client ID`, async () => {
    server = await startTestServer({ authSecret: TEST_SECRET });
    const state = { user: user('V') };
    expect(await sendAndClose([[{ clientId: 1, clock: 1, state }], [{ clientId: 1, clock: 2 + MAX_CLOCK_JUMP, state }]])).toBe(CloseCode.AwarenessRejected.code);
    // A client ID nobody has used yet starts from 0: a first clock near 2^53 is refused too.
    expect(await sendAndClose([[{ clientId: 2, clock: Number.MAX_SAFE_INTEGER, state }]])).toBe(CloseCode.AwarenessRejected.code);
    // A jump within the bound is an honest client that changed its presence offline.
    expect(await sendAndClose([[{ clientId: 3, clock: 1, state }], [{ clientId: 3, clock: 1 + MAX_CLOCK_JUMP, state }]])).toBe(0);
    expect(server.logs.filter((l) => /jumps more than/.test(String(l.detail)))).toHaveLength(2);
  });
});
