import type { Page } from '@playwright/test';

/**
 * The chaos suite's random choices come from one seed: fixed by default (so CI runs the same
 * hunt every time), `TANDEM_CHAOS_SEED=<n>` to replay or explore another. Each test prints the
 * seed it ran with.
 */
export const DEFAULT_CHAOS_SEED = 20_251_112;

/** A small seeded generator (mulberry32): the same seed gives the same sequence everywhere. */
export interface Chaos {
  readonly seed: number;
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [min, max]. */
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  /** `length` letters and spaces, starting with a letter. */
  words(length: number): string;
}

/** The seed for this run, printed with `label` so that a failure can be replayed. */
export function chaosFor(label: string): Chaos {
  const fromEnv = process.env.TANDEM_CHAOS_SEED;
  const base = fromEnv !== undefined && fromEnv !== '' ? Number(fromEnv) : DEFAULT_CHAOS_SEED;
  if (!Number.isSafeInteger(base)) throw new Error(`TANDEM_CHAOS_SEED must be an integer, not ${JSON.stringify(fromEnv)}`);
  // Each test gets its own stream, derived from the run's seed and its label.
  let hash = base >>> 0;
  for (const char of label) hash = Math.imul(hash ^ char.charCodeAt(0), 0x01000193) >>> 0;
  console.log(`[chaos] ${label}: TANDEM_CHAOS_SEED=${base} (replay with that variable)`);
  return seeded(base, hash);
}

function seeded(seed: number, state: number): Chaos {
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  return {
    seed,
    next,
    int,
    pick: (items) => items[int(0, items.length - 1)]!,
    words(length) {
      let out = letters[int(0, 25)]!;
      while (out.length < length) out += out.endsWith(' ') || next() > 0.18 ? letters[int(0, 25)]! : ' ';
      return out;
    },
  };
}

/** What the status badge said, and the document's text at that moment. */
export interface Claim {
  /** The badge's `data-state`. */
  state: string;
  /** Its words (one state can have two: "kept on this device" or "kept in this tab"). */
  label: string;
  text: string;
}

/** Texts the status badge vouched for, newest last, as the page reported them. */
export interface Claims {
  /** Every claim seen, oldest first. */
  readonly seen: Claim[];
  /** The last text shown with one of `states` (and, if given, words containing `words`), or undefined. */
  last(states: readonly string[], words?: string): string | undefined;
  /** Resolves the moment the page reports `text` shown with one of `states` (rejects after `timeoutMs`). */
  when(states: readonly string[], text: string, timeoutMs?: number): Promise<void>;
}

/**
 * Record, from inside the page, the document's text each time the status badge changes. The page
 * reports through a binding, so each report leaves the page the moment the badge changes; a report
 * still in flight when the browser dies is lost, which only makes the check weaker, never wrong.
 * Call before the page loads (it installs an init script).
 */
export async function recordClaims(page: Page): Promise<Claims> {
  const seen: Claim[] = [];
  const waiting = new Set<(state: string, text: string) => void>();
  await page.exposeBinding('__tandemClaim', (_source, state: string, label: string, text: string) => {
    seen.push({ state, label, text });
    for (const waiter of [...waiting]) waiter(state, text);
  });
  await page.addInitScript(() => {
    const report = (window as unknown as { __tandemClaim: (state: string, label: string, text: string) => void }).__tandemClaim;
    const watch = () => {
      const badge = document.querySelector('[data-testid="status"]');
      const editor = document.querySelector('.ProseMirror');
      if (!badge || !editor) return false;
      let last = '';
      let scheduled = false;
      const check = () => {
        scheduled = false;
        const state = badge.getAttribute('data-state') ?? '';
        const label = badge.textContent ?? '';
        const text = editor.textContent ?? '';
        if (`${state}\u0000${label}\u0000${text}` === last) return;
        last = `${state}\u0000${label}\u0000${text}`;
        void report(state, label, text);
      };
      // The badge is rendered by React a task after the editor's status changes: read both once
      // the page has caught up, so that a keystroke is never paired with the badge from before it.
      const later = () => {
        if (scheduled) return;
        scheduled = true;
        setTimeout(check, 0);
      };
      new MutationObserver(later).observe(badge, { attributes: true, attributeFilter: ['data-state'], characterData: true, childList: true, subtree: true });
      new MutationObserver(later).observe(editor, { characterData: true, childList: true, subtree: true });
      check();
      return true;
    };
    const poll = () => {
      if (!watch()) setTimeout(poll, 20);
    };
    if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', poll);
    else poll();
  });
  return {
    seen,
    last(states, words) {
      for (let i = seen.length - 1; i >= 0; i--) {
        const claim = seen[i]!;
        if (states.includes(claim.state) && (words === undefined || claim.label.includes(words))) return claim.text;
      }
      return undefined;
    },
    when(states, text, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const latest = seen.at(-1);
        if (latest && states.includes(latest.state) && latest.text === text) return resolve();
        const timer = setTimeout(() => {
          waiting.delete(check);
          reject(new Error(`the badge never showed ${states.join(' or ')} with ${JSON.stringify(text)}; last: ${JSON.stringify(seen.at(-1))}`));
        }, timeoutMs);
        function check(state: string, shown: string) {
          if (!states.includes(state) || shown !== text) return;
          clearTimeout(timer);
          waiting.delete(check);
          resolve();
        }
        waiting.add(check);
      });
    },
  };
}
