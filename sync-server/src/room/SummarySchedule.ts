/**
 * When a room writes its listing summary (title, size, update time) and state vector with an
 * append: at most once a second, and at every compaction. Neither is needed to load the document
 * whole, and they would triple the keys written for every keystroke. An append that goes without
 * them arms a timer, so the last second of a burst of edits (a new title, say) still reaches the
 * listing while people stay in the document.
 */

/** Least time between two writes of a document's summary. */
const SUMMARY_INTERVAL_MS = 1000;

export class SummarySchedule {
  /** When the summary was last written (performance.now()); the first append always carries one. */
  private writtenAt = Number.NEGATIVE_INFINITY;
  private timer: NodeJS.Timeout | undefined = undefined;
  /** The next cut writes the summary, even with no updates. */
  owed = false;

  /** @param onOwed the summary is owed now: have the room cut. */
  constructor(private readonly onOwed: () => void) {}

  /** Whether the append being made now carries the summary; when not, the timer makes sure a later one does. */
  takeDue(): boolean {
    const now = performance.now();
    if (this.owed || now - this.writtenAt >= SUMMARY_INTERVAL_MS) {
      this.writtenAt = now;
      this.owed = false;
      return true;
    }
    this.timer ??= setTimeout(() => this.oweNow(), this.writtenAt + SUMMARY_INTERVAL_MS - now);
    return false;
  }

  /** A summary waits for its timer (or the room unloads): owe it now. */
  oweNow(): void {
    if (!this.timer) return;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.owed = true;
    this.onOwed();
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.owed = false;
  }
}
