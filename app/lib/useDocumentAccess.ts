'use client';

import { useMemo, useRef } from 'react';
import type { DocumentAccess } from './access';
import { createTokenFetcher, LinkRefusedError } from './tokenClient';

/**
 * The editor's side of a page's access: `readOnly` for the view page, and in auth mode a
 * `getToken` that trades the link's key for sync-server tokens (stable for the page's life, so
 * that the editor is not recreated; it reads the current name on every request). When the app
 * refuses the key (it was reset, say) `onLinkRefused` is called: that is final, not a reason to
 * retry as if offline.
 */
export function useDocumentAccess(
  docName: string,
  access: DocumentAccess | undefined,
  name: string | undefined,
  onLinkRefused?: () => void,
): { readOnly: boolean; getToken: (() => Promise<string>) | undefined } {
  const nameRef = useRef(name);
  nameRef.current = name;
  const refusedRef = useRef(onLinkRefused);
  refusedRef.current = onLinkRefused;
  const mode = access?.mode ?? 'write';
  const key = access?.key;
  const getToken = useMemo(() => {
    if (!key) return undefined;
    const fetchToken = createTokenFetcher({ docName, linkKey: key, access: mode, getName: () => nameRef.current });
    return async () => {
      try {
        return await fetchToken();
      } catch (error) {
        if (error instanceof LinkRefusedError) refusedRef.current?.();
        throw error;
      }
    };
  }, [docName, key, mode]);
  return { readOnly: mode === 'read', getToken };
}
