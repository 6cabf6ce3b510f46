/**
 * Who set which presence (awareness) client ID in which document, remembered server-wide.
 *
 * A client ID belongs to the person who first set it (token subject, or address in open mode).
 * The memory must outlive the connection and the room: when Alice's tab drops and her document
 * unloads, a view-only visitor could otherwise set her client ID with a huge clock, and when her
 * tab came back its own presence updates would be ignored as old (the security probe did this).
 * So claims live here, not in a Room, and last until {@link CLAIM_TTL_MS} after their owner last
 * used or left them. The clock each ID last had is kept too, so a clock far ahead of it can be
 * refused (see Presence).
 *
 * Bounded: at most `maxClaims`; past that the claims unused the longest go first, but never one
 * whose owner is connected.
 */

/** How long a claim outlives its owner's last use of it. */
export const CLAIM_TTL_MS = 24 * 60 * 60 * 1000;
/** How many claims the server remembers at most (about 150 bytes each). */
export const MAX_CLAIMS = 100_000;

export interface PresenceClaim {
  /** The person behind the client ID ("user:<sub>" or "address:<ip>"). */
  readonly person: string;
  /** The last clock accepted for the client ID. */
  clock: number;
  /** A connection currently holds the client ID: the claim is not evicted. */
  held: boolean;
  /** When the claim was last used (ms since the epoch). */
  touchedAt: number;
}

export class PresenceClaims {
  /** In order of last use, oldest first (a used claim is re-inserted at the end). */
  private readonly claims = new Map<string, PresenceClaim>();

  constructor(
    private readonly maxClaims = MAX_CLAIMS,
    private readonly ttlMs = CLAIM_TTL_MS,
    private readonly now: () => number = Date.now,
  ) {}

  get size(): number {
    return this.claims.size;
  }

  /** The live claim on `clientId` in `docName`, if any. */
  get(docName: string, clientId: number): PresenceClaim | undefined {
    const key = keyOf(docName, clientId);
    const claim = this.claims.get(key);
    if (claim && !claim.held && this.now() - claim.touchedAt > this.ttlMs) {
      this.claims.delete(key);
      return undefined;
    }
    return claim;
  }

  /** `person` set `clientId` in `docName` at `clock`, and a connection holds it now. */
  hold(docName: string, clientId: number, person: string, clock: number): void {
    this.put(docName, clientId, { person, clock, held: true, touchedAt: this.now() });
  }

  /** The client ID's holder left it (or removed its state) at `clock`; the claim stays for the TTL. */
  release(docName: string, clientId: number, clock: number): void {
    const claim = this.claims.get(keyOf(docName, clientId));
    if (claim) this.put(docName, clientId, { ...claim, clock: Math.max(claim.clock, clock), held: false, touchedAt: this.now() });
  }

  private put(docName: string, clientId: number, claim: PresenceClaim): void {
    const key = keyOf(docName, clientId);
    this.claims.delete(key); // re-insert: the map's order is least recently used first
    this.claims.set(key, claim);
    if (this.claims.size > this.maxClaims) this.evict();
  }

  /** Drop expired claims, then the least recently used ones, until within the bound; held claims stay. */
  private evict(): void {
    const expiredBefore = this.now() - this.ttlMs;
    const held: Array<[string, PresenceClaim]> = [];
    let excess = this.claims.size - this.maxClaims;
    for (const [key, claim] of this.claims) {
      if (excess <= 0 && claim.touchedAt >= expiredBefore) break;
      this.claims.delete(key);
      // A held claim is moved to the end instead, so the next eviction does not walk past it again.
      if (claim.held) held.push([key, claim]);
      else excess--;
    }
    for (const [key, claim] of held) this.claims.set(key, claim);
  }
}

const keyOf = (docName: string, clientId: number): string => `${clientId}:${docName}`;
