/**
 * The server's one write path to storage: every room with pending updates is cut in the same
 * event-loop turn, and what they all append goes to storage as ONE atomic batch; only once it is
 * stored does each room deliver. While a batch is in flight new work waits and goes in the next
 * one (group commit across the whole server). A storage batch costs the same few dozen
 * microseconds of thread hand-off however many documents it carries, so this is what keeps a
 * server with many busy documents cheap per edit.
 */
import type { ServerMetrics } from './metrics.js';
import type { DocAppend, DocStore } from './storage/DocStore.js';

/** One room's cut: what it stores (if anything), and what it does once that is stored or failed. */
export interface PreparedCut {
  append: DocAppend | undefined;
  stored(): void;
  failed(error: Error): void;
}

/** A room as the pipeline sees it. */
export interface CutSource {
  /** Take everything pending now; undefined when the room cannot be cut (busy or closed). */
  takeCut(): PreparedCut | undefined;
}

export class WritePipeline {
  private readonly due = new Set<CutSource>();
  private scheduled = false;
  private writing = false;

  constructor(
    private readonly store: DocStore,
    private readonly metrics: ServerMetrics,
  ) {}

  /** `source` has pending work: cut it at the end of this turn, or after the batch in flight. */
  schedule(source: CutSource): void {
    this.due.add(source);
    if (this.scheduled || this.writing) return;
    this.scheduled = true;
    setImmediate(this.cutAll);
  }

  private readonly cutAll = (): void => {
    this.scheduled = false;
    const cuts: PreparedCut[] = [];
    for (const source of this.due) {
      const cut = source.takeCut();
      if (cut) cuts.push(cut);
    }
    this.due.clear();
    const appends = cuts.flatMap((cut) => (cut.append ? [cut.append] : []));
    if (appends.length === 0) {
      for (const cut of cuts) cut.stored();
      return;
    }
    this.writing = true;
    const started = performance.now();
    this.store.append(appends).then(
      () => {
        this.metrics.storageWriteSeconds.observe((performance.now() - started) / 1000);
        this.settle(cuts, (cut) => cut.stored());
      },
      (error: Error) => this.settle(cuts, (cut) => cut.failed(error)),
    );
  };

  /** Let every cut of the batch finish, then cut what arrived meanwhile. */
  private settle(cuts: PreparedCut[], finish: (cut: PreparedCut) => void): void {
    this.writing = false;
    for (const cut of cuts) {
      try {
        finish(cut);
      } catch (error) {
        // One room's failure to deliver must not stop the others' (this runs in a promise callback).
        cut.failed(error as Error);
      }
    }
    if (this.due.size > 0 && !this.scheduled) this.cutAll();
  }
}
