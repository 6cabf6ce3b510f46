'use client';

import { getTitle, observeTitle, setTitle, type ConnectionStatus, type Peer, type TandemEditor } from '@tandem/editor';
import { CollaborativeEditor } from '@tandem/editor/react';
import { useCallback, useEffect, useState } from 'react';
import { useIdentity } from '@/lib/identity';
import { Avatars } from './Avatars';
import { IdentityMenu } from './IdentityMenu';
import { Logo } from './Logo';
import { ShareButton } from './ShareButton';
import { StatusBadge, type SyncState } from './StatusBadge';

/** The document page: header with status, presence, identity and share; title; toolbar; text. */
export function DocumentView({ docName, syncUrl, token }: { docName: string; syncUrl: string; token?: string }) {
  const { user, isNew, setUser } = useIdentity();
  const [editor, setEditor] = useState<TandemEditor | null>(null);
  const [status, setStatus] = useState<ConnectionStatus>('connecting');
  const [synced, setSynced] = useState(false);
  const [pendingOffline, setPendingOffline] = useState(false);
  const [peers, setPeers] = useState<Peer[]>([]);
  const [title, setTitleState] = useState('');

  useEffect(() => {
    if (!editor) return;
    setTitleState(getTitle(editor.doc));
    const stopTitle = observeTitle(editor.doc, setTitleState);
    // Edits made while offline stay in this tab until the connection is back.
    const onUpdate = (_update: Uint8Array, origin: unknown) => {
      if (origin !== editor.provider && !editor.provider.wsconnected) setPendingOffline(true);
    };
    editor.doc.on('update', onUpdate);
    return () => {
      stopTitle();
      editor.doc.off('update', onUpdate);
    };
  }, [editor]);

  useEffect(() => {
    document.title = `${title.trim() || 'Untitled'} · Tandem`;
  }, [title]);

  const onStatusChange = useCallback((next: ConnectionStatus) => {
    setStatus(next);
    if (next !== 'connected') setSynced(false);
  }, []);
  const onSynced = useCallback(() => {
    setSynced(true);
    setPendingOffline(false);
  }, []);

  const state: SyncState = status === 'connected' ? (synced ? 'synced' : 'loading') : status;
  const others = peers.filter((p) => !p.isSelf);

  return (
    <div className="doc-page">
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
          <StatusBadge state={state} pendingOffline={pendingOffline} />
          <Avatars peers={others} />
          {user ? <IdentityMenu user={user} onChange={setUser} invite={isNew} /> : null}
          <ShareButton />
        </div>
      </header>
      <main className="doc-main">
        {user ? (
          <CollaborativeEditor
            className="doc-editor"
            docName={docName}
            serverUrl={syncUrl}
            token={token}
            user={user}
            presence={false}
            autofocus={!isNew}
            onReady={setEditor}
            onStatusChange={onStatusChange}
            onSynced={onSynced}
            onPresenceChange={setPeers}
          >
            <input
              className="doc-title"
              aria-label="Title"
              placeholder="Untitled"
              value={title}
              maxLength={200}
              readOnly={!synced && !editor?.provider.synced}
              data-testid="title"
              onChange={(event) => {
                setTitleState(event.target.value);
                if (editor) setTitle(editor.doc, event.target.value);
              }}
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
