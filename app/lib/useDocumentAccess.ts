'use client';

import { useMemo, useRef } from 'react';
import type { DocumentAccess } from './access';
import { createTokenFetcher } from './tokenClient';

/**
 * The editor's side of a page's access: `readOnly` for the view page, and in auth mode a
 * `getToken` that trades the link's key for sync-server tokens (stable for the page's life, so
 * that the editor is not recreated; it reads the current name on every request).
 */
export function useDocumentAccess(
  docName: string,
  access: DocumentAccess | undefined,
  name: string | undefined,
): { readOnly: boolean; getToken: (() => Promise<string>) | undefined } {
  const nameRef = useRef(name);
  nameRef.current = name;
  const mode = access?.mode ?? 'write';
  const key = access?.key;
  const getToken = useMemo(
    () => (key ? createTokenFetcher({ docName, linkKey: key, access: mode, getName: () => nameRef.current }) : undefined),
    [docName, key, mode],
  );
  return { readOnly: mode === 'read', getToken };
}
