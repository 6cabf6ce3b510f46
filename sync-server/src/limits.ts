/**
 * Per-connection, per-address and server-wide limits. Small bookkeeping; the server decides what
 * a refusal looks like (a close code or an HTTP status).
 */

/** What the server-wide backlog limit needs of a connection. */
export interface BacklogHolder {
  /** Every byte waiting to be sent to it, sync answers included. */
  readonly heldBytes: number;
  dropAsTooSlow(why: string): void;
}

/** A token bucket: `perSecond` messages a second on average, bursts up to twice that. */
export class MessageRateLimiter {
  private tokens: number;
  private last: number;
  private readonly capacity: number;

  constructor(
    private readonly perSecond: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.capacity = perSecond * 2;
    this.tokens = this.capacity;
    this.last = now();
  }

  /** Take one token; false when the bucket is empty. */
  take(): boolean {
    const now = this.now();
    this.tokens = Math.min(this.capacity, this.tokens + ((now - this.last) / 1000) * this.perSecond);
    this.last = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

/** Open connections per client address. */
export class ConnectionsPerAddress {
  private readonly counts = new Map<string, number>();

  constructor(private readonly max: number) {}

  /** Reserve a slot for `address`; false when it already has `max` (0 = unlimited). */
  tryAcquire(address: string): boolean {
    const count = this.counts.get(address) ?? 0;
    if (this.max > 0 && count >= this.max) return false;
    this.counts.set(address, count + 1);
    return true;
  }

  release(address: string): void {
    const count = (this.counts.get(address) ?? 1) - 1;
    if (count <= 0) this.counts.delete(address);
    else this.counts.set(address, count);
  }
}

/**
 * Hold what waits to be sent to all connections together within `limit`: the per-connection limit
 * alone lets many connections that stop reading (one address may open hundreds) cost gigabytes.
 * Sync answers count here too, or many clients asking for a large document and reading nothing
 * would escape every limit. Past it, the connections with the most waiting are dropped first,
 * until the rest fit.
 */
export function limitTotalBacklog(connections: Iterable<BacklogHolder>, limit: number): void {
  let total = 0;
  const waiting: Array<{ conn: BacklogHolder; bytes: number }> = [];
  for (const conn of connections) {
    const bytes = conn.heldBytes;
    if (bytes === 0) continue;
    total += bytes;
    waiting.push({ conn, bytes });
  }
  if (total <= limit) return;
  waiting.sort((a, b) => b.bytes - a.bytes);
  for (const { conn, bytes } of waiting) {
    if (total <= limit) return;
    conn.dropAsTooSlow(`the server holds more than ${limit} bytes for readers that fall behind, and this one holds the most`);
    total -= bytes;
  }
}
