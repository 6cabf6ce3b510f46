import * as Y from 'yjs';

/**
 * A set of Yjs item IDs, kept as sorted, disjoint, half-open clock ranges per client. Yjs names
 * every inserted character (and every deletion) by `(client, clock)`, and a transaction touches
 * contiguous clock runs, so a few ranges describe any burst of typing however long.
 */
export class IdRanges {
  /** Per client: [start0, end0, start1, end1, …], sorted, disjoint, never touching. */
  private readonly byClient = new Map<number, number[]>();

  /** True when the set holds no ID. */
  get isEmpty(): boolean {
    return this.byClient.size === 0;
  }

  /** Add `[start, end)` of `client`. */
  add(client: number, start: number, end: number): void {
    if (end <= start) return;
    const ranges = this.byClient.get(client);
    if (!ranges) {
      this.byClient.set(client, [start, end]);
      return;
    }
    // Typing appends: the common case is a range at or after the last one.
    const last = ranges.length - 2;
    if (start > ranges[last + 1]!) {
      ranges.push(start, end);
      return;
    }
    // First range whose end reaches `start`, then every range that overlaps or touches.
    const i = firstEndingAtOrAfter(ranges, start);
    let j = i;
    let from = start;
    let to = end;
    while (j < ranges.length && ranges[j]! <= end) {
      from = Math.min(from, ranges[j]!);
      to = Math.max(to, ranges[j + 1]!);
      j += 2;
    }
    ranges.splice(i, j - i, from, to);
  }

  /** Remove `[start, end)` of `client`. */
  remove(client: number, start: number, end: number): void {
    const ranges = this.byClient.get(client);
    if (!ranges || end <= start) return;
    const i = firstEndingAfter(ranges, start);
    const kept: number[] = [];
    let j = i;
    while (j < ranges.length && ranges[j]! < end) {
      if (ranges[j]! < start) kept.push(ranges[j]!, start);
      if (ranges[j + 1]! > end) kept.push(end, ranges[j + 1]!);
      j += 2;
    }
    ranges.splice(i, j - i, ...kept);
    if (ranges.length === 0) this.byClient.delete(client);
  }

  /** Add every ID of `other` to this set. */
  addAll(other: IdRanges): void {
    other.byClient.forEach((ranges, client) => {
      for (let k = 0; k < ranges.length; k += 2) this.add(client, ranges[k]!, ranges[k + 1]!);
    });
  }

  /** Remove every ID of `other` from this set. */
  removeAll(other: IdRanges): void {
    other.byClient.forEach((ranges, client) => {
      if (!this.byClient.has(client)) return;
      for (let k = 0; k < ranges.length; k += 2) this.remove(client, ranges[k]!, ranges[k + 1]!);
    });
  }

  /** Remove, for each client, every clock below its entry in the state vector `sv`. */
  removeBelow(sv: Map<number, number>): void {
    sv.forEach((clock, client) => this.remove(client, 0, clock));
  }

  /** A copy of this set. */
  clone(): IdRanges {
    const copy = new IdRanges();
    this.byClient.forEach((ranges, client) => copy.byClient.set(client, ranges.slice()));
    return copy;
  }

  /** The ranges as `[client, start, end]` triples (for tests and messages). */
  toArray(): Array<[number, number, number]> {
    const out: Array<[number, number, number]> = [];
    this.byClient.forEach((ranges, client) => {
      for (let k = 0; k < ranges.length; k += 2) out.push([client, ranges[k]!, ranges[k + 1]!]);
    });
    return out;
  }
}

/** What one Yjs transaction or update added: the items it inserted and the items it deleted. */
export interface Change {
  inserted: IdRanges;
  deleted: IdRanges;
}

/** An empty change. */
export function emptyChange(): Change {
  return { inserted: new IdRanges(), deleted: new IdRanges() };
}

/**
 * The IDs a transaction changed (clocks between its before and after state, and its deletions),
 * or undefined when it changed nothing (ProseMirror selection moves make such transactions).
 */
export function changeOfTransaction(transaction: Y.Transaction): Change | undefined {
  let inserted: IdRanges | undefined;
  transaction.afterState.forEach((clock, client) => {
    const before = transaction.beforeState.get(client) ?? 0;
    if (clock > before) (inserted ??= new IdRanges()).add(client, before, clock);
  });
  if (!inserted && transaction.deleteSet.clients.size === 0) return undefined;
  return { inserted: inserted ?? new IdRanges(), deleted: deletedIds(transaction.deleteSet) };
}

/** The IDs an encoded update (v1) carries: its structs (not the gaps between them) and its delete set. */
export function changeOfUpdate(update: Uint8Array): Change {
  const { structs, ds } = Y.decodeUpdate(update);
  const inserted = new IdRanges();
  for (const struct of structs) {
    // A Skip stands for clocks the update does not carry.
    if (struct instanceof Y.Skip) continue;
    inserted.add(struct.id.client, struct.id.clock, struct.id.clock + struct.length);
  }
  return { inserted, deleted: deletedIds(ds) };
}

function deletedIds(ds: Y.Transaction['deleteSet']): IdRanges {
  const deleted = new IdRanges();
  ds.clients.forEach((items: Array<{ clock: number; len: number }>, client: number) => {
    for (const item of items) deleted.add(client, item.clock, item.clock + item.len);
  });
  return deleted;
}

/** Index of the first range (an even index) whose end is ≥ `clock`; `ranges.length` if none. */
function firstEndingAtOrAfter(ranges: number[], clock: number): number {
  let lo = 0;
  let hi = ranges.length / 2;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ranges[mid * 2 + 1]! < clock) lo = mid + 1;
    else hi = mid;
  }
  return lo * 2;
}

/** Index of the first range (an even index) whose end is > `clock`; `ranges.length` if none. */
function firstEndingAfter(ranges: number[], clock: number): number {
  let lo = 0;
  let hi = ranges.length / 2;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ranges[mid * 2 + 1]! <= clock) lo = mid + 1;
    else hi = mid;
  }
  return lo * 2;
}
