import type { DecorationAttrs } from 'prosemirror-view';
import { sanitizeColor, sanitizeName, textColorOn } from './user.js';

/**
 * How a remote cursor looks: a caret in the person's colour with their name in a label above.
 * The name is drawn by CSS from `data-name`, so it is not part of the text: copying, reading
 * `textContent` and screen readers see the document only.
 */
export function buildCursor(user: { name?: unknown; color?: unknown }, clientId: number): HTMLElement {
  const color = sanitizeColor(user.color);
  const cursor = document.createElement('span');
  cursor.className = 'tandem-cursor';
  cursor.dataset.clientId = String(clientId);
  cursor.dataset.name = sanitizeName(user.name, `Guest ${clientId % 1000}`);
  cursor.style.setProperty('--tandem-peer-color', color);
  cursor.style.setProperty('--tandem-peer-text', textColorOn(color));
  cursor.setAttribute('aria-hidden', 'true');
  return cursor;
}

/** How a remote selection looks: the person's colour, translucent. */
export function buildSelection(user: { color?: unknown }): DecorationAttrs {
  return {
    class: 'tandem-selection',
    style: `background-color: ${sanitizeColor(user.color)}33`,
  };
}

/** How long a cursor stays highlighted after {@link scrollToCursor} brought it into view. */
const FLASH_MS = 1600;

/**
 * Scroll `root` (an editor, or anything holding one) so that the remote cursor of `clientId` is
 * in the middle of the view, and highlight it for a moment. False when that person has no cursor
 * in the text (they are in another field, or not focused).
 */
export function scrollToCursor(root: ParentNode, clientId: number): boolean {
  const cursor = root.querySelector<HTMLElement>(`.tandem-cursor[data-client-id="${clientId}"]`);
  if (!cursor) return false;
  const still = typeof matchMedia === 'function' && matchMedia('(prefers-reduced-motion: reduce)').matches;
  cursor.scrollIntoView({ block: 'center', inline: 'nearest', behavior: still ? 'auto' : 'smooth' });
  cursor.classList.add('tandem-cursor-flash');
  setTimeout(() => cursor.classList.remove('tandem-cursor-flash'), FLASH_MS);
  return true;
}
