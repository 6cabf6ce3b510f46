/**
 * The version-history API of the sync server (`/api/docs/<doc>/versions…`, see PROTOCOL.md,
 * "Version history"): the shapes it answers with, for the server and every client of it.
 */

/**
 * Why a version exists: an `auto` checkpoint taken when editing paused or the document was
 * unloaded, a `named` one someone made, or the `before-restore` one taken just before a restore.
 */
export type VersionKind = 'auto' | 'named' | 'before-restore';

export const VERSION_KINDS: readonly VersionKind[] = ['auto', 'named', 'before-restore'];

/** Someone whose edits went into a version: the token's `sub` (as `id`) and `name`, or in open mode the presence name. */
export interface VersionAuthor {
  name: string;
  /** The token subject; absent in open mode. */
  id?: string;
}

/** One version, as `GET /api/docs/<doc>/versions` lists it (newest first). */
export interface VersionInfo {
  /** Opaque, URL-safe (`A-Z a-z 0-9 . _ -`); sorts by creation time. */
  id: string;
  /** ISO 8601. */
  createdAt: string;
  kind: VersionKind;
  /** The name given to a `named` version. */
  label?: string;
  /** Who edited the document since the version before this one. */
  authors: VersionAuthor[];
  /** Bytes the version's content takes in storage (shared with identical versions). */
  bytes: number;
}

/** The answer to `POST /api/docs/<doc>/versions/<id>/restore`. */
export interface RestoreResult {
  /** The version whose content the document now has. */
  restored: string;
  /** The checkpoint of what the document held just before: restore it to undo the restore. */
  beforeRestore: string;
}

/** Longest label of a named version, in characters. */
export const MAX_VERSION_LABEL_LENGTH = 100;
