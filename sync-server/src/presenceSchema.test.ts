import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { MAX_PRESENCE_DEPTH, MAX_USER_NAME_LENGTH, presenceStateProblem } from './presenceSchema.js';

/** A state as the wire carries it: what JSON.stringify then JSON.parse make of `value`. */
const wire = (value: unknown): unknown => JSON.parse(JSON.stringify(value)) as unknown;

const user = { name: 'Ada', color: '#30bced' };

/** Positions the way y-prosemirror's cursor plugin makes them, in a real document. */
function realPositions(): { inText: Y.RelativePosition; atEnd: Y.RelativePosition; inRoot: Y.RelativePosition } {
  const doc = new Y.Doc();
  const fragment = doc.getXmlFragment('prosemirror');
  const paragraph = new Y.XmlElement('paragraph');
  fragment.insert(0, [paragraph]);
  const text = new Y.XmlText('hello');
  paragraph.insert(0, [text]);
  return {
    inText: Y.createRelativePositionFromTypeIndex(text, 2),
    atEnd: Y.createRelativePositionFromTypeIndex(text, 5), // no item: the type's ID
    inRoot: Y.createRelativePositionFromTypeIndex(fragment, 1), // no item, a root type: its name
  };
}

describe('presence states the server accepts', () => {
  const { inText, atEnd, inRoot } = realPositions();
  const accepted: Array<[string, unknown]> = [
    ['null (a client leaving)', null],
    ['an empty object (a stock client before it sets anything)', {}],
    ['a user alone', { user }],
    ['a user with extra fields (y-codemirror adds colorLight)', { user: { ...user, colorLight: '#30bced33' } }],
    ['a name of exactly the cap', { user: { name: 'x'.repeat(MAX_USER_NAME_LENGTH), color: '#000000' } }],
    ['a null cursor', { user, cursor: null }],
    ['a cursor as the awareness encoder writes a Y.RelativePosition', wire({ user, cursor: { anchor: inText, head: atEnd } })],
    ['a cursor in Y.relativePositionToJSON form', { user, cursor: { anchor: Y.relativePositionToJSON(inRoot), head: Y.relativePositionToJSON(inText) } }],
    ['a negative assoc', { cursor: { anchor: { ...wire(inText) as object, assoc: -1 }, head: wire(inText) } }],
    ['unknown application fields', { user, cursor: null, selection: [1, 2, 3], app: { mode: 'draw', tool: { size: 3 } } }],
  ];
  it.each(accepted)('%s', (_label, state) => {
    expect(presenceStateProblem(state)).toBeUndefined();
  });
});

describe('presence states the server refuses', () => {
  const good = wire(realPositions().inText) as Record<string, unknown>;
  const nest = (levels: number): unknown => {
    let value: unknown = 'bottom';
    for (let i = 0; i < levels; i++) value = { deeper: value };
    return value;
  };
  const refused: Array<[string, unknown, RegExp]> = [
    // The two states the security probe sent.
    ['cursor ends that are null (the probe)', { user: { name: 'M', color: '#ff0000' }, cursor: { anchor: null, head: null } }, /cursor\.anchor/],
    ['a user that is a string (the probe)', { user: 'M', cursor: { anchor: good, head: good } }, /^user: must be an object/],
    // Not an object at all.
    ['a string', 'hello', /object or null/],
    ['a number', 42, /object or null/],
    ['a huge number', 1e308, /object or null/],
    ['a boolean', true, /object or null/],
    ['an array', [{ user }], /object or null, not an array/],
    // user
    ['a null user', { user: null }, /^user: must be an object, not null/],
    ['an array user', { user: ['Ada'] }, /^user: must be an object/],
    ['a user without a name', { user: { color: '#ff0000' } }, /name must be a string/],
    ['a numeric name', { user: { name: 42, color: '#ff0000' } }, /name must be a string/],
    ['an object name', { user: { name: { first: 'Ada' }, color: '#ff0000' } }, /name must be a string/],
    ['a name over the cap', { user: { name: 'x'.repeat(MAX_USER_NAME_LENGTH + 1), color: '#ff0000' } }, /more than 100/],
    ['a user without a colour', { user: { name: 'Ada' } }, /color must be "#rrggbb"/],
    ['a three-digit colour', { user: { name: 'Ada', color: '#f00' } }, /color/],
    ['a named colour', { user: { name: 'Ada', color: 'red' } }, /color/],
    ['a colour that injects CSS', { user: { name: 'Ada', color: '#ff0000; background: url(https://evil.example/)' } }, /color/],
    ['a numeric colour', { user: { name: 'Ada', color: 0xff0000 } }, /color/],
    // cursor
    ['a string cursor', { cursor: 'here' }, /cursor must be null or/],
    ['an array cursor', { cursor: [good, good] }, /cursor must be null or/],
    ['a cursor without a head', { cursor: { anchor: good } }, /cursor\.head/],
    ['a cursor with empty positions', { cursor: { anchor: {}, head: {} } }, /no item, type or type name/],
    ['a position whose fields are all null', { cursor: { anchor: { type: null, tname: null, item: null, assoc: 0 }, head: good } }, /no item, type or type name/],
    ['a position with a string item', { cursor: { anchor: { item: 'x' }, head: good } }, /item: must be an ID/],
    ['an item ID without a clock', { cursor: { anchor: { item: { client: 1 } }, head: good } }, /clock must be/],
    ['an item ID with a fractional clock', { cursor: { anchor: { item: { client: 1, clock: 1.5 } }, head: good } }, /clock must be/],
    ['an item ID with a negative client', { cursor: { anchor: { item: { client: -1, clock: 0 } }, head: good } }, /client must be/],
    ['an item ID past 2^53', { cursor: { anchor: { item: { client: 2 ** 60, clock: 0 } }, head: good } }, /client must be/],
    ['an item ID with a string clock', { cursor: { anchor: { item: { client: 1, clock: '3' } }, head: good } }, /clock must be/],
    ['a type ID that is a number', { cursor: { anchor: { type: 7 }, head: good } }, /type: must be an ID/],
    ['a numeric type name', { cursor: { anchor: { tname: 5 }, head: good } }, /tname must be a string/],
    ['a type name of 10,000 characters', { cursor: { anchor: { tname: 'x'.repeat(10_000) }, head: good } }, /tname is longer/],
    ['a fractional assoc', { cursor: { anchor: { ...good, assoc: 0.5 }, head: good } }, /assoc must be an integer/],
    ['a huge assoc', { cursor: { anchor: { ...good, assoc: 1e300 }, head: good } }, /assoc must be an integer/],
    // Nesting, anywhere.
    ['an application field nested too deep', { app: nest(MAX_PRESENCE_DEPTH) }, /nest at most/],
    ['arrays nested too deep', { app: JSON.parse(`${'['.repeat(5000)}${']'.repeat(5000)}`) as unknown }, /nest at most/],
  ];
  it.each(refused)('%s', (_label, state, reason) => {
    expect(presenceStateProblem(state)).toMatch(reason);
  });

  it('accepts nesting up to the cap', () => {
    expect(presenceStateProblem({ app: nest(MAX_PRESENCE_DEPTH - 2) })).toBeUndefined();
  });

  it('never quotes the offending value', () => {
    const secret = 'x'.repeat(500);
    expect(presenceStateProblem({ user: { name: secret, color: '#ff0000' } })).not.toContain(secret);
    expect(presenceStateProblem(secret)).not.toContain(secret);
  });
});
