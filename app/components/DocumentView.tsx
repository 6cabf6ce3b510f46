'use client';

import {
  bindTitle,
  displayStatus,
  getTitle,
  MAX_TITLE_LENGTH,
  observeTitle,
  scrollToCursor,
  type ConnectionClosed,
  type ConnectionStatus,
  type Peer,
  type SaveStatus,
  type TandemEditor,
} from '@tandem/editor';
import { CollaborativeEditor } from '@tandem/editor/react';
import { CloseCode } from '@tandem/protocol';
import { useCallback, useEffect, useState } from 'react';
import { useIdentity } from '@/lib/identity';
import { Avatars } from './Avatars';
import { DocumentGoneNotice, type GoneReason } from './DocumentGoneNotice';
import { ActionMenu, type ActionMenuItem } from './ActionMenu';
import { IdentityHint } from './IdentityHint';
import { HistoryButton } from './history/HistoryButton';
import { IdentityMenu } from './IdentityMenu';
import { Logo } from './Logo';
import { OfflineSupport } from './OfflineSupport';
import { ShareButton } from './ShareButton';
import { ShareMenu } from './ShareMenu';
import { ShortcutHelp } from './ShortcutHelp';
import { ThemeToggle } from './ThemeToggle';
import { TrashConfirm } from './TrashConfirm';
import { ViewOnlyBadge } from './ViewOnlyBadge';
import type { DocumentAccess } from '@/lib/access';
import { HELP_SHORTCUT, keyLabel } from '@/lib/editorShortcuts';
import { useDocumentAccess } from '@/lib/useDocumentAccess';
import { StatusBadge } from './StatusBadge';
import { FileMenu } from './FileMenu';
import { usePendingImport } from '@/lib/usePendingImport';
import { applyThemeChoice, currentThemeChoice, nextThemeChoice } from '@/lib/theme';

/** True for the key that opens the shortcut list: Ctrl+/ (⌘/ on Apple platforms). */
const isHelpKey = (event: KeyboardEvent) => event.key === '/' && (event.ctrlKey || event.metaKey) && !event.altKey;

/**
 * The document page: header with status, presence, identity, share and the document menu; title;
 * toolbar; text. When the document is deleted or the page's link reset while it is open, it says
 * so over the text (which stays to read and copy) and stops taking edits.
 */
