// @vitest-environment jsdom
import { encodeSavedAck, encodeSyncMessage, MessageType, SyncMessageType } from '@tandem/protocol';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { createEditor, type TandemEditor } from './createEditor.js';
import { displayStatus, statusLabel } from './presenceBar.js';
import { SaveTracker, type LocalWrites, type SaveStatus } from './saveStatus.js';
import { startSyncServer, type TestSyncServer } from './testing/syncServer.js';
import { type as typeText } from './testing/view.js';

/** A sync frame of `kind` carrying `payload` (an update, or a state vector for step 1). */
const syncFrame = (kind: SyncMessageType, payload: Uint8Array = new Uint8Array([0, 0])): Uint8Array => encodeSyncMessage(kind, payload);

/** A document and a tracker on it; `edit` changes it and returns the update it made. */
function tracked(tracking = true, doc = new Y.Doc()) {
  const tracker = new SaveTracker(doc, tracking);
  const edit = (change: (text: Y.Text) => void): Uint8Array => {
    let update: Uint8Array = new Uint8Array();
    const capture = (u: Uint8Array) => (update = u);
    doc.on('update', capture);
    change(doc.getText('t'));
    doc.off('update', capture);
    return update;
  };
  return { doc, tracker, edit };
}

/** A real y-websocket provider that never connects: its message handlers are fed by hand. */
function idleProvider(doc: Y.Doc): WebsocketProvider {
  return new WebsocketProvider('ws://127.0.0.1:9', 'idle', doc, { connect: false, disableBc: true });
}

/** Have the provider read `frame` as y-websocket does: from the server (`fromServer`) or from another tab. */
function receive(provider: WebsocketProvider, frame: Uint8Array, fromServer: boolean): void {
  const decoder = decoding.createDecoder(frame);
  const type = decoding.readVarUint(decoder);
  provider.messageHandlers[type]!(encoding.createEncoder(), decoder, provider, fromServer, type);
}

/** `frame` from the server, on one connection: through the tracker's tap, as the connection socket hands it over. */
function fromServer(tracker: SaveTracker, provider: WebsocketProvider, frame: Uint8Array): void {
  tracker.frameReceived(serverConnection, frame, () => receive(provider, frame, true));
}
const serverConnection = {};

