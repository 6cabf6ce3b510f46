import { baseKeymap } from 'prosemirror-commands';
import { dropCursor } from 'prosemirror-dropcursor';
import { gapCursor } from 'prosemirror-gapcursor';
import { keymap } from 'prosemirror-keymap';
import { EditorState, type Plugin } from 'prosemirror-state';
import { EditorView, type DecorationSet } from 'prosemirror-view';
import { initProseMirrorDoc, yCursorPlugin, ySyncPlugin, yUndoPlugin } from 'y-prosemirror';
import { Awareness, removeAwarenessStates } from 'y-protocols/awareness';
import type { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { BindingGuard } from './bindingGuard.js';
import { buildCursor, buildSelection } from './cursors.js';
import { inputRulesPlugin } from './inputRules.js';
import { keymapPlugin } from './keymap.js';
import { placeholderPlugin } from './placeholder.js';
import { observePresence, peersFromAwareness, USER_FIELD, type Peer } from './presence.js';
import { createPresenceBar } from './presenceBar.js';
import { findPlugin } from './find.js';
import { linkPopoverPlugin } from './linkPopover.js';
import { openLocalCopy, type LocalCopy } from './localCopy.js';
import { pastePlugin } from './paste.js';
import { tablePlugins } from './tables.js';
import { taskPlugin } from './tasks.js';
import { logToConsole, type OnError } from './editorError.js';
import { observeConnectionStatus, type ConnectionClosed, type ConnectionStatus } from './provider/connectionStatus.js';
import type { TokenTransport } from './provider/connectionSocket.js';
import { createProvider, type SyncConnection } from './provider/createProvider.js';
import { isReadOnlyToken, type GetToken } from './provider/tokens.js';
import { restoredNoticePlugin } from './restoredNotice.js';
import { drawableCursorFilter } from './remotePresence.js';
import { SaveTracker, type SaveStatus } from './saveStatus.js';
import { schema } from '@tandem/document';
import { defaultToolbarItems, toolbarPlugin } from './toolbar.js';
import { imageServices, imagesPlugin } from './images/imagesPlugin.js';
import { syncHttpBase } from '@tandem/protocol';
import { sanitizeColor, sanitizeName, type EditorUser } from './user.js';

/** The Yjs XML fragment that holds the document body (y-prosemirror's default name). */
export const CONTENT_FRAGMENT = 'prosemirror';

/** Options for {@link createEditor}. */
export interface CreateEditorOptions {
  /** Document name: 1–200 characters of `A-Z a-z 0-9 . _ -`. */
  docName: string;
  /** The sync server, e.g. `ws://localhost:1234` or `wss://sync.example.com`. */
  serverUrl: string;
  /** Who is editing: shown to others beside this cursor and in their presence list. */
  user: EditorUser;
  /** A JWT for servers that require one (sent as the connection's first message, see `tokenTransport`). */
  token?: string;
  /**
   * Fetches a fresh JWT from your own server. With it the editor renews its token on the open
   * connection ahead of `exp`, so that the server never closes it, and never connects with a stale
   * token: it calls this first after close 4001 or 4002, when the token has expired, or when
   * `token` is unset.
   */
  getToken?: GetToken;
  /**
   * How the token travels (default `'message'`): as the connection's first message, so that no
   * URL holds it (proxies and access logs keep URLs), renewed on the open connection; or `'url'`,
   * as the `token` URL parameter, for servers without auth by message: the server then closes the
   * connection with 4001 at each expiry and the editor reconnects with a fresh token.
   */
  tokenTransport?: TokenTransport;
  /** Show the document without letting this person change it (also implied by a `read` token). Presence still works. */
  readOnly?: boolean;
  /** Render the formatting toolbar above the text (default true). */
  toolbar?: boolean;
  /** Render the presence avatars and connection status in the toolbar (default true). */
  presence?: boolean;
  /** Text shown while the document is empty (default "Start writing…"). */
  placeholder?: string;
  /** Focus the editor once it is created. */
  autofocus?: boolean;
  /**
   * Keep a copy of the document in this browser (IndexedDB) and sync tabs of this browser
   * directly, so that editing goes on offline, survives a reload, and is sent when the
   * connection is back (default true).
   */
  offline?: boolean;
  /** Ask before the tab closes while edits are not yet saved on the server (default true). */
  warnBeforeUnload?: boolean;
  /** Called with the connection status now and whenever it changes. */
  onStatusChange?: (status: ConnectionStatus) => void;
  /** Called with the save status now and whenever it changes (see {@link SaveStatus}). */
  onSaveStatusChange?: (status: SaveStatus) => void;
  /** Called with the people in the document now and whenever someone joins, leaves or renames. */
  onPresenceChange?: (peers: Peer[]) => void;
  /** Called once the document has first been loaded from the server, and on every later resync. */
  onSynced?: () => void;
  /** Called when the server closes the connection for good (for example 4413, document too large). */
  onClosed?: (closed: ConnectionClosed) => void;
  /** How the link button and Mod-K ask for a URL (default `window.prompt`). */
  promptForLink?: (message: string, initial: string) => string | null;
  /** How an image's Alt text button asks for the text (default `window.prompt`). */
  promptForAlt?: (message: string, initial: string) => string | null;
  /**
   * Where images are uploaded and fetched: `baseUrl` is the HTTP(S) base of the file API (default:
   * the sync server's, from `serverUrl`); `maxBytes` refuses larger images before uploading
   * (default 10 MiB, the server's default --max-file-bytes).
   */
  files?: { baseUrl?: string; maxBytes?: number };
  /** Extra URL parameters for the sync connection (opt-in protocol extensions). */
  params?: Record<string, string>;
  /** A WebSocket implementation to use instead of the global one. */
  WebSocketPolyfill?: typeof WebSocket;
  /** Extra ProseMirror plugins, placed after Tandem's own. */
  plugins?: Plugin[];
  /**
   * Called with each problem the editor survived (a token it could not fetch, a presence state it
   * refused, a local copy it could not write, a plugin that threw: an `EditorError`).
   * Default: a line on the console.
   */
  onError?: OnError;
}

/** A running editor, returned by {@link createEditor}. */
export interface TandemEditor {
  /** The ProseMirror view. */
  readonly view: EditorView;
  /** The y-websocket provider (connection, awareness). */
  readonly provider: WebsocketProvider;
  /** The Yjs document: body in `getXmlFragment('prosemirror')`, title in `getText('title')` (see meta.ts). */
  readonly doc: Y.Doc;
  /** The awareness instance (presence and cursors). */
  readonly awareness: Awareness;
  /**
   * An empty element above the text, inside the editor's column, for things that belong to
   * the document page (a title field). Hidden while empty.
   */
  readonly header: HTMLElement;
  /** The current connection status. */
  readonly status: ConnectionStatus;
  /** Where the document on screen is: see {@link SaveStatus}. */
  readonly saveStatus: SaveStatus;
  /** True while this browser keeps a copy of the document in IndexedDB (false when it cannot write there). */
  readonly hasLocalCopy: boolean;
  /** Resolves true once the copy in IndexedDB is loaded into the document; false without one. */
  readonly localCopyLoaded: Promise<boolean>;
  /**
   * Resolves once every change the document holds now is durable on the sync server (it sent
   * them, or acknowledged them after its LevelDB write), at once if there is none. Waits across
   * disconnections. Rejects if the editor is destroyed first.
   */
  whenSaved(): Promise<void>;
  /** The people in the document right now. */
  readonly peers: Peer[];
  /** Change this person's name or colour, live for everyone. */
  setUser(user: EditorUser): void;
  /** Focus the text. */
  focus(): void;
  /**
   * Close the connection (telling the others this person left), stop every timer and
   * listener, destroy the view and remove the editor's DOM. Safe to call twice.
   */
  destroy(): void;
}

/**
 * Create a collaborative editor inside `element`: a toolbar, the text, and (unless turned
 * off) presence avatars and connection status, bound to the document `docName` on the sync
 * server at `serverUrl`.
 *
 * ```ts
 * const editor = createEditor(document.getElementById('editor')!, {
 *   docName: 'team-notes',
 *   serverUrl: 'ws://localhost:1234',
 *   user: { name: 'Ada', color: '#3e63dd' },
 * });
 * // later
 * editor.destroy();
 * ```
 */
export function createEditor(element: HTMLElement, options: CreateEditorOptions): TandemEditor {
  if (!element || typeof element.appendChild !== 'function') {
    throw new TypeError('createEditor: the first argument must be a DOM element');
  }
  const doc = new Y.Doc();
  const awareness = new Awareness(doc);
  awareness.setLocalStateField(USER_FIELD, shareableUser(options.user));
  const offline = options.offline !== false;
  const saves = new SaveTracker(doc, !options.readOnly && !isReadOnlyToken(options.token));
  const onError = options.onError ?? logToConsole;
  const win = element.ownerDocument.defaultView;
  let connection: SyncConnection;
  try {
    connection = createProvider({
      serverUrl: options.serverUrl,
      docName: options.docName,
      doc,
      awareness,
      token: options.token,
      getToken: options.getToken,
      tokenTransport: options.tokenTransport,
      params: options.params,
      WebSocketPolyfill: options.WebSocketPolyfill,
      crossTab: offline,
      tap: saves,
      window: win,
      onError,
    });
  } catch (error) {
    saves.destroy();
    awareness.destroy();
    doc.destroy();
    throw error;
  }
  const { provider } = connection;
  saves.attach(provider);
  const localCopy: LocalCopy | undefined = offline ? openLocalCopy(options.serverUrl, options.docName, doc, { onError }) : undefined;
  if (localCopy) saves.attachLocalCopy(localCopy);

  const root = document.createElement('div');
  root.className = 'tandem-editor';
  if (options.readOnly || isReadOnlyToken(options.token)) root.dataset.readonly = 'true';
  const toolbarRow = document.createElement('div');
  toolbarRow.className = 'tandem-toolbar';
  const content = document.createElement('div');
  content.className = 'tandem-content';
  const header = document.createElement('div');
  header.className = 'tandem-header';
  content.append(header);
  const showToolbar = options.toolbar !== false;
  const showPresence = options.presence !== false;
  // Always there: the find bar opens in it (the row hides itself while it has nothing to show).
  root.append(toolbarRow);
  root.append(content);
  element.append(root);

  const fragment = doc.getXmlFragment(CONTENT_FRAGMENT);
  const { doc: initialDoc, mapping } = initialContent(fragment);
  const readOnly = !!options.readOnly || isReadOnlyToken(options.token);
  const guard = new BindingGuard(fragment, schema, (failure) => saves.setBindingFailed(failure !== undefined), onError);
  const cursors = yCursorPlugin(awareness, {
    // The sync plugin's binding keeps using this very map (it clears it, never replaces it).
    awarenessStateFilter: drawableCursorFilter(fragment, () => mapping),
    cursorBuilder: buildCursor,
    selectionBuilder: buildSelection,
  }) as Plugin<DecorationSet>; // y-prosemirror types its plugins as any
  const plugins: Plugin[] = [
    // First: its view writes each edit to Yjs before any other plugin's view runs.
    ySyncPlugin(fragment, { mapping }) as Plugin,
    guard.guardDecorations(cursors),
    yUndoPlugin(),
    inputRulesPlugin(schema),
    findPlugin({ container: toolbarRow }),
    linkPopoverPlugin({ promptForLink: options.promptForLink }),
    pastePlugin(),
    taskPlugin(),
    keymapPlugin(schema, { promptForLink: options.promptForLink }),
    keymap(baseKeymap),
    dropCursor({ class: 'tandem-dropcursor' }),
    gapCursor(),
    ...tablePlugins(),
    placeholderPlugin(options.placeholder ?? 'Start writing…'),
    restoredNoticePlugin(),
    imagesPlugin({
      baseUrl: options.files?.baseUrl ?? syncHttpBase(options.serverUrl),
      docName: options.docName,
      storageKey: options.serverUrl,
      token: () => connection.token,
      getToken: options.getToken,
      persistent: offline,
      readOnly,
      maxBytes: options.files?.maxBytes,
      promptForAlt: options.promptForAlt,
      onReconnect: (listener) => {
        const onStatus = ({ status }: { status: string }) => status === 'connected' && listener();
        provider.on('status', onStatus);
        return () => provider.off('status', onStatus);
      },
    }),
  ];
  if (showToolbar) {
    const pickImages = (target: EditorView) => imageServices(target)?.pick(target);
    plugins.push(toolbarPlugin({ container: toolbarRow, items: defaultToolbarItems(schema, { promptForLink: options.promptForLink, pickImages }) }));
  }
  plugins.push(...(options.plugins ?? []));

  const view: EditorView = new EditorView(content, {
    state: EditorState.create({ schema, doc: initialDoc, plugins: plugins.map((plugin) => guard.isolate(plugin)) }),
    editable: () => !readOnly && guard.editable,
    dispatchTransaction(tr) {
      // y-prosemirror may dispatch from a timer after the view is gone (its setMeta batching);
      // a destroyed view ignores that instead of throwing.
      if (view.isDestroyed) return;
      guard.dispatch(view, tr);
    },
    attributes: {
      class: 'tandem-prose',
      role: 'textbox',
      'aria-multiline': 'true',
      'aria-label': 'Document text',
      spellcheck: 'true',
    },
  });

  const keepsLocalCopy = () => !!localCopy && !localCopy.failed;
  const bar = showPresence ? createPresenceBar(toolbarRow) : undefined;
  let status: ConnectionStatus = 'connecting';
  let everSynced = false;
  let peers: Peer[] = [];
  const showStatus = () => bar?.setStatus(status, saves.status, everSynced, keepsLocalCopy());
  const stopStatus = observeConnectionStatus(
    provider,
    (next) => {
      status = next;
      root.dataset.status = next;
      showStatus();
      options.onStatusChange?.(next);
    },
    options.onClosed,
  );
  const onSaveStatus = (next: SaveStatus) => {
    root.dataset.saveStatus = next;
    showStatus();
    options.onSaveStatusChange?.(next);
  };
  const stopSaves = saves.onChange(onSaveStatus);
  root.dataset.saveStatus = saves.status;
  options.onSaveStatusChange?.(saves.status);
  const stopPresence = observePresence(awareness, (next) => {
    peers = next;
    bar?.setPeers(next);
    options.onPresenceChange?.(next);
  });
  const onSync = (synced: boolean) => {
    if (!synced) return;
    everSynced = true;
    showStatus();
    options.onSynced?.();
  };
  provider.on('sync', onSync);

  // Leave the presence list as soon as the page goes away, rather than when the server
  // notices the closed socket; come back if the page is restored from the back/forward cache.
  // Either way, what waits for IndexedDB is written now: the page may not get another turn.
  let currentUser = options.user;
  const onPageHide = () => {
    localCopy?.flush();
    removeAwarenessStates(awareness, [doc.clientID], 'page hidden');
  };
  const onVisibilityChange = () => {
    if (win?.document.visibilityState === 'hidden') localCopy?.flush();
  };
  const onPageShow = (event: PageTransitionEvent) => {
    if (event.persisted && awareness.getLocalState() === null) {
      awareness.setLocalStateField(USER_FIELD, shareableUser(currentUser));
    }
  };
  // Changes the server lacks (written to this device or not yet): ask before the tab goes away.
  const onBeforeUnload = (event: BeforeUnloadEvent) => {
    localCopy?.flush();
    if (!saves.hasUnsavedChanges) return;
    event.preventDefault();
    // Older browsers show the prompt only when returnValue is set.
    event.returnValue = '';
  };
  win?.addEventListener('pagehide', onPageHide);
  win?.addEventListener('pageshow', onPageShow);
  win?.document.addEventListener('visibilitychange', onVisibilityChange);
  if (options.warnBeforeUnload !== false && !readOnly) win?.addEventListener('beforeunload', onBeforeUnload);

  if (options.autofocus) view.focus();

  let destroyed = false;
  return {
    view,
    provider,
    doc,
    awareness,
    header,
    get status() {
      return status;
    },
    get saveStatus() {
      return saves.status;
    },
    get hasLocalCopy() {
      return keepsLocalCopy();
    },
    localCopyLoaded: localCopy ? localCopy.whenLoaded.then(() => true) : Promise.resolve(false),
    whenSaved: () => saves.whenSaved(),
    get peers() {
      return peers.length ? peers : peersFromAwareness(awareness);
    },
    setUser(user) {
      currentUser = user;
      awareness.setLocalStateField(USER_FIELD, shareableUser(user));
    },
    focus() {
      view.focus();
    },
    destroy() {
      if (destroyed) return;
      destroyed = true;
      win?.removeEventListener('pagehide', onPageHide);
      win?.removeEventListener('pageshow', onPageShow);
      win?.document.removeEventListener('visibilitychange', onVisibilityChange);
      win?.removeEventListener('beforeunload', onBeforeUnload);
      stopSaves();
      saves.destroy();
      stopStatus();
      stopPresence();
      provider.off('sync', onSync);
      // Tell the others we left while the socket is still open; the close follows the send.
      removeAwarenessStates(awareness, [doc.clientID], 'editor destroyed');
      view.destroy();
      connection.destroy();
      localCopy?.destroy();
      awareness.destroy();
      doc.destroy();
      bar?.destroy();
      root.remove();
    },
  };
}

/**
 * The ProseMirror document for what the Yjs fragment holds now. An empty fragment (the usual
 * case: the server has not answered yet) gives one empty paragraph that is not written to Yjs
 * until someone types in it, so that opening a document never changes it.
 */
function initialContent(fragment: Y.XmlFragment) {
  const initial = initProseMirrorDoc(fragment, schema);
  if (initial.doc.childCount > 0) return initial;
  return { doc: schema.topNodeType.createAndFill()!, mapping: initial.mapping };
}

function shareableUser(user: EditorUser): EditorUser {
  return { name: sanitizeName(user?.name), color: sanitizeColor(user?.color) };
}
