/** True on Apple platforms, where Mod is ⌘ (Meta) rather than Ctrl. */
export function isMac(): boolean {
  return typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent);
}

/** True when `event` holds the platform's Mod key (⌘ on Apple platforms, Ctrl elsewhere). */
export function hasModKey(event: MouseEvent | KeyboardEvent): boolean {
  return isMac() ? event.metaKey : event.ctrlKey;
}
