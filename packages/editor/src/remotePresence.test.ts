// @vitest-environment jsdom
import { encodeAwarenessEntries, encodeAwarenessMessage } from '@tandem/protocol';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { TextSelection } from 'prosemirror-state';
import type { EditorView } from 'prosemirror-view';
import { yCursorPlugin, ySyncPluginKey } from 'y-prosemirror';
import { applyAwarenessUpdate, Awareness } from 'y-protocols/awareness';
import * as Y from 'yjs';
import { createEditor, type TandemEditor } from './createEditor.js';
import { peersFromAwareness } from './presence.js';
import { acceptableEntries, drawableCursorFilter, MAX_PRESENCE_DEPTH, presenceProblem, type BindingMapping } from './remotePresence.js';
import type { EditorError } from './editorError.js';
import { startStockServer, type StockServer } from './testing/stockServer.js';
import { localView, type as typeText } from './testing/view.js';

/** An awareness update with raw JSON texts, as any client could send it. */
const rawUpdate = (entries: Array<[clientId: number, clock: number, json: string]>) =>
  encodeAwarenessEntries(entries.map(([clientId, clock, stateJson]) => ({ clientId, clock, stateJson })));

const nested = (depth: number): unknown => {
  let value: unknown = 'bottom';
  for (let i = 1; i < depth; i++) value = { deeper: value };
  return value;
};
/** The y-prosemirror binding's mapping of a view. */
const mappingOf = (view: EditorView) => (ySyncPluginKey.getState(view.state) as { binding: { mapping: BindingMapping } }).binding.mapping;
const position = (fields: Record<string, unknown>) => ({ type: null, tname: null, item: null, assoc: 0, ...fields });
const user = { name: 'M', color: '#ff0000' };

/** States that pass the first gate (they are objects) but whose cursors cannot be drawn here. */
const UNDRAWABLE_CURSORS: Array<[string, unknown]> = [
  ['null anchor and head (the probe)', { user, cursor: { anchor: null, head: null } }],
  ['anchor only', { user, cursor: { anchor: position({ tname: 'prosemirror' }) } }],
  ['positions that are strings', { user, cursor: { anchor: 'a', head: 'b' } }],
  ['an item of a client that never wrote', { user, cursor: { anchor: position({ item: { client: 999, clock: 5 } }), head: position({ item: { client: 999, clock: 5 } }) } }],
  ['a type that does not exist', { user, cursor: { anchor: position({ type: { client: 12345, clock: 0 } }), head: position({ type: { client: 12345, clock: 0 } }) } }],
  ['huge and negative numbers', { user, cursor: { anchor: position({ item: { client: 1e300, clock: -1 } }), head: position({ item: { client: 2 ** 60, clock: 1e308 } }) } }],
  ['IDs of the wrong type', { user, cursor: { anchor: position({ item: { client: 'x', clock: {} } }), head: position({ item: [] }) } }],
  ['an unusable colour', { user: { name: 'M', color: { evil: true } }, cursor: { anchor: position({ tname: 'prosemirror' }), head: position({ tname: 'prosemirror' }) } }],
];

/** States the first gate refuses outright. */
const REFUSED_STATES: Array<[string, string]> = [
  ['a number', '42'],
  ['a string', '"M"'],
  ['an array', '[1,2,3]'],
  ['a user that is a string', JSON.stringify({ user: 'M', cursor: { anchor: null, head: null } })],
  ['a user that is an array', JSON.stringify({ user: ['M'], cursor: null })],
  ['a cursor that is a number', JSON.stringify({ user, cursor: 7 })],
  ['nesting past the cap', JSON.stringify({ user, extra: nested(MAX_PRESENCE_DEPTH + 5) })],
  // Built as text: JSON.stringify itself would run out of stack.
  ['nesting thousands deep', `{"extra":${'{"d":'.repeat(20_000)}1${'}'.repeat(20_000)}}`],
  ['text that is not JSON', '{"user": '],
];

