// @vitest-environment jsdom
import { Plugin, TextSelection } from 'prosemirror-state';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ySyncPluginKey } from 'y-prosemirror';
import { createEditor, type TandemEditor } from './createEditor.js';
import type { EditorError } from './editorError.js';
import { startSyncServer, type TestSyncServer } from './testing/syncServer.js';
import { type as typeText } from './testing/view.js';

let server: TestSyncServer;
const editors: TandemEditor[] = [];
let counter = 0;
/** What the editors reported through onError. */
let errors: EditorError[] = [];

beforeAll(async () => {
  server = await startSyncServer();
});
afterEach(() => {
  editors.splice(0).forEach((e) => e.destroy());
  document.body.replaceChildren();
  vi.restoreAllMocks();
});
afterAll(() => server.stop());

function open(docName: string, plugins: Plugin[] = []) {
  const element = document.createElement('div');
  document.body.append(element);
  // Different browsers: no BroadcastChannel between them (offline: false).
  const editor = createEditor(element, {
    docName,
    serverUrl: server.url,
    user: { name: 'Ada', color: '#3e63dd' },
    offline: false,
    plugins,
    onError: (error) => errors.push(error),
  });
  editors.push(editor);
  return editor;
}

function captureErrors(): void {
  errors = [];
}

const serverText = async (name: string) => (await server.storedDoc(name)).getXmlFragment('prosemirror').toString();
const toEnd = (editor: TandemEditor) => editor.view.dispatch(editor.view.state.tr.setSelection(TextSelection.atEnd(editor.view.state.doc)));
const leaving = () => {
  const event = new Event('beforeunload', { cancelable: true });
  window.dispatchEvent(event);
  return event.defaultPrevented;
};

describe('a failing plugin costs no one their words', () => {
  it("a plugin whose view throws on every update: typing still reaches the server, and the error is reported, not thrown", async () => {
    captureErrors();
    const name = `guard-${++counter}`;
    const throwing = new Plugin({ view: () => ({ update: () => { throw new Error('view update broke'); } }) });
    const ada = open(name, [throwing]);
    await vi.waitFor(() => expect(ada.saveStatus).toBe('saved'));
    typeText(ada.view, 'still written');
    await ada.whenSaved();
    expect(await serverText(name)).toContain('still written');
    expect(ada.saveStatus).toBe('saved');
    expect(errors.some((e) => e.kind === 'plugin' && e.message.includes('updating the editor plugin'))).toBe(true);
  });

  it("a plugin that cannot show others' changes: the editor stops taking edits and says so, instead of writing its stale view over their words", async () => {
    const name = `guard-${++counter}`;
    let poisoned = false;
    const poison = new Plugin({
      state: {
        init: () => 0,
        apply: (tr, value) => {
          if (poisoned && tr.getMeta(ySyncPluginKey)?.isChangeOrigin) throw new Error('cannot draw this');
          return value + 1;
        },
      },
    });
    const ada = open(name, [poison]);
    const bob = open(name);
    await vi.waitFor(() => expect(ada.saveStatus).toBe('saved'));
    typeText(bob.view, 'Bob was here.');
    await vi.waitFor(() => expect(ada.view.state.doc.textContent).toBe('Bob was here.'));
    await bob.whenSaved();

    captureErrors();
    poisoned = true;
    toEnd(bob);
    typeText(bob.view, ' More from Bob.');
    await vi.waitFor(() => expect(ada.saveStatus).toBe('error'));
    expect(errors.map((e) => e.kind)).toContain('out-of-step');
    expect(ada.view.state.doc.textContent).toBe('Bob was here.'); // it could not show the rest
    expect(ada.view.editable).toBe(false);
    expect(ada.view.dom.getAttribute('contenteditable')).toBe('false');
    expect(leaving()).toBe(true);
    // Typing anyway (or a toolbar command) changes nothing: Bob's words are safe.
    typeText(ada.view, 'stale');
    await bob.whenSaved();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await serverText(name)).toContain('Bob was here. More from Bob.');
    expect(await serverText(name)).not.toContain('stale');
    expect(ada.view.dom.closest('.tandem-editor')!.querySelector('.tandem-status')!.textContent).toBe('Not saved — copy your recent text, then reload');

    // Once a change can be shown again, the view is in step and editing resumes.
    poisoned = false;
    typeText(bob.view, '!');
    await vi.waitFor(() => expect(ada.view.state.doc.textContent).toBe('Bob was here. More from Bob.!'));
    await vi.waitFor(() => expect(ada.saveStatus).toBe('saved'));
    expect(ada.view.editable).toBe(true);
  });

  it('an edit the binding could not write: the status says so, the page asks before closing, and the words stay on screen', async () => {
    const name = `guard-${++counter}`;
    const ada = open(name);
    const bob = open(name);
    await vi.waitFor(() => expect(ada.saveStatus).toBe('saved'));
    typeText(ada.view, 'Saved words. ');
    await ada.whenSaved();
    await vi.waitFor(() => expect(bob.view.state.doc.textContent).toBe('Saved words. '));

    captureErrors();
    // Fault injection: the real binding fails to write the next edit to Yjs.
    const binding = (ySyncPluginKey.getState(ada.view.state) as { binding: { _prosemirrorChanged: () => void } }).binding;
    binding._prosemirrorChanged = () => {
      throw new Error('could not write');
    };
    typeText(ada.view, 'only on screen');
    // The first key could not be written; from then on edits are paused.
    expect(ada.view.state.doc.textContent).toBe('Saved words. o');
    expect(ada.saveStatus).toBe('error');
    expect(errors.find((e) => e.kind === 'out-of-step')?.message).toBe('the text on screen and the document are out of step (unwritten); edits are paused');
    expect(leaving()).toBe(true);
    expect(ada.view.editable).toBe(false);
    // Someone else's change is not drawn over the words that exist only on screen.
    toEnd(bob);
    typeText(bob.view, 'Bob.');
    await bob.whenSaved();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(ada.view.state.doc.textContent).toBe('Saved words. o');
    expect(await serverText(name)).toContain('Saved words. Bob.');
  });
});
