/**
 * Light or dark: the pages follow the system setting (`prefers-color-scheme`) unless the person
 * picked one with the theme button, which is remembered in a cookie so that the server renders
 * the page in it from the first byte (no flash of the other theme). The colours themselves are
 * CSS variables written with `light-dark()` (globals.css); `data-theme` on `<html>` pins them.
 */

export const THEME_COOKIE = 'tandem_theme';

/** What the person chose: follow the system, or one theme always. */
export type ThemeChoice = 'system' | 'light' | 'dark';

export const THEME_CHOICES: readonly ThemeChoice[] = ['system', 'light', 'dark'];

/** The pinned theme a cookie value asks for; undefined (follow the system) for anything else. */
export function pinnedTheme(cookieValue: string | undefined): 'light' | 'dark' | undefined {
  return cookieValue === 'light' || cookieValue === 'dark' ? cookieValue : undefined;
}

/** The choice after `current` when the theme button is pressed: system → light → dark → system. */
export function nextThemeChoice(current: ThemeChoice): ThemeChoice {
  return THEME_CHOICES[(THEME_CHOICES.indexOf(current) + 1) % THEME_CHOICES.length]!;
}

/** The cookie that remembers `choice` for a year (`system` forgets it). Not httpOnly: the page sets it. */
export function themeCookie(choice: ThemeChoice): string {
  return choice === 'system' ? `${THEME_COOKIE}=; path=/; max-age=0; samesite=lax` : `${THEME_COOKIE}=${choice}; path=/; max-age=31536000; samesite=lax`;
}

/** The event `applyThemeChoice` sends, so that every theme control on the page shows the new choice. */
export const THEME_CHANGE_EVENT = 'tandem-theme-change';

/** The choice the page is in now (`data-theme` on `<html>`). Browser only. */
export function currentThemeChoice(): ThemeChoice {
  return pinnedTheme(document.documentElement.dataset.theme) ?? 'system';
}

/** Apply `choice` at once, remember it in the cookie, and tell the page's theme controls. Browser only. */
export function applyThemeChoice(choice: ThemeChoice): void {
  document.cookie = themeCookie(choice);
  if (choice === 'system') delete document.documentElement.dataset.theme;
  else document.documentElement.dataset.theme = choice;
  window.dispatchEvent(new CustomEvent<ThemeChoice>(THEME_CHANGE_EVENT, { detail: choice }));
}
