/**
 * A DocStore whose appends a test holds and releases: "the write is still in flight" as a state
 * the test sets, not a delay it hopes is long enough.
 */
import type { DocAppend, DocStore } from '../storage/DocStore.js';

export class AppendGate {
  /** `inner` seen through the gate: pass this to the server. */
  readonly store: DocStore;
  /** The document names of every append call that reached the gate, in order. */
  readonly calls: string[][] = [];
  /** Appends waiting for release; undefined while the gate is open. */
  private waiters: Array<() => void> | undefined;

  /** Open by default; `held: true` holds from the first append. */
  constructor(
    readonly inner: DocStore,
    { held = false } = {},
  ) {
    if (held) this.waiters = [];
    this.store = Object.assign(Object.create(inner) as DocStore, {
      append: async (appends: DocAppend[]): Promise<void> => {
        this.calls.push(appends.map((append) => append.name));
        if (this.waiters) await new Promise<void>((resolve) => this.waiters!.push(resolve));
        return inner.append(appends);
      },
    });
  }

  /** Hold every append from now on, until {@link release}. */
  hold(): void {
    this.waiters ??= [];
  }

  /** Let the waiting appends, and every later one, through. */
  release(): void {
    const waiting = this.waiters ?? [];
    this.waiters = undefined;
    for (const resume of waiting) resume();
  }

  /** Appends waiting at the gate now. */
  get waiting(): number {
    return this.waiters?.length ?? 0;
  }
}
