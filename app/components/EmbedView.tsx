'use client';

import { randomUser, sanitizeColor, sanitizeName, type ConnectionClosed, type EditorUser } from '@tandem/editor';
import { CollaborativeEditor } from '@tandem/editor/react';
import { type Access, CloseCode } from '@tandem/protocol';
import { useCallback, useEffect, useState } from 'react';
import type { EmbedRefusal } from '@/lib/embedAccess';
import { useDocumentAccess } from '@/lib/useDocumentAccess';
import { loadIdentity, saveIdentity } from '@/lib/identity';
import { AccessRefused } from './AccessRefused';
import { OfflineSupport } from './OfflineSupport';

export interface EmbedOptions {
  name?: string;
  color?: string;
  token?: string;
  readOnly?: boolean;
  toolbar?: boolean;
  /** Auth mode: the edit or view key from `?key=`, and what it opens (decided by the server). */
  linkKey?: string;
  access?: Access;
}

/**
 * The bare editor for iframes: toolbar, text, presence and status, nothing else. The host page
 * may set who is editing with `?name=…&color=%23rrggbb`; otherwise the name remembered in
 * this browser (or an invented one) is used. When the sync server refuses the embed (`refusal`,
 * known before connecting, or the app refusing its key later), it says so instead.
 */
export function EmbedView({ docName, syncUrl, options, refusal }: { docName: string; syncUrl: string; options: EmbedOptions; refusal?: EmbedRefusal }) {
  const [user, setUser] = useState<EditorUser>();
  const [refused, setRefused] = useState(refusal);
  useEffect(() => {
    if (options.name) {
      setUser({ name: sanitizeName(options.name), color: sanitizeColor(options.color ?? randomUser().color) });
      return;
    }
    const stored = loadIdentity();
    if (stored) return setUser(stored);
    const invented = randomUser();
    saveIdentity(invented);
    setUser(invented);
  }, [options.name, options.color]);
  const { getToken } = useDocumentAccess(docName, options.linkKey ? { mode: options.access ?? 'read', key: options.linkKey } : undefined, user?.name, () =>
    setRefused('link-refused'),
  );
  const onClosed = useCallback((closed: ConnectionClosed) => {
    if (closed.code === CloseCode.DocumentDeleted.code) setRefused('document-deleted');
    if (closed.code === CloseCode.LinkRevoked.code) setRefused('link-refused');
  }, []);
  if (refused) return <AccessRefused reason={refused} />;
  if (!user) return null;
  return (
    <>
      <OfflineSupport />
      <CollaborativeEditor
        className="embed-editor"
        docName={docName}
        serverUrl={syncUrl}
        user={user}
        token={options.token}
        getToken={getToken}
        readOnly={options.readOnly || options.access === 'read'}
        toolbar={options.toolbar}
        onClosed={onClosed}
      />
    </>
  );
}
