import { type AwarenessEntry, decodeAwarenessEntries, encodeAwarenessEntries, isPlainObject, jsonDepth } from '@tandem/protocol';
import { relativePositionToAbsolutePosition } from 'y-prosemirror';
import * as Y from 'yjs';

/**
 * Presence states come from other people's browsers, or from anything else that can reach the
 * server (a view-only link is enough; other servers and older ones check nothing). The editor
 * trusts none of them. Two gates, each about what this editor does with a state:
 *
 * 1. `acceptRemotePresence` (provider/presence.ts) with {@link acceptableEntries}, before a state is stored: it must parse, be an object nested
 *    at most {@link MAX_PRESENCE_DEPTH} levels (y-protocols compares states recursively), and have
 *    a `user` and `cursor` that are objects when present. Anything else is dropped, so neither the
 *    presence list nor the cursor plugin ever sees it, and y-websocket never passes it on. For this
 *    editor's own client ID only the clock is taken (the server hands the state back with a newer
 *    clock after a reconnect): the state stays the one this editor has.
 * 2. {@link drawableCursorFilter}, each time cursors are drawn: y-prosemirror's cursor plugin
 *    reads `user` and turns `cursor.anchor`/`cursor.head` into document positions inside a
 *    ProseMirror state update, where one exception stops the editor from showing anyone's
 *    typing. The filter resolves both positions itself, in the same document and mapping, and
 *    lets through only states whose cursor resolves (positions naming items or types that do
 *    not exist, or that the editor does not show, are left out).
 */

/** Deepest nesting accepted in a remote presence state (the state object itself is level 1). */
export const MAX_PRESENCE_DEPTH = 32;

const HEX_COLOR = /^#[0-9a-fA-F]{6}$/;

/** Why this editor will not store a remote presence state, or undefined when it will. */
export function presenceProblem(state: unknown): string | undefined {
  if (!isPlainObject(state)) return 'not an object';
  if (jsonDepth(state, MAX_PRESENCE_DEPTH) > MAX_PRESENCE_DEPTH) return `nested deeper than ${MAX_PRESENCE_DEPTH} levels`;
  if (state.user != null && !isPlainObject(state.user)) return '`user` is not an object';
  if (state.cursor != null && !isPlainObject(state.cursor)) return '`cursor` is not an object';
  return undefined;
}

/**
 * The entries of an encoded awareness update that this editor will store, re-encoded; undefined
 * when none is left or the update cannot be read at all.
 */
export function acceptableEntries(
  update: Uint8Array,
  self: { clientId: number; state: Record<string, unknown> | null },
  onDropped: (clientId: number, problem: string) => void = () => {},
): Uint8Array | undefined {
  let entries: AwarenessEntry[];
  try {
    entries = decodeAwarenessEntries(update);
  } catch {
    onDropped(-1, 'an awareness update that cannot be decoded');
    return undefined;
  }
  const kept: AwarenessEntry[] = [];
  for (const entry of entries) {
    const { clientId, stateJson } = entry;
    let state: unknown;
    try {
      state = JSON.parse(stateJson);
    } catch {
      onDropped(clientId, 'not JSON');
      continue;
    }
    // A removal is always fine: y-protocols never lets it remove this editor's own state.
    if (state === null) {
      kept.push(entry);
    } else if (clientId === self.clientId) {
      // The server hands this editor's state back with a newer clock (after a reconnect), maybe
      // from before its latest change: take the clock, keep the state this editor has.
      if (self.state !== null) kept.push({ ...entry, stateJson: JSON.stringify(self.state) });
    } else {
      const problem = presenceProblem(state);
      if (problem) onDropped(clientId, problem);
      else kept.push(entry);
    }
  }
  return kept.length === 0 ? undefined : encodeAwarenessEntries(kept);
}

/** The ProseMirror nodes y-prosemirror rendered for each Yjs type (its binding's mapping). */
export type BindingMapping = Map<Y.AbstractType<unknown>, unknown>;

/**
 * Gate 2: an `awarenessStateFilter` for y-prosemirror's `yCursorPlugin` that lets through only
 * other clients' states it can draw: `user` absent or an object whose colour, if any, is
 * `#rrggbb`, and `cursor` absent, null, or with an `anchor` and `head` that resolve — without
 * throwing — to positions in `fragment` (or to nothing, which the plugin skips).
 *
 * @param mapping the binding's mapping, read at each call (y-prosemirror resolves positions with it)
 */
export function drawableCursorFilter(
  fragment: Y.XmlFragment,
  mapping: () => BindingMapping,
): (selfId: number, clientId: number, state: unknown) => boolean {
  const resolves = (json: unknown): boolean => {
    if (!isPlainObject(json)) return false;
    try {
      const position = relativePositionToAbsolutePosition(
        fragment.doc!,
        fragment,
        Y.createRelativePositionFromJSON(json),
        mapping() as Parameters<typeof relativePositionToAbsolutePosition>[3],
      );
      return position === null || (Number.isSafeInteger(position) && position >= 0);
    } catch {
      return false;
    }
  };
  return (selfId, clientId, state) => {
    if (clientId === selfId || presenceProblem(state) !== undefined) return false;
    const { user, cursor } = state as { user?: Record<string, unknown> | null; cursor?: Record<string, unknown> | null };
    // y-prosemirror warns on the console for every draw of a colour it cannot use.
    if (user?.color != null && !(typeof user.color === 'string' && HEX_COLOR.test(user.color))) return false;
    if (cursor == null) return true;
    return resolves(cursor.anchor) && resolves(cursor.head);
  };
}