export function DocumentView({ docName, syncUrl, token, access }: { docName: string; syncUrl: string; token?: string; access?: DocumentAccess }) {
  const { user, isNew, setUser } = useIdentity();
  const [gone, setGone] = useState<GoneReason>();
  const { readOnly, getToken } = useDocumentAccess(docName, access, user?.name, () => setGone('revoked'));
  const [helpOpen, setHelpOpen] = useState(false);
  const [trashOpen, setTrashOpen] = useState(false);
  const onClosed = useCallback((closed: ConnectionClosed) => {
    if (closed.code === CloseCode.DocumentDeleted.code) setGone('deleted');
    if (closed.code === CloseCode.LinkRevoked.code) setGone('revoked');
  }, []);
  const [editor, setEditor] = useState<TandemEditor | null>(null);
  const [status, setStatus] = useState<ConnectionStatus>('connecting');
  const [everSynced, setEverSynced] = useState(false);
  const [localLoaded, setLocalLoaded] = useState(false);
  const [saveStatus, setSaveStatus] = useState<SaveStatus>('offline');
  const [peers, setPeers] = useState<Peer[]>([]);
  const [title, setTitleState] = useState('');
  const [titleField, setTitleField] = useState<HTMLInputElement | null>(null);
  const [identityOpen, setIdentityOpen] = useState(false);
  const [hintDismissed, setHintDismissed] = useState(false);

  useEffect(() => {
    if (!editor) return;
    setTitleState(getTitle(editor.doc));
    let current = true;
    setLocalLoaded(false);
    void editor.localCopyLoaded.then((loaded) => current && setLocalLoaded(loaded));
    const stopTitle = observeTitle(editor.doc, setTitleState);
    return () => {
      current = false;
      stopTitle();
    };
  }, [editor]);

  // The field is the binding's: it shows the shared title and sends what is typed as small edits.
  useEffect(() => {
    if (editor && titleField) return bindTitle(editor.doc, titleField);
  }, [editor, titleField]);

  useEffect(() => {
    document.title = `${title.trim() || 'Untitled'} · Tandem`;
  }, [title]);

  // Nothing typed into a document this page no longer reaches would be saved: stop taking edits.
  useEffect(() => {
    if (gone && editor) editor.view.setProps({ editable: () => false });
  }, [gone, editor]);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (!isHelpKey(event)) return;
      event.preventDefault();
      setHelpOpen((open) => !open);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const [helpHint, setHelpHint] = useState<string>();
  useEffect(() => setHelpHint(keyLabel(HELP_SHORTCUT)), []);
  const menuItems: ActionMenuItem[] = [
    { id: 'shortcuts', label: 'Keyboard shortcuts', hint: helpHint, onSelect: () => setHelpOpen(true) },
    { id: 'print', label: 'Print or save as PDF', onSelect: () => window.print() },
    { id: 'theme', label: 'Change theme (system, light, dark)', onSelect: () => applyThemeChoice(nextThemeChoice(currentThemeChoice())) },
    ...(readOnly || gone ? [] : [{ id: 'trash', label: 'Move to trash', danger: true, onSelect: () => setTrashOpen(true) }]),
  ];

  const showCursor = useCallback((peer: Peer) => (editor ? scrollToCursor(editor.view.dom, peer.clientId) : false), [editor]);

  const onSynced = useCallback(() => setEverSynced(true), []);
  const importMessage = usePendingImport(editor, everSynced);
  const fileToken = useCallback(async () => (getToken ? getToken() : token), [getToken, token]);

  const state = displayStatus(status, saveStatus, everSynced);
  const others = peers.filter((p) => !p.isSelf);

  return (
    <div className="doc-page">
      <OfflineSupport />
      <header className="topbar">
        <div className="topbar-start">
          <Logo compact />
          <nav aria-label="Breadcrumb" className="breadcrumb">
            <a href="/">Documents</a>
            <span aria-hidden="true">/</span>
            <span className="breadcrumb-current" aria-current="page">{title.trim() || 'Untitled'}</span>
          </nav>
        </div>
        <div className="topbar-end">
          {readOnly ? <ViewOnlyBadge /> : null}
          <StatusBadge state={state} localCopy={editor?.hasLocalCopy ?? true} />
          <Avatars peers={others} onShow={showCursor} />
          <HistoryButton docName={docName} editor={editor} readOnly={readOnly} getToken={getToken} token={token} />
          {user ? <IdentityMenu user={user} onChange={setUser} open={identityOpen} onOpenChange={setIdentityOpen} /> : null}
          <FileMenu docName={docName} syncUrl={syncUrl} editor={editor} canEdit={!readOnly} token={fileToken} />
          <ThemeToggle />
          <ActionMenu label="More" testId="document-menu" items={menuItems} />
          {access?.links && access.key ? <ShareMenu links={access.links} docName={docName} linkKey={access.key} /> : <ShareButton />}
        </div>
      </header>
      {gone ? <DocumentGoneNotice reason={gone} docName={docName} restoreKey={access?.key} canRestore={!readOnly} /> : null}
      <ShortcutHelp open={helpOpen} onClose={() => setHelpOpen(false)} />
      <TrashConfirm
        open={trashOpen}
        docName={docName}
        title={title}
        linkKey={access?.key}
        onDone={(trashed) => {
          setTrashOpen(false);
          if (trashed) setGone('deleted');
        }}
      />
      {user && isNew && !hintDismissed ? (
        <IdentityHint
          user={user}
          onChangeName={() => setIdentityOpen(true)}
          onDismiss={() => {
            setHintDismissed(true);
            editor?.focus();
          }}
        />
      ) : null}
      {importMessage ? (
        <p className="notice doc-import-notice" role="status" data-testid="import-notice">
          {importMessage}
        </p>
      ) : null}
      <main className="doc-main">
        {user ? (
          <CollaborativeEditor
            className="doc-editor"
            docName={docName}
            serverUrl={syncUrl}
            token={token}
            getToken={getToken}
            readOnly={readOnly}
            toolbar={!readOnly}
            user={user}
            presence={false}
            autofocus
            onReady={setEditor}
            onStatusChange={setStatus}
            onSaveStatusChange={setSaveStatus}
            onSynced={onSynced}
            onClosed={onClosed}
            onPresenceChange={setPeers}
          >
            <input
              className="doc-title"
              aria-label="Title"
              placeholder="Untitled"
              ref={setTitleField}
              maxLength={MAX_TITLE_LENGTH}
              // Until the title is known (from the server, or this device's copy), typing one
              // would start a new title beside it.
              readOnly={readOnly || Boolean(gone) || (!everSynced && !localLoaded)}
              data-testid="title"
              onKeyDown={(event) => {
                if (event.key === 'Enter' || event.key === 'ArrowDown') {
                  event.preventDefault();
                  editor?.focus();
                }
              }}
            />
          </CollaborativeEditor>
        ) : (
          <div className="doc-loading" aria-busy="true" />
        )}
      </main>
    </div>
  );
}
