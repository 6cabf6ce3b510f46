/** Who is editing: shown beside their cursor and in the presence list. */
export interface EditorUser {
  /** Display name. Trimmed and capped at {@link MAX_NAME_LENGTH} characters when shared. */
  name: string;
  /** A `#rrggbb` colour for the cursor, selection and avatar. */
  color: string;
}

/** Longest display name shared with others. */
export const MAX_NAME_LENGTH = 40;

/** Colours that read well as cursors and avatars on a light page, with white text on top. */
export const USER_COLORS = [
  '#e5484d', '#f76b15', '#d6409f', '#8e4ec6', '#6e56cf', '#3e63dd',
  '#0090ff', '#00a2c7', '#12a594', '#30a46c', '#46a758', '#ad7f58',
] as const;

const HEX_COLOR = /^#[0-9a-fA-F]{6}$/;
const FALLBACK_COLOR = '#6e56cf';

/** `color` if it is a `#rrggbb` colour, else a default. */
export function sanitizeColor(color: unknown): string {
  return typeof color === 'string' && HEX_COLOR.test(color) ? color.toLowerCase() : FALLBACK_COLOR;
}

/** A display name that is safe to show: a trimmed, capped string, or `fallback`. */
export function sanitizeName(name: unknown, fallback = 'Anonymous'): string {
  if (typeof name !== 'string') return fallback;
  const trimmed = name.replace(/\s+/g, ' ').trim().slice(0, MAX_NAME_LENGTH);
  return trimmed || fallback;
}

/** One or two capital letters for an avatar: "Ada Lovelace" → "AL", "grace" → "G". */
export function initialsOf(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const letters = words.length > 1 ? [words[0]!, words[words.length - 1]!] : words.slice(0, 1);
  const initials = letters.map((word) => Array.from(word)[0] ?? '').join('');
  return initials.toUpperCase() || '?';
}

/** Black or white, whichever reads better on `color`. */
export function textColorOn(color: string): '#ffffff' | '#111111' {
  const hex = sanitizeColor(color).slice(1);
  const [r, g, b] = [0, 2, 4].map((i) => Number.parseInt(hex.slice(i, i + 2), 16) / 255) as [number, number, number];
  const lin = (c: number) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
  const luminance = 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
  // White reads well on every saturated mid-tone colour; only light colours need dark text.
  return luminance > 0.45 ? '#111111' : '#ffffff';
}

const ADJECTIVES = ['Brave', 'Calm', 'Clever', 'Curious', 'Eager', 'Gentle', 'Happy', 'Keen', 'Lively', 'Lucky', 'Quiet', 'Swift', 'Witty', 'Bold', 'Bright', 'Merry'];
const ANIMALS = ['Otter', 'Fox', 'Heron', 'Lynx', 'Panda', 'Owl', 'Badger', 'Falcon', 'Koala', 'Robin', 'Seal', 'Tiger', 'Whale', 'Wren', 'Yak', 'Zebra'];

/** A made-up user ("Curious Otter", with a colour from {@link USER_COLORS}). */
export function randomUser(random: () => number = Math.random): EditorUser {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length) % items.length]!;
  return { name: `${pick(ADJECTIVES)} ${pick(ANIMALS)}`, color: pick(USER_COLORS) };
}
