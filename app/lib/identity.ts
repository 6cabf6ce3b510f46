'use client';

import { randomUser, sanitizeColor, sanitizeName, type EditorUser } from '@tandem/editor';
import { useCallback, useEffect, useState } from 'react';

/** Where the name and colour are remembered in this browser. */
export const IDENTITY_KEY = 'tandem:user';

/** The stored identity, or undefined on a first visit (or when storage is unavailable). */
export function loadIdentity(): EditorUser | undefined {
  try {
    const raw = window.localStorage.getItem(IDENTITY_KEY);
    if (!raw) return undefined;
    const parsed = JSON.parse(raw) as Partial<EditorUser>;
    return { name: sanitizeName(parsed.name), color: sanitizeColor(parsed.color) };
  } catch {
    return undefined;
  }
}

export function saveIdentity(user: EditorUser): void {
  try {
    window.localStorage.setItem(IDENTITY_KEY, JSON.stringify(user));
  } catch {
    // Storage can be off (private mode, blocked third-party storage): the name lasts for this page.
  }
}

/**
 * The person's name and colour: remembered in `localStorage`, invented on a first visit
 * (`isNew` is then true, so the page can offer to change it). Undefined until mounted, so the
 * server render and the first client render agree.
 */
export function useIdentity(): {
  user: EditorUser | undefined;
  isNew: boolean;
  setUser: (user: EditorUser) => void;
} {
  const [state, setState] = useState<{ user: EditorUser; isNew: boolean }>();
  useEffect(() => {
    const stored = loadIdentity();
    if (stored) setState({ user: stored, isNew: false });
    else {
      const invented = randomUser();
      saveIdentity(invented);
      setState({ user: invented, isNew: true });
    }
    const onStorage = (event: StorageEvent) => {
      if (event.key !== IDENTITY_KEY) return;
      const next = loadIdentity();
      if (next) setState((current) => ({ user: next, isNew: current?.isNew ?? false }));
    };
    window.addEventListener('storage', onStorage);
    return () => window.removeEventListener('storage', onStorage);
  }, []);
  const setUser = useCallback((user: EditorUser) => {
    const clean = { name: sanitizeName(user.name), color: sanitizeColor(user.color) };
    saveIdentity(clean);
    setState({ user: clean, isNew: false });
  }, []);
  return { user: state?.user, isNew: state?.isNew ?? false, setUser };
}
