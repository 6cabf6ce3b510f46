'use client';

import { useEffect, useState } from 'react';
import { THEME_CHANGE_EVENT, applyThemeChoice, currentThemeChoice, nextThemeChoice, type ThemeChoice } from '@/lib/theme';

const LABELS: Record<ThemeChoice, string> = { system: 'Theme: same as the system', light: 'Theme: light', dark: 'Theme: dark' };

/**
 * The theme button: follow the system, light, or dark, in turn. The choice is applied at once
 * (`data-theme` on `<html>`) and remembered in a cookie the server reads for the next page.
 * On a phone's document page the button makes way for the others; the ⋯ menu has the same choice.
 */
export function ThemeToggle() {
  const [choice, setChoice] = useState<ThemeChoice>('system');
  useEffect(() => {
    setChoice(currentThemeChoice());
    // Another control (the document page's menu, on phones) may change it too.
    const follow = () => setChoice(currentThemeChoice());
    window.addEventListener(THEME_CHANGE_EVENT, follow);
    return () => window.removeEventListener(THEME_CHANGE_EVENT, follow);
  }, []);
  const choose = () => applyThemeChoice(nextThemeChoice(currentThemeChoice()));
  return (
    <button type="button" className="icon-button theme-toggle" onClick={choose} title={`${LABELS[choice]} (change)`} aria-label={LABELS[choice]} data-testid="theme-toggle" data-choice={choice}>
      <svg viewBox="0 0 24 24" width="18" height="18" fill="none" stroke="currentColor" strokeWidth="1.9" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true">
        {choice === 'light' ? (
          <>
            <circle cx="12" cy="12" r="4" />
            <path d="M12 2v2M12 20v2M4.9 4.9l1.4 1.4M17.7 17.7l1.4 1.4M2 12h2M20 12h2M4.9 19.1l1.4-1.4M17.7 6.3l1.4-1.4" />
          </>
        ) : choice === 'dark' ? (
          <path d="M20 14.5A8 8 0 0 1 9.5 4a8 8 0 1 0 10.5 10.5z" />
        ) : (
          <>
            <circle cx="12" cy="12" r="8" />
            <path d="M12 4a8 8 0 0 1 0 16z" fill="currentColor" />
          </>
        )}
      </svg>
    </button>
  );
}