describe('SaveTracker: what the server is known to hold', () => {
  it('a change is unsaved until a frame carrying it is acknowledged; a frame carrying something else does not settle it', () => {
    const { tracker, edit } = tracked();
    const socket = {};
    tracker.frameSent(socket, syncFrame(SyncMessageType.Step2)); // an empty step 2: nothing to settle
    const update = edit((t) => t.insert(0, 'typed'));
    expect(tracker.hasUnsavedChanges).toBe(true);
    tracker.savedAck(socket, 1);
    expect(tracker.hasUnsavedChanges).toBe(true);
    tracker.frameSent(socket, syncFrame(SyncMessageType.Update, update));
    tracker.savedAck(socket, 2);
    expect(tracker.hasUnsavedChanges).toBe(false);
  });

  it('deletions count: deleting saved text is unsaved until the frame with the deletion is acknowledged', () => {
    const { tracker, edit } = tracked();
    const socket = {};
    tracker.frameSent(socket, syncFrame(SyncMessageType.Update, edit((t) => t.insert(0, 'abc'))));
    tracker.savedAck(socket, 1);
    expect(tracker.hasUnsavedChanges).toBe(false);
    const deletion = edit((t) => t.delete(0, 1));
    expect(tracker.hasUnsavedChanges).toBe(true);
    tracker.frameSent(socket, syncFrame(SyncMessageType.Update, deletion));
    tracker.savedAck(socket, 2);
    expect(tracker.hasUnsavedChanges).toBe(false);
  });

  it('ignores counts that shrink, other connections and other frames, and clamps counts beyond what was sent', () => {
    const { tracker, edit } = tracked();
    const old = {};
    const current = {};
    const update = edit((t) => t.insert(0, 'x'));
    tracker.frameSent(current, syncFrame(SyncMessageType.Step1)); // not a document change
    tracker.frameSent(current, new Uint8Array([MessageType.Awareness, 0]));
    tracker.savedAck(current, 5); // nothing of `current` was a change frame
    tracker.frameSent(old, syncFrame(SyncMessageType.Update, update));
    tracker.savedAck(current, 1); // the frame went out on `old`
    expect(tracker.hasUnsavedChanges).toBe(true);
    tracker.savedAck(old, 99); // clamped to the one frame sent
    expect(tracker.hasUnsavedChanges).toBe(false);
    tracker.savedAck(old, 0);
    expect(tracker.hasUnsavedChanges).toBe(false);
  });

  it("what the server sends is held by the server: its step 1 settles inserts below its state vector, its updates settle deletions", () => {
    const { doc, tracker, edit } = tracked();
    const provider = idleProvider(doc);
    tracker.attach(provider);
    try {
      edit((t) => t.insert(0, 'loaded from this device'));
      const deletion = edit((t) => t.delete(0, 7));
      expect(tracker.hasUnsavedChanges).toBe(true);
      fromServer(tracker, provider, syncFrame(SyncMessageType.Step1, Y.encodeStateVector(doc)));
      // The inserts are on the server; the deletion is not yet.
      expect(tracker.hasUnsavedChanges).toBe(true);
      fromServer(tracker, provider, syncFrame(SyncMessageType.Update, deletion));
      expect(tracker.hasUnsavedChanges).toBe(false);
      expect(tracker.status).toBe('offline');
    } finally {
      provider.destroy();
    }
  });

  it('words someone typed into a paragraph this editor deleted are deleted here on arrival, and that is no change of ours', () => {
    // Not collected once deleted: in the editor, undo keeps deleted paragraphs (they could come back).
    const { doc, tracker } = tracked(true, new Y.Doc({ gc: false }));
    const provider = idleProvider(doc);
    tracker.attach(provider);
    const updateOf = (target: Y.Doc, change: () => void): Uint8Array => {
      let update: Uint8Array = new Uint8Array();
      const capture = (u: Uint8Array) => (update = u);
      target.on('update', capture);
      change();
      target.off('update', capture);
      return update;
    };
    try {
      const other = new Y.Doc();
      const paragraph = updateOf(other, () => other.getArray('body').insert(0, [new Y.Text('para')]));
      fromServer(tracker, provider, syncFrame(SyncMessageType.Update, paragraph));
      expect(tracker.hasUnsavedChanges).toBe(false);
      // This editor deletes the paragraph, and the server makes that durable...
      const deletion = updateOf(doc, () => doc.getArray('body').delete(0, 1));
      tracker.frameSent(serverConnection, syncFrame(SyncMessageType.Update, deletion));
      tracker.savedAck(serverConnection, 1);
      expect(tracker.hasUnsavedChanges).toBe(false);
      // ...while the other person typed into it: their words arrive, and are deleted at once.
      const typed = updateOf(other, () => (other.getArray('body').get(0) as Y.Text).insert(4, ' and more'));
      fromServer(tracker, provider, syncFrame(SyncMessageType.Update, typed));
      expect(doc.getArray('body').length).toBe(0);
      expect(tracker.hasUnsavedChanges).toBe(false);
      expect(tracker.status).toBe('offline');
    } finally {
      provider.destroy();
    }
  });

  it("another tab's change (through the BroadcastChannel) is unsaved here until the server has it", () => {
    const { doc, tracker } = tracked();
    const provider = idleProvider(doc);
    tracker.attach(provider);
    const other = new Y.Doc();
    let update: Uint8Array = new Uint8Array();
    other.on('update', (u: Uint8Array) => (update = u));
    other.getText('t').insert(0, 'typed in the other tab');
    try {
      receive(provider, syncFrame(SyncMessageType.Update, update), false);
      expect(doc.getText('t').toString()).toBe('typed in the other tab');
      expect(tracker.hasUnsavedChanges).toBe(true);
      expect(tracker.status).toBe('offline-unsaved');
      // The server relays the same words: now it holds them.
      fromServer(tracker, provider, syncFrame(SyncMessageType.Update, update));
      expect(tracker.hasUnsavedChanges).toBe(false);
    } finally {
      provider.destroy();
    }
  });

  it('offline, changes are "storing" while the local copy writes, "kept" once it is done, and "unsaved" again if it fails', () => {
    const { tracker, edit } = tracked();
    const listeners = new Set<() => void>();
    const local: LocalWrites & { writing: boolean; failed: boolean } = {
      writing: false,
      failed: false,
      onChange: (listener) => {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
    };
    const set = (writing: boolean, failed = false) => {
      Object.assign(local, { writing, failed });
      listeners.forEach((l) => l());
    };
    tracker.attachLocalCopy(local);
    edit((t) => t.insert(0, 'x'));
    expect(tracker.status).toBe('offline-unsaved');
    set(true);
    expect(tracker.status).toBe('offline-storing');
    set(false);
    expect(tracker.status).toBe('offline-unsaved');
    set(true, true);
    // Nothing is being written any more: the changes are in this tab only (the label says so).
    expect(tracker.status).toBe('offline-unsaved');
  });

  it('a binding failure is an error, whatever the server holds, and counts as unsaved', () => {
    const { tracker } = tracked();
    expect(tracker.status).toBe('offline');
    tracker.setBindingFailed(true);
    expect(tracker.status).toBe('error');
    expect(tracker.hasUnsavedChanges).toBe(true);
    tracker.setBindingFailed(false);
    expect(tracker.status).toBe('offline');
  });

  it('a read-only tracker has nothing to save', () => {
    const { tracker, edit } = tracked(false);
    edit((t) => t.insert(0, 'x'));
    expect(tracker.hasUnsavedChanges).toBe(false);
    expect(tracker.status).toBe('offline');
  });

  it('whenSaved waits for the changes held at the call, not later ones, and rejects on destroy', async () => {
    const { tracker, edit } = tracked();
    await tracker.whenSaved(); // nothing to wait for
    const socket = {};
    const one = edit((t) => t.insert(0, 'one'));
    const first = tracker.whenSaved();
    const two = edit((t) => t.insert(0, 'two'));
    const second = tracker.whenSaved();
    let secondDone = false;
    void second.then(() => (secondDone = true), () => {});
    tracker.frameSent(socket, syncFrame(SyncMessageType.Update, one));
    tracker.frameSent(socket, syncFrame(SyncMessageType.Update, two));
    tracker.savedAck(socket, 1);
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
  it('says connecting during the first attempt (unless changes the server lacks are kept here), loading until the document arrives, then the save status', () => {
    expect(displayStatus('connecting', 'offline', false)).toBe('connecting');
    expect(displayStatus('connecting', 'offline-unsaved', false)).toBe('connecting-unsaved');
    expect(displayStatus('connecting', 'offline-storing', false)).toBe('offline-storing');
    expect(displayStatus('connected', 'saved', false)).toBe('loading');
    expect(displayStatus('connected', 'saving', false)).toBe('saving');
    expect(displayStatus('connected', 'saved', true)).toBe('saved');
    expect(displayStatus('offline', 'offline-unsaved', true)).toBe('offline-unsaved');
    expect(displayStatus('offline', 'offline-storing', true)).toBe('offline-storing');
    expect(displayStatus('offline', 'offline', false)).toBe('offline');
    for (const connection of ['connecting', 'connected', 'offline'] as const) expect(displayStatus(connection, 'error', true)).toBe('error');
  });

  it('words', () => {
    expect(statusLabel('saving')).toBe('Saving…');
    expect(statusLabel('saved')).toBe('All changes saved');
    expect(statusLabel('offline-storing')).toBe('Offline — storing changes on this device…');
    expect(statusLabel('offline-unsaved')).toBe('Offline — changes kept on this device');
    expect(statusLabel('offline-unsaved', false)).toBe('Offline — changes kept in this tab until back online');
    expect(statusLabel('connecting-unsaved')).toBe('Connecting — changes kept on this device');
    expect(statusLabel('connecting-unsaved', false)).toBe('Connecting — changes kept in this tab');
    expect(statusLabel('offline')).toBe('Offline — all changes saved');
    expect(statusLabel('error')).toBe('Not saved — copy your recent text, then reload');
  });
});

describe('save status of an editor against the sync server, which acknowledges after its write', () => {
  let server: TestSyncServer;
  const editors: TandemEditor[] = [];
  let counter = 0;
  beforeAll(async () => {
    server = await startSyncServer();
  });
  afterEach(() => {
    editors.splice(0).forEach((e) => e.destroy());
    server.store.release();
    document.body.replaceChildren();
  });
  afterAll(() => server.stop());

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

    server.store.hold();
    typeText(editor.view, 'Hello');
    expect(editor.saveStatus).toBe('saving');
    expect(element.querySelector('.tandem-status')!.textContent).toBe('Saving…');
    let saved = false;
    const whenSaved = editor.whenSaved().then(() => (saved = true));
    await new Promise((r) => setTimeout(r, 50));
    expect(saved).toBe(false);
    expect(editor.saveStatus).toBe('saving');

    server.store.release();
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
    server.store.hold();
    typeText(editor.view, 'x');
    expect(unload()).toBe(true);
    server.store.release();
    await editor.whenSaved();
    expect(unload()).toBe(false);
  });

  it("someone else's typing arrives from the server, so it is saved already: a reader's status stays saved", async () => {
    const name = `save-${++counter}`;
    // Different browsers: no BroadcastChannel between them (offline: false turns it off).
    const ada = open(name, server.url, { offline: false });
    const bob = open(name, server.url, { offline: false });
    await vi.waitFor(() => expect(bob.editor.saveStatus).toBe('saved'));
    typeText(ada.editor.view, 'from Ada');
    await vi.waitFor(() => expect(bob.editor.view.state.doc.textContent).toBe('from Ada'));
    await ada.editor.whenSaved();
    expect(bob.statuses).toEqual(['offline', 'saved']);
  });

  it('edits made while the server is away are kept, then saved by the first step 2 after the reconnect', async () => {
    const local = await startSyncServer();
    const name = `save-${++counter}`;
    const { editor, element, statuses } = open(name, local.url, { offline: false });
    await vi.waitFor(() => expect(editor.saveStatus).toBe('saved'));
    typeText(editor.view, 'before ');
    await editor.whenSaved();

    await local.stop();
    await vi.waitFor(() => expect(editor.saveStatus).toBe('offline'));
    expect(element.querySelector('.tandem-status')!.textContent).toBe('Offline — all changes saved');
    typeText(editor.view, 'offline');
    expect(editor.saveStatus).toBe('offline-unsaved');
    // No IndexedDB (offline: false): the words say where the edits really are.
    expect(element.querySelector('.tandem-status')!.textContent).toBe('Offline — changes kept in this tab until back online');
    const saved = editor.whenSaved();

    await local.restart();
    try {
      window.dispatchEvent(new Event('online')); // reconnect now, not after the backoff
      await saved;
      expect(editor.saveStatus).toBe('saved');
      expect((await local.storedDoc(name)).getXmlFragment('prosemirror').toString()).toContain('before offline');
      expect(statuses.slice(-4)).toEqual(['offline', 'offline-unsaved', 'saving', 'saved']);
    } finally {
      editors.splice(editors.indexOf(editor), 1);
      editor.destroy();
      await local.stop();
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
