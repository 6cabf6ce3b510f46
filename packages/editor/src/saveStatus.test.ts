// @vitest-environment jsdom
import { encodeSavedAck, MessageType, SyncMessageType } from '@tandem/protocol';
import * as encoding from 'lib0/encoding';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { createEditor, type TandemEditor } from './createEditor.js';
import { displayStatus, statusLabel } from './presenceBar.js';
import { SaveTracker, type SaveStatus } from './saveStatus.js';
import { startRelayServer, type RelayServer } from './testing/relayServer.js';
import { type as typeText } from './testing/view.js';

function syncFrame(kind: number): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.Sync);
  encoding.writeVarUint(encoder, kind);
  encoding.writeVarUint8Array(encoder, new Uint8Array([0, 0]));
  return encoding.toUint8Array(encoder);
}

describe('SaveTracker, frame by frame', () => {
  const edit = (doc: Y.Doc, text: string) => doc.getText('t').insert(0, text);

  it('an acknowledged update frame sent before step 2 does not settle what was typed offline', () => {
    const doc = new Y.Doc();
    const tracker = new SaveTracker(doc);
    edit(doc, 'typed offline');
    const socket = {};
    edit(doc, 'typed just after connecting');
    tracker.frameSent(socket, syncFrame(SyncMessageType.Update)); // frame 1
    tracker.acknowledge(socket, 1);
    expect(tracker.hasUnsavedEdits).toBe(true);
    tracker.frameSent(socket, syncFrame(SyncMessageType.Step2)); // frame 2: everything the server lacks
    tracker.acknowledge(socket, 2);
    expect(tracker.hasUnsavedEdits).toBe(false);
  });

  it('settles exactly the edits sent up to the acknowledged frame, deletions included', () => {
    const doc = new Y.Doc();
    const tracker = new SaveTracker(doc);
    const socket = {};
    tracker.frameSent(socket, syncFrame(SyncMessageType.Step2));
    edit(doc, 'abc');
    tracker.frameSent(socket, syncFrame(SyncMessageType.Update));
    doc.getText('t').delete(0, 1);
    tracker.frameSent(socket, syncFrame(SyncMessageType.Update));
    tracker.acknowledge(socket, 2);
    expect(tracker.hasUnsavedEdits).toBe(true);
    tracker.acknowledge(socket, 3);
    expect(tracker.hasUnsavedEdits).toBe(false);
  });

  it('ignores counts that shrink, other connections, other frames, and counts beyond what was sent', () => {
    const doc = new Y.Doc();
    const tracker = new SaveTracker(doc);
    const old = {};
    const current = {};
    tracker.frameSent(old, syncFrame(SyncMessageType.Step2));
    edit(doc, 'x');
    tracker.frameSent(current, syncFrame(SyncMessageType.Step1)); // not a document change
    tracker.frameSent(current, new Uint8Array([MessageType.Awareness, 0]));
    tracker.acknowledge(current, 5); // nothing of `current` was a change frame
    tracker.acknowledge(old, 1); // `old` sent step 2 before the edit
    expect(tracker.hasUnsavedEdits).toBe(true);
    tracker.frameSent(current, syncFrame(SyncMessageType.Step2));
    tracker.acknowledge(current, 99); // clamped to the one frame sent
    expect(tracker.hasUnsavedEdits).toBe(false);
  });

  it('a read-only tracker has nothing to save', () => {
    const doc = new Y.Doc();
    const tracker = new SaveTracker(doc, false);
    edit(doc, 'x');
    expect(tracker.hasUnsavedEdits).toBe(false);
    expect(tracker.status).toBe('offline');
  });

  it('whenSaved waits for the edits made before the call and rejects on destroy', async () => {
    const doc = new Y.Doc();
    const tracker = new SaveTracker(doc);
    await tracker.whenSaved(); // nothing to wait for
    const socket = {};
    edit(doc, 'one');
    const first = tracker.whenSaved();
    tracker.frameSent(socket, syncFrame(SyncMessageType.Step2));
    edit(doc, 'two');
    const second = tracker.whenSaved();
    let secondDone = false;
    void second.then(() => (secondDone = true), () => {});
    tracker.acknowledge(socket, 1);
    await first;
    await Promise.resolve();
    expect(secondDone).toBe(false);
    tracker.destroy();
    await expect(second).rejects.toThrow(/destroyed/);
  });

  it('encodes what PROTOCOL.md says', () => {
    expect([...encodeSavedAck(3)]).toEqual([MessageType.Saved, 3]);
  });
});

describe('what the status line shows', () => {
  it('says connecting during the first attempt, loading until the document arrives, then the save status', () => {
    expect(displayStatus('connecting', 'offline-unsaved', false)).toBe('connecting');
    expect(displayStatus('connected', 'saved', false)).toBe('loading');
    expect(displayStatus('connected', 'saving', false)).toBe('saving');
    expect(displayStatus('connected', 'saved', true)).toBe('saved');
    expect(displayStatus('offline', 'offline-unsaved', true)).toBe('offline-unsaved');
    expect(displayStatus('offline', 'offline', false)).toBe('offline');
  });

  it('words', () => {
    expect(statusLabel('saving')).toBe('Saving…');
    expect(statusLabel('saved')).toBe('All changes saved');
    expect(statusLabel('offline-unsaved')).toBe('Offline — changes kept on this device');
    expect(statusLabel('offline-unsaved', false)).toBe('Offline — changes kept in this tab until back online');
    expect(statusLabel('offline')).toBe('Offline — all changes saved');
  });
});

