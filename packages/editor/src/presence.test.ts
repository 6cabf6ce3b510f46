import { applyAwarenessUpdate, Awareness, encodeAwarenessUpdate, removeAwarenessStates } from 'y-protocols/awareness';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { observePresence, peersFromAwareness } from './presence.js';
import { initialsOf, randomUser, sanitizeColor, textColorOn } from './user.js';

function person(name: unknown, color: unknown) {
  const awareness = new Awareness(new Y.Doc());
  awareness.setLocalStateField('user', { name, color });
  return awareness;
}
/** Copy `from`'s own state into `into`, as the server would relay it. */
function relay(from: Awareness, into: Awareness) {
  applyAwarenessUpdate(into, encodeAwarenessUpdate(from, [from.clientID]), 'remote');
}

describe('presence', () => {
  it('lists everyone with a user, self first, then by name', () => {
    const me = person('Zoe', '#e5484d');
    const bob = person('Bob', '#3e63dd');
    const amy = person('Amy', '#30a46c');
    relay(bob, me);
    relay(amy, me);
    const peers = peersFromAwareness(me);
    expect(peers.map((p) => [p.name, p.isSelf])).toEqual([['Zoe', true], ['Amy', false], ['Bob', false]]);
    expect(peers[1]).toMatchObject({ clientId: amy.clientID, color: '#30a46c', initials: 'A' });
  });

  it('ignores clients without a user (other tools on the same document)', () => {
    const me = person('Me', '#e5484d');
    const tool = new Awareness(new Y.Doc());
    tool.setLocalStateField('cursor', null);
    relay(tool, me);
    expect(peersFromAwareness(me)).toHaveLength(1);
  });

  it("cleans up other people's names and colours", () => {
    const me = person('Me', '#e5484d');
    const evil = person(`  <img src=x>${'a'.repeat(100)}  `, 'red; background: url(x)');
    relay(evil, me);
    const other = peersFromAwareness(me).find((p) => !p.isSelf)!;
    expect(other.name.length).toBe(40);
    expect(other.color).toMatch(/^#[0-9a-f]{6}$/);
    const nameless = person(42, undefined);
    relay(nameless, me);
    expect(peersFromAwareness(me).some((p) => p.name.startsWith('Guest'))).toBe(true);
  });

  it('reports joins, renames and leaves, but not cursor movements', () => {
    const me = person('Me', '#e5484d');
    const bob = person('Bob', '#3e63dd');
    const seen: string[][] = [];
    const stop = observePresence(me, (peers) => seen.push(peers.map((p) => p.name)));
    relay(bob, me);
    bob.setLocalStateField('cursor', { anchor: 1, head: 1 });
    relay(bob, me);
    bob.setLocalStateField('user', { name: 'Robert', color: '#3e63dd' });
    relay(bob, me);
    removeAwarenessStates(me, [bob.clientID], 'remote');
    stop();
    relay(bob, me);
    expect(seen).toEqual([['Me'], ['Me', 'Bob'], ['Me', 'Robert'], ['Me']]);
  });
});

describe('user identity', () => {
  it('makes initials from the first and last word', () => {
    expect(initialsOf('Ada Lovelace')).toBe('AL');
    expect(initialsOf('grace')).toBe('G');
    expect(initialsOf('Jean Paul Sartre')).toBe('JS');
    expect(initialsOf('   ')).toBe('?');
  });

  it('invents a named, coloured user', () => {
    const user = randomUser(() => 0.5);
    expect(user.name).toMatch(/^[A-Z][a-z]+ [A-Z][a-z]+$/);
    expect(sanitizeColor(user.color)).toBe(user.color);
  });

  it('picks readable text on a colour', () => {
    expect(textColorOn('#111111')).toBe('#ffffff');
    expect(textColorOn('#ffee88')).toBe('#111111');
  });
});
