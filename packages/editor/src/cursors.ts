import type { DecorationAttrs } from 'prosemirror-view';
import { sanitizeColor, sanitizeName, textColorOn } from './user.js';

/**
 * How a remote cursor looks: a caret in the person's colour with their name in a label above.
 * Built with `textContent` only: names come from other people's browsers.
 */
export function buildCursor(user: { name?: unknown; color?: unknown }, clientId: number): HTMLElement {
  const color = sanitizeColor(user.color);
  const cursor = document.createElement('span');
  cursor.className = 'tandem-cursor';
  cursor.dataset.clientId = String(clientId);
  cursor.style.setProperty('--tandem-peer-color', color);
  cursor.setAttribute('aria-hidden', 'true');
  const label = document.createElement('span');
  label.className = 'tandem-cursor-label';
  label.style.color = textColorOn(color);
  label.textContent = sanitizeName(user.name, `Guest ${clientId % 1000}`);
  // Word joiners keep the caret from causing a line break on either side.
  cursor.append('\u2060', label, '\u2060');
  return cursor;
}

/** How a remote selection looks: the person's colour, translucent. */
export function buildSelection(user: { color?: unknown }): DecorationAttrs {
  return {
    class: 'tandem-selection',
    style: `background-color: ${sanitizeColor(user.color)}33`,
  };
}
