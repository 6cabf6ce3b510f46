/**
 * The `doc` claim of a sync-server token: one document's name, or a prefix ending in `*` that
 * covers every document whose name starts with it (`team-*`).
 */

/** True when a token whose `doc` claim is `claim` opens the document `docName`. */
export function docClaimCovers(claim: string, docName: string): boolean {
  return claim.endsWith('*') ? docName.startsWith(claim.slice(0, -1)) : claim === docName;
}