describe('save status of an editor against a server that acknowledges', () => {
  let server: RelayServer;
  const editors: TandemEditor[] = [];
  let counter = 0;
  beforeAll(async () => {
    server = await startRelayServer();
  });
  afterEach(() => {
    editors.splice(0).forEach((e) => e.destroy());
    server.holdAcks = false;
    document.body.replaceChildren();
  });
  afterAll(() => server.close());

  function open(docName: string, url = server.url, extra: Partial<Parameters<typeof createEditor>[1]> = {}) {
    const element = document.createElement('div');
    document.body.append(element);
    const statuses: SaveStatus[] = [];
    const editor = createEditor(element, {
      docName,
      serverUrl: url,
      user: { name: 'Ada', color: '#3e63dd' },
      onSaveStatusChange: (s) => statuses.push(s),
      ...extra,
    });
    editors.push(editor);
    return { editor, element, statuses };
  }

  it('opts in with tandem-ack=1, shows saving until the acknowledgement, then saved', async () => {
    const { editor, element, statuses } = open(`save-${++counter}`);
    expect(editor.provider.url).toContain('tandem-ack=1');
    await vi.waitFor(() => expect(editor.provider.synced).toBe(true));
    await vi.waitFor(() => expect(editor.saveStatus).toBe('saved'));
    // Opening a document is not an edit.
    expect(statuses).toEqual(['offline', 'saved']);
    expect(element.querySelector('.tandem-status')!.textContent).toBe('All changes saved');

    server.holdAcks = true;
    typeText(editor.view, 'Hello');
    expect(editor.saveStatus).toBe('saving');
    expect(element.querySelector('.tandem-status')!.textContent).toBe('Saving…');
    let saved = false;
    const whenSaved = editor.whenSaved().then(() => (saved = true));
    await new Promise((r) => setTimeout(r, 50));
    expect(saved).toBe(false);
    expect(editor.saveStatus).toBe('saving');

    server.releaseAcks();
    await whenSaved;
    expect(editor.saveStatus).toBe('saved');
    expect(statuses).toEqual(['offline', 'saved', 'saving', 'saved']);
  });

  it('asks before the tab closes only while edits are unsaved', async () => {
    const { editor } = open(`save-${++counter}`);
    await vi.waitFor(() => expect(editor.saveStatus).toBe('saved'));
    const unload = () => {
      const event = new Event('beforeunload', { cancelable: true });
      window.dispatchEvent(event);
      return event.defaultPrevented;
    };
    expect(unload()).toBe(false);
    server.holdAcks = true;
    typeText(editor.view, 'x');
    expect(unload()).toBe(true);
    server.releaseAcks();
    await editor.whenSaved();
    expect(unload()).toBe(false);
  });

  it("updates from someone else are theirs to save: a reader's status stays saved", async () => {
    const name = `save-${++counter}`;
    const ada = open(name);
    const bob = open(name);
    await vi.waitFor(() => expect(bob.editor.saveStatus).toBe('saved'));
    typeText(ada.editor.view, 'from Ada');
    await vi.waitFor(() => expect(bob.editor.view.state.doc.textContent).toBe('from Ada'));
    await ada.editor.whenSaved();
    expect(bob.statuses).toEqual(['offline', 'saved']);
  });

  it('edits made while the server is away are kept, then saved by the first step 2 after the reconnect', async () => {
    const local = await startRelayServer();
    const port = local.port;
    const name = `save-${++counter}`;
    const { editor, element, statuses } = open(name, local.url, { offline: false });
    await vi.waitFor(() => expect(editor.saveStatus).toBe('saved'));
    typeText(editor.view, 'before ');
    await editor.whenSaved();

    await local.close();
    await vi.waitFor(() => expect(editor.saveStatus).toBe('offline'));
    expect(element.querySelector('.tandem-status')!.textContent).toBe('Offline — all changes saved');
    typeText(editor.view, 'offline');
    expect(editor.saveStatus).toBe('offline-unsaved');
    // No IndexedDB (offline: false): the words say where the edits really are.
    expect(element.querySelector('.tandem-status')!.textContent).toBe('Offline — changes kept in this tab until back online');
    const saved = editor.whenSaved();

    const again = await startRelayServer(port);
    try {
      window.dispatchEvent(new Event('online')); // reconnect now, not after the backoff
      await saved;
      expect(editor.saveStatus).toBe('saved');
      expect(again.docs.get(name)!.getXmlFragment('prosemirror').toString()).toContain('before offline');
      expect(statuses.slice(-4)).toEqual(['offline', 'offline-unsaved', 'saving', 'saved']);
    } finally {
      editors.splice(editors.indexOf(editor), 1);
      editor.destroy();
      await again.close();
    }
  });

  it('a read-only editor never has anything to save', async () => {
    const { editor, statuses } = open(`save-${++counter}`, server.url, { readOnly: true });
    await vi.waitFor(() => expect(editor.saveStatus).toBe('saved'));
    editor.doc.getMap('meta').set('title', 'not mine to save');
    expect(editor.saveStatus).toBe('saved');
    expect(statuses).toEqual(['offline', 'saved']);
  });
});
