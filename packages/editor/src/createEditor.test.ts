// @vitest-environment jsdom
import { TextSelection } from 'prosemirror-state';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createEditor, type TandemEditor } from './createEditor.js';
import { getTitle, observeTitle, setTitle } from './meta.js';
import type { Peer } from './presence.js';
import type { ConnectionStatus } from './provider/connectionStatus.js';
import { startSyncServer, type TestSyncServer } from './testing/syncServer.js';
import { type as typeText } from './testing/view.js';

let server: TestSyncServer;
const editors: TandemEditor[] = [];
let docCounter = 0;

beforeAll(async () => {
  server = await startSyncServer();
});
afterEach(() => {
  editors.splice(0).forEach((e) => e.destroy());
  document.body.replaceChildren();
});
afterAll(() => server.stop());

function open(docName: string, name: string, extra: Partial<Parameters<typeof createEditor>[1]> = {}) {
  const element = document.createElement('div');
  document.body.append(element);
  const editor = createEditor(element, { docName, serverUrl: server.url, user: { name, color: '#3e63dd' }, ...extra });
  editors.push(editor);
  return { editor, element };
}
const freshDoc = () => `doc-${++docCounter}`;

describe('createEditor', () => {
  it('connects, reports connecting then connected, and builds toolbar, presence and text', async () => {
    const statuses: ConnectionStatus[] = [];
    const { editor, element } = open(freshDoc(), 'Ada', { onStatusChange: (s) => statuses.push(s) });
    await vi.waitFor(() => expect(editor.status).toBe('connected'));
    expect(statuses).toEqual(['connecting', 'connected']);
    expect(element.querySelector('.tandem-toolbar [role="toolbar"]')).not.toBeNull();
    expect(element.querySelector('.tandem-avatar')!.textContent).toBe('A');
    await vi.waitFor(() => expect(element.querySelector('.tandem-status')!.textContent).toBe('All changes saved'));
    expect(element.querySelector('.ProseMirror[contenteditable="true"]')).not.toBeNull();
  });

  it('two editors on one document share text, title and presence', async () => {
    const name = freshDoc();
    const ada = open(name, 'Ada');
    let bobPeers: Peer[] = [];
    const bob = open(name, 'Bob', { onPresenceChange: (p) => (bobPeers = p) });
    typeText(ada.editor.view, 'Hello from Ada');
    await vi.waitFor(() => expect(bob.editor.view.state.doc.textContent).toBe('Hello from Ada'));
    await vi.waitFor(() => expect(bobPeers.map((p) => p.name)).toEqual(['Bob', 'Ada']));
    const titles: string[] = [];
    observeTitle(bob.editor.doc, (t) => titles.push(t));
    setTitle(ada.editor.doc, 'Plans');
    await vi.waitFor(() => expect(getTitle(bob.editor.doc)).toBe('Plans'));
    expect(titles).toEqual(['Plans']);
    await ada.editor.whenSaved();
    expect((await server.storedDoc(name)).getXmlFragment('prosemirror').toString()).toContain('Hello from Ada');
  });

  it("undo removes only this person's own text", async () => {
    const name = freshDoc();
    const ada = open(name, 'Ada');
    const bob = open(name, 'Bob');
    typeText(ada.editor.view, 'ada ');
    await vi.waitFor(() => expect(bob.editor.view.state.doc.textContent).toBe('ada '));
    const end = bob.editor.view.state.doc.firstChild!.nodeSize - 1;
    bob.editor.view.dispatch(bob.editor.view.state.tr.setSelection(TextSelection.create(bob.editor.view.state.doc, end)));
    typeText(bob.editor.view, 'bob');
    await vi.waitFor(() => expect(ada.editor.view.state.doc.textContent).toBe('ada bob'));
    bob.editor.view.someProp('handleKeyDown', (f) => f(bob.editor.view, new KeyboardEvent('keydown', { key: 'z', ctrlKey: true })));
    expect(bob.editor.view.state.doc.textContent).toBe('ada ');
    await vi.waitFor(() => expect(ada.editor.view.state.doc.textContent).toBe('ada '));
  });

  it('destroy closes the socket, leaves presence for the others and removes every listener', async () => {
    const name = freshDoc();
    const stay = open(name, 'Stay');
    const { editor, element } = open(name, 'Leave');
    await vi.waitFor(() => expect(stay.editor.peers.map((p) => p.name)).toEqual(['Stay', 'Leave']));
    await vi.waitFor(async () => expect(await server.connections()).toBe(2));
    const removed = vi.spyOn(window, 'removeEventListener');
    const onStatus = vi.fn();
    editor.provider.on('status', onStatus);

    editor.destroy();
    editors.splice(editors.indexOf(editor), 1);

    expect(element.children.length).toBe(0);
    expect(editor.view.isDestroyed).toBe(true);
    expect(removed.mock.calls.map((c) => c[0]).sort()).toEqual(['beforeunload', 'offline', 'online', 'pagehide', 'pageshow']);
    // lib0 observables: no listeners left on the provider, the awareness or the Yjs doc.
    expect((editor.provider as unknown as { _observers: Map<string, unknown> })._observers.size).toBe(0);
    expect((editor.awareness as unknown as { _observers: Map<string, unknown> })._observers.size).toBe(0);
    expect((editor.doc as unknown as { _observers: Map<string, unknown> })._observers.size).toBe(0);
    expect(editor.provider.ws).toBeNull();
    expect(editor.provider.shouldConnect).toBe(false);
    await vi.waitFor(async () => expect(await server.connections()).toBe(1));
    await vi.waitFor(() => expect(stay.editor.peers.map((p) => p.name)).toEqual(['Stay']));
    editor.destroy(); // twice is harmless
  });

  it('a changed name reaches the others without reconnecting', async () => {
    const name = freshDoc();
    const ada = open(name, 'Ada');
    const bob = open(name, 'Bob');
    await vi.waitFor(() => expect(bob.editor.peers).toHaveLength(2));
    const socket = ada.editor.provider.ws;
    ada.editor.setUser({ name: 'Ada Lovelace', color: '#e5484d' });
    await vi.waitFor(() => expect(bob.editor.peers.find((p) => !p.isSelf)).toMatchObject({ name: 'Ada Lovelace', initials: 'AL', color: '#e5484d' }));
    expect(ada.editor.provider.ws).toBe(socket);
  });

  it('read-only editors show the text but do not accept typing', async () => {
    const { editor, element } = open(freshDoc(), 'Viewer', { readOnly: true });
    expect(element.querySelector('.ProseMirror')!.getAttribute('contenteditable')).toBe('false');
    expect(editor.view.editable).toBe(false);
    expect([...element.querySelectorAll<HTMLButtonElement>('.tandem-toolbar-button')].every((b) => b.disabled)).toBe(true);
  });

  it('a token travels as the first message, never in the URL; a read token makes the editor read-only', async () => {
    const readToken = `e30.${Buffer.from(JSON.stringify({ sub: 'v', access: 'read', exp: Math.floor(Date.now() / 1000) + 600 })).toString('base64url')}.sig`;
    const getToken = vi.fn(async () => readToken);
    const { editor, element } = open(freshDoc(), 'Viewer', { getToken });
    // The server runs open here: it takes the token message without checking it.
    await vi.waitFor(() => expect(editor.status).toBe('connected'));
    expect(getToken).toHaveBeenCalledTimes(1);
    expect(new URL(editor.provider.url).searchParams.get('token')).toBeNull();
    expect(new URL(editor.provider.url).searchParams.get('tandem-auth')).toBe('message');
    const viewer = open(freshDoc(), 'Viewer', { token: readToken }).element;
    expect(viewer.querySelector('.tandem-editor')!.getAttribute('data-readonly')).toBe('true');
    expect(viewer.querySelector('.ProseMirror')!.getAttribute('contenteditable')).toBe('false');
    expect(element.querySelector('.tandem-editor')!.hasAttribute('data-readonly')).toBe(false);
  });

  it('refuses bad document names and server URLs up front', () => {
    const element = document.createElement('div');
    expect(() => createEditor(element, { docName: '../etc', serverUrl: server.url, user: { name: 'x', color: '#000000' } })).toThrow(/Invalid document name/);
    expect(() => createEditor(element, { docName: 'ok', serverUrl: 'http://x', user: { name: 'x', color: '#000000' } })).toThrow(/ws:\/\//);
    expect(() => createEditor(element, { docName: 'ok', serverUrl: 'ws://127.0.0.1:99999', user: { name: 'x', color: '#000000' } })).toThrow(/Invalid sync server URL/);
    expect(element.children.length).toBe(0);
  });

  it('reports offline when the server goes away', async () => {
    const local = await startSyncServer();
    const element = document.createElement('div');
    const statuses: ConnectionStatus[] = [];
    const editor = createEditor(element, { docName: 'x', serverUrl: local.url, user: { name: 'A', color: '#000000' }, onStatusChange: (s) => statuses.push(s) });
    editors.push(editor);
    await vi.waitFor(() => expect(editor.status).toBe('connected'));
    await local.stop();
    await vi.waitFor(() => expect(editor.status).toBe('offline'));
    expect(statuses).toEqual(['connecting', 'connected', 'offline']);
  });
});
