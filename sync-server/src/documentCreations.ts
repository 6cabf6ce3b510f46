/**
 * A cap on the documents one token creates. A prefix token (`doc: "team-*"`) opens any number of
 * names, and each new name is a new document on disk: the security probe created 200 with one
 * token. A write connection that opens a document holding nothing counts as creating it for its
 * token (its `sub` and `jti`, or a hash of the token: see Grant.tokenKey), once per document, in a
 * sliding window of {@link CREATION_WINDOW_MS}. Past the cap the server refuses (HTTP 429 at the
 * upgrade). Reopening a document the token created, or opening one that holds something, is not
 * creating.
 *
 * Bounded: at most {@link MAX_TRACKED_TOKENS} tokens are remembered, the least recently active
 * forgotten first (a forgotten token starts afresh; each token is minted by the operator's
 * backend, so an attacker cannot make more of them).
 */

/** The window the cap counts over. */
export const CREATION_WINDOW_MS = 60 * 60 * 1000;
/** Tokens remembered at once. */
export const MAX_TRACKED_TOKENS = 10_000;

export class DocumentCreations {
  /** Per token, the documents it created and when; tokens in order of last activity. */
  private readonly byToken = new Map<string, Map<string, number>>();

  constructor(
    /** Documents per token per window; 0 means unlimited. */
    private readonly maxPerToken: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Count `docName` as created by the token; false (and nothing counted) when it is over its cap. */
  tryCreate(tokenKey: string, docName: string): boolean {
    if (this.maxPerToken === 0) return true;
    const created = this.createdBy(tokenKey) ?? new Map<string, number>();
    if (!created.has(docName) && created.size >= this.maxPerToken) return false;
    this.byToken.delete(tokenKey); // re-insert: most recently active last
    this.byToken.set(tokenKey, created);
    if (!created.has(docName)) created.set(docName, this.now());
    if (this.byToken.size > MAX_TRACKED_TOKENS) this.byToken.delete(this.byToken.keys().next().value!);
    return true;
  }

  /** The documents the token created within the window (older ones dropped), if it created any. */
  private createdBy(tokenKey: string): Map<string, number> | undefined {
    const created = this.byToken.get(tokenKey);
    if (!created) return undefined;
    const since = this.now() - CREATION_WINDOW_MS;
    for (const [name, at] of created) if (at < since) created.delete(name);
    return created;
  }
}
