/**
 * Helpers for checking presence (awareness) states, which arrive as JSON from anyone who can reach
 * the server. Each side keeps its own rules and limits (the sync server's presenceSchema.ts, the
 * editor's remotePresence.ts); these are the pieces both need.
 */

/** True for an object that is neither null nor an array. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * How deeply a parsed JSON value nests objects and arrays (an object or array itself is level 1, a
 * scalar 0), counted without recursion: a state may be thousands of levels deep. Stops counting,
 * and returns a depth past it, once the depth passes `stopAbove`.
 */
export function jsonDepth(root: unknown, stopAbove: number = Number.POSITIVE_INFINITY): number {
  let deepest = 0;
  const stack: Array<[unknown, number]> = [[root, 1]];
  while (stack.length > 0) {
    const [value, depth] = stack.pop()!;
    if (typeof value !== 'object' || value === null) continue;
    if (depth > deepest) deepest = depth;
    if (deepest > stopAbove) return deepest;
    for (const child of Object.values(value)) stack.push([child, depth + 1]);
  }
  return deepest;
}
