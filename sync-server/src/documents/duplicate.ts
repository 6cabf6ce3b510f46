/**
 * Duplicating a document: a new document holding a copy of the original's state as stored — its
 * text and title, with " (copy)" after the title — and of the images kept beside it. Its version
 * history is its own, starting now; its share links start at their first generation.
 */
import { readTitle, writeTitle } from '@tandem/document';
import { DUPLICATE_TITLE_SUFFIX, MAX_TITLE_LENGTH } from '@tandem/protocol';
import * as Y from 'yjs';
import { FILE_RECORD } from '../files/FileStore.js';
import type { Room } from '../Room.js';
import type { DocStore } from '../storage/DocStore.js';

/** Record kinds copied with the document: its images (files/FileStore.ts). Versions are not: the copy's history starts with it. */
export const COPIED_RECORD_KINDS = [FILE_RECORD] as const;

/** The copy's title: the original's (or "Untitled") with the suffix, within the title's length. */
export function copyTitle(original: string): string {
  const base = original.trim() || 'Untitled';
  return `${base.slice(0, MAX_TITLE_LENGTH - DUPLICATE_TITLE_SUFFIX.length)}${DUPLICATE_TITLE_SUFFIX}`;
}

/**
 * Write a copy of `original` (loaded, held by the caller) as `copyName`, which must hold nothing
 * and not be in memory. Resolves with the copy's title.
 */
export async function duplicateDocument(store: DocStore, original: Room, copyName: string): Promise<string> {
  const state = await original.atNextCut((doc) => Y.encodeStateAsUpdate(doc));
  const copy = new Y.Doc();
  try {
    Y.applyUpdate(copy, state);
    const title = copyTitle(readTitle(copy));
    writeTitle(copy, title);
    const update = Y.encodeStateAsUpdate(copy);
    for (const kind of COPIED_RECORD_KINDS) {
      for (const { id, value } of await store.listRecords(original.name, kind)) await store.putRecord(copyName, kind, id, value);
    }
    // The records first: the copy is listed (and can be opened) only once it is whole.
    await store.append([{ name: copyName, updates: [update], stateVector: Y.encodeStateVector(copy), summary: { title, totalBytes: update.byteLength } }]);
    store.release(copyName);
    return title;
  } finally {
    copy.destroy();
  }
}
