/**
 * The sync server's document-management API, as its clients (Tandem's app) read it: the paged
 * document list, the trash, and one document's status. PROTOCOL.md describes the routes.
 */
import type { LinkGenerations } from './linkClaim.js';

/** How `GET /api/docs` orders documents: last edited first, or by title (A–Z, untitled last). */
export type DocSort = 'updated' | 'title';
export const DOC_SORTS: readonly DocSort[] = ['updated', 'title'];

/** Documents per page when `limit` is not given, and the most one page may hold. */
export const DEFAULT_DOC_PAGE_SIZE = 100;
export const MAX_DOC_PAGE_SIZE = 500;
/** Longest search (`q`), in characters. */
export const MAX_DOC_QUERY_LENGTH = 200;

/** What storage keeps about one document for listings (the sync server's `DocStore.list()`). */
export interface DocSummary {
  name: string;
  title: string | null;
  /** Bytes stored (snapshot plus log). */
  size: number;
  /** ISO 8601 time of the last write. */
  updatedAt: string;
}

/** One document in a listing. */
export interface DocListEntry extends DocSummary {
  /** Who made the last edit the server recorded (a token's `name` or `sub`, or a presence name in open mode). */
  lastEditedBy: string | null;
}

/** One document in the trash. */
export interface TrashEntry extends DocListEntry {
  /** ISO 8601 time it was moved to the trash. */
  deletedAt: string;
  deletedBy: string | null;
  /** When the server deletes it for good unless it is restored (the retention period ends). */
  purgeAt: string;
}

/** A page of a listing; `nextCursor` asks for the next one (`?cursor=`), null on the last page. */
export interface DocListPage<T = DocListEntry> {
  docs: T[];
  nextCursor: string | null;
}

/** `GET /api/docs/<doc>`: whether the document is in the trash, and its share links' generations. */
export interface DocStatus {
  name: string;
  /** Null unless the document is in the trash. */
  trash: { deletedAt: string; deletedBy: string | null; purgeAt: string } | null;
  links: LinkGenerations;
}

/** What a duplicate's title gets after the original's. */
export const DUPLICATE_TITLE_SUFFIX = ' (copy)';