describe('the first gate: which remote presence states this editor stores', () => {
  const self = { clientId: 1, state: { user: { name: 'Me', color: '#3e63dd' } } };
  it.each(REFUSED_STATES)('refuses %s', (_label, json) => {
    const dropped: number[] = [];
    expect(acceptableEntries(rawUpdate([[7, 1, json]]), self, (id) => dropped.push(id))).toBeUndefined();
    expect(dropped).toEqual([7]);
  });

  it("keeps good states and removals, drops bad ones from the same update, and takes only the clock for its own client ID", () => {
    const awareness = new Awareness(new Y.Doc());
    const mine = { user: { name: 'Me', color: '#3e63dd' } };
    awareness.setLocalState(mine);
    const me = { clientId: awareness.clientID, state: awareness.getLocalState() };
    const good = JSON.stringify({ user, cursor: null, app: { anything: [1, 2, 3] } });
    const kept = acceptableEntries(rawUpdate([[7, 1, good], [8, 1, '"bad"'], [9, 4, 'null'], [me.clientId, 99, good]]), me)!;
    applyAwarenessUpdate(awareness, kept, 'remote');
    expect([...awareness.getStates().keys()].sort()).toEqual([awareness.clientID, 7].sort());
    expect(awareness.getStates().get(7)).toEqual(JSON.parse(good));
    expect(awareness.getLocalState()).toEqual(mine);
    expect(awareness.meta.get(me.clientId)!.clock).toBe(99);
    // The server handing back an older state of this editor's with a newer clock (after a reconnect).
    const echo = acceptableEntries(rawUpdate([[me.clientId, 150, JSON.stringify({ user: { name: 'Old name', color: '#3e63dd' } })]]), me)!;
    applyAwarenessUpdate(awareness, echo, 'remote');
    expect(awareness.meta.get(me.clientId)!.clock).toBe(150);
    expect(awareness.getLocalState()).toEqual(mine);
  });

  it('says why', () => {
    expect(presenceProblem({ user })).toBeUndefined();
    expect(presenceProblem({ user: 'M' })).toMatch(/user/);
    expect(presenceProblem({ cursor: [] })).toMatch(/cursor/);
    expect(acceptableEntries(new Uint8Array([5, 1]), self)).toBeUndefined();
  });
});

describe('the second gate: which cursors the cursor plugin draws', () => {
  it.each(UNDRAWABLE_CURSORS)('draws no cursor for %s, and the view still shows every change', async (_label, state) => {
    const warnings = vi.spyOn(console, 'warn');
    const ydoc = new Y.Doc();
    const fragment = ydoc.getXmlFragment('prosemirror');
    const awareness = new Awareness(ydoc);
    const filter = drawableCursorFilter(fragment, () => mappingOf(view));
    const { view } = localView([yCursorPlugin(awareness, { awarenessStateFilter: filter })], ydoc);
    applyAwarenessUpdate(awareness, rawUpdate([[4242, 1, JSON.stringify(state)]]), 'remote');
    // A change from the document makes the cursor plugin draw every state: nothing throws.
    const paragraph = new Y.XmlElement('paragraph');
    paragraph.insert(0, [new Y.XmlText('from someone else')]);
    fragment.insert(0, [paragraph]);
    expect(view.state.doc.textContent).toBe('from someone else');
    // The plugin redraws on awareness changes a moment later (its own timer).
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(view.dom.querySelector('.ProseMirror-yjs-cursor')).toBeNull();
    // Nor a console warning on every redraw (y-prosemirror warns about colours it cannot use).
    expect(warnings).not.toHaveBeenCalled();
    warnings.mockRestore();
    view.destroy();
  });

  it('draws a cursor that resolves', () => {
    const ydoc = new Y.Doc();
    const fragment = ydoc.getXmlFragment('prosemirror');
    const { view } = localView([], ydoc);
    typeText(view, 'hello');
    const filter = drawableCursorFilter(fragment, () => mappingOf(view));
    const at = Y.relativePositionToJSON(Y.createRelativePositionFromTypeIndex(fragment.get(0) as Y.XmlElement, 0));
    expect(filter(1, 2, { user, cursor: { anchor: at, head: at } })).toBe(true);
    expect(filter(2, 2, { user, cursor: { anchor: at, head: at } })).toBe(false); // its own
    view.destroy();
  });
});

