'use client';

import {
  bindTitle,
  displayStatus,
  getTitle,
  MAX_TITLE_LENGTH,
  observeTitle,
  type ConnectionStatus,
  type Peer,
  type SaveStatus,
  type TandemEditor,
} from '@tandem/editor';
import { CollaborativeEditor } from '@tandem/editor/react';
import { useCallback, useEffect, useState } from 'react';
import { useIdentity } from '@/lib/identity';
import { Avatars } from './Avatars';
import { IdentityHint } from './IdentityHint';
import { HistoryButton } from './history/HistoryButton';
import { IdentityMenu } from './IdentityMenu';
import { Logo } from './Logo';
import { OfflineSupport } from './OfflineSupport';
import { ShareButton } from './ShareButton';
import { ShareMenu } from './ShareMenu';
import { ViewOnlyBadge } from './ViewOnlyBadge';
import type { DocumentAccess } from '@/lib/access';
import { useDocumentAccess } from '@/lib/useDocumentAccess';
import { StatusBadge } from './StatusBadge';
import { FileMenu } from './FileMenu';
import { usePendingImport } from '@/lib/usePendingImport';

/** The document page: header with status, presence, identity and share; title; toolbar; text. */
export function DocumentView({ docName, syncUrl, token, access }: { docName: string; syncUrl: string; token?: string; access?: DocumentAccess }) {
  const { user, isNew, setUser } = useIdentity();
  const { readOnly, getToken } = useDocumentAccess(docName, access, user?.name);
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
          <Avatars peers={others} />
          <HistoryButton docName={docName} editor={editor} readOnly={readOnly} getToken={getToken} token={token} />
          {user ? <IdentityMenu user={user} onChange={setUser} open={identityOpen} onOpenChange={setIdentityOpen} /> : null}
          <FileMenu docName={docName} syncUrl={syncUrl} editor={editor} canEdit={!readOnly} token={fileToken} />
          {access?.links ? <ShareMenu links={access.links} /> : <ShareButton />}
        </div>
      </header>
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
              readOnly={readOnly || !everSynced && !localLoaded}
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
