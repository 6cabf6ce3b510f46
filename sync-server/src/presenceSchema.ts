/**
 * The shape a presence (awareness) state must have before the server stores or relays it.
 *
 * Editors trust the fields they know: y-prosemirror's cursor plugin reads `user.color`, assigns
 * defaults into `user`, and rebuilds `cursor.anchor` / `cursor.head` with
 * `Y.createRelativePositionFromJSON`, all inside a ProseMirror plugin. One remote state with
 * `cursor: {anchor: null}` or `user: "M"` made every open editor throw on each update and stop
 * syncing its user's typing. So the known fields are checked strictly; anything else an
 * application adds stays allowed (other y-websocket apps put their own data there), within the
 * size cap the caller applies and a nesting cap applied here.
 *
 * Rules (null is a client leaving and always allowed):
 * - the state is a plain object, nested at most {@link MAX_PRESENCE_DEPTH} levels;
 * - `user`, when present, is an object with a string `name` of at most
 *   {@link MAX_USER_NAME_LENGTH} characters and a `color` of the form `#rrggbb`;
 * - `cursor`, when present, is null or an object whose `anchor` and `head` are relative positions.
 *
 * A relative position is what Yjs serialises: `Y.relativePositionToJSON` omits empty fields, while
 * `JSON.stringify` of a `Y.RelativePosition` (what the awareness encoder does with the object
 * y-prosemirror stores) writes them as null. Either way: an object with `type` and `item` each
 * null or an ID `{client, clock}` of non-negative safe integers, `tname` null or a string, `assoc`
 * absent, null or a safe integer, and at least one of `item`, `tname`, `type` set (Yjs throws on
 * a position with none).
 */

import { isPlainObject, jsonDepth } from '@tandem/protocol';

/** Longest `user.name` accepted, in UTF-16 code units (what `String.length` counts). */
export const MAX_USER_NAME_LENGTH = 100;
/** Deepest nesting accepted anywhere in a state (the state object itself is level 1). */
export const MAX_PRESENCE_DEPTH = 16;
/** Longest root type name accepted in a relative position. */
const MAX_TYPE_NAME_LENGTH = 1000;

const COLOR = /^#[0-9a-fA-F]{6}$/;

/** Why `state` (parsed JSON) is not an acceptable presence state, or undefined when it is. */
export function presenceStateProblem(state: unknown): string | undefined {
  if (state === null) return undefined;
  if (!isPlainObject(state)) return `a presence state must be an object or null, not ${describe(state)}`;
  if (jsonDepth(state, MAX_PRESENCE_DEPTH) > MAX_PRESENCE_DEPTH) return `a presence state may nest at most ${MAX_PRESENCE_DEPTH} levels`;
  if ('user' in state) {
    const problem = userProblem(state.user);
    if (problem) return `user: ${problem}`;
  }
  if ('cursor' in state && state.cursor !== null) {
    const cursor = state.cursor;
    if (!isPlainObject(cursor)) return `cursor must be null or {anchor, head}, not ${describe(cursor)}`;
    for (const end of ['anchor', 'head'] as const) {
      const problem = relativePositionProblem(cursor[end]);
      if (problem) return `cursor.${end}: ${problem}`;
    }
  }
  return undefined;
}

function userProblem(user: unknown): string | undefined {
  if (!isPlainObject(user)) return `must be an object, not ${describe(user)}`;
  if (typeof user.name !== 'string') return `name must be a string, not ${describe(user.name)}`;
  if (user.name.length > MAX_USER_NAME_LENGTH) return `name is ${user.name.length} characters, more than ${MAX_USER_NAME_LENGTH}`;
  if (typeof user.color !== 'string' || !COLOR.test(user.color)) return `color must be "#rrggbb", not ${describe(user.color)}`;
  return undefined;
}

/** Why `position` is not the JSON of a Y.RelativePosition, or undefined when it is. */
export function relativePositionProblem(position: unknown): string | undefined {
  if (!isPlainObject(position)) return `must be a relative position object, not ${describe(position)}`;
  const { type, tname, item, assoc } = position;
  for (const [field, id] of [['type', type], ['item', item]] as const) {
    if (id === undefined || id === null) continue;
    const problem = idProblem(id);
    if (problem) return `${field}: ${problem}`;
  }
  if (tname !== undefined && tname !== null) {
    if (typeof tname !== 'string') return `tname must be a string, not ${describe(tname)}`;
    if (tname.length > MAX_TYPE_NAME_LENGTH) return `tname is longer than ${MAX_TYPE_NAME_LENGTH} characters`;
  }
  if (assoc !== undefined && assoc !== null && !Number.isSafeInteger(assoc)) return `assoc must be an integer, not ${describe(assoc)}`;
  if (item == null && tname == null && type == null) return 'names no item, type or type name';
  return undefined;
}

function idProblem(id: unknown): string | undefined {
  if (!isPlainObject(id)) return `must be an ID {client, clock}, not ${describe(id)}`;
  for (const field of ['client', 'clock'] as const) {
    const value = id[field];
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) return `${field} must be a non-negative integer, not ${describe(value)}`;
  }
  return undefined;
}

/** A short description of a value for an error message (never the value itself: it may be huge). */
function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'number') return Number.isFinite(value) ? `the number ${value}` : 'a non-finite number';
  if (typeof value === 'string') return `a string of ${value.length} characters`;
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