describe('two editors and a client sending malformed presence through a server that checks nothing (stock y-websocket)', () => {
  let server: StockServer;
  const editors: TandemEditor[] = [];
  const reported: EditorError[] = [];
  beforeAll(async () => {
    server = await startStockServer();
  });
  afterEach(() => {
    editors.splice(0).forEach((e) => e.destroy());
    document.body.replaceChildren();
  });
  afterAll(() => server.close());

  const open = (docName: string, name: string) => {
    const element = document.createElement('div');
    document.body.append(element);
    // Different browsers: no BroadcastChannel between them.
    const editor = createEditor(element, { docName, serverUrl: server.url, user: { name, color: '#3e63dd' }, offline: false, onError: (e) => reported.push(e) });
    editors.push(editor);
    return editor;
  };

  it('nothing throws, both keep showing each other’s typing, everything typed reaches the server, the list shows no bad entry', async () => {
    const docName = 'poisoned';
    const ada = open(docName, 'Ada');
    const bob = open(docName, 'Bob');
    const errors: unknown[] = [];
    const spy = vi.spyOn(console, 'error').mockImplementation((...args) => void errors.push(args));
    const raw = new WebSocket(`${server.url}/${docName}`);
    await new Promise((resolve) => raw.once('open', resolve));
    try {
      await vi.waitFor(() => expect(ada.saveStatus).toBe('saved'));
      typeText(ada.view, 'Before. ');
      await vi.waitFor(() => expect(bob.view.state.doc.textContent).toBe('Before. '));
      const relayable = [...UNDRAWABLE_CURSORS.map(([, state]) => JSON.stringify(state)), ...REFUSED_STATES.slice(0, 7).map(([, json]) => json)];
      let clientId = 5000;
      for (const json of relayable) {
        raw.send(encodeAwarenessMessage(rawUpdate([[++clientId, 1, json]])));
      }
      typeText(ada.view, 'Ada after. ');
      await vi.waitFor(() => expect(bob.view.state.doc.textContent).toBe('Before. Ada after. '));
      bob.view.dispatch(bob.view.state.tr.setSelection(TextSelection.atEnd(bob.view.state.doc)));
      typeText(bob.view, 'Bob after.');
      await vi.waitFor(() => expect(ada.view.state.doc.textContent).toBe('Before. Ada after. Bob after.'));
      await Promise.all([ada.whenSaved(), bob.whenSaved()]);
      expect(server.bodyOf(docName)).toContain('Before. Ada after. Bob after.');
      // Stored: the states with a user and a cursor object; never the refused ones.
      const stored = [...ada.awareness.getStates().keys()].filter((id) => id > 5000 && id <= clientId).sort();
      expect(stored).toEqual(UNDRAWABLE_CURSORS.map((_s, i) => 5001 + i));
      expect(peersFromAwareness(ada.awareness).every((p) => typeof p.name === 'string' && /^#[0-9a-f]{6}$/.test(p.color))).toBe(true);
      expect(errors).toEqual([]);
      // Each refused state was reported once per editor, through onError.
      const refusedIds = REFUSED_STATES.slice(0, 7).map((_s, i) => 5001 + UNDRAWABLE_CURSORS.length + i);
      for (const id of refusedIds) {
        expect(reported.filter((e) => e.kind === 'presence' && e.message.startsWith(`ignored a presence state from client ${id}:`))).toHaveLength(2);
      }
    } finally {
      spy.mockRestore();
      raw.close();
    }
  });
});
