'use client';

import { randomUser, sanitizeColor, sanitizeName, type EditorUser } from '@tandem/editor';
import { CollaborativeEditor } from '@tandem/editor/react';
import { useEffect, useState } from 'react';
import { useDocumentAccess } from '@/lib/useDocumentAccess';
import { loadIdentity, saveIdentity } from '@/lib/identity';
import { OfflineSupport } from './OfflineSupport';

export interface EmbedOptions {
  name?: string;
  color?: string;
  token?: string;
  readOnly?: boolean;
  toolbar?: boolean;
  /** Auth mode: the edit or view key from `?key=`, and what it opens (decided by the server). */
  linkKey?: string;
  access?: 'read' | 'write';
}

/**
 * The bare editor for iframes: toolbar, text, presence and status, nothing else. The host page
 * may set who is editing with `?name=…&color=%23rrggbb`; otherwise the name remembered in
 * this browser (or an invented one) is used.
 */
export function EmbedView({ docName, syncUrl, options }: { docName: string; syncUrl: string; options: EmbedOptions }) {
  const [user, setUser] = useState<EditorUser>();
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
  const { getToken } = useDocumentAccess(docName, options.linkKey ? { mode: options.access ?? 'read', key: options.linkKey } : undefined, user?.name);
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
      />
    </>
  );
}
