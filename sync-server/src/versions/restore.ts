/**
 * Restore: the live document takes a version's content as a new forward update made by the
 * server. First a before-restore checkpoint is kept (stored before anything changes, so the
 * restore can be undone by restoring it); then, at the room's next cut, the title is set and the
 * body changed where it differs from the version (see `writeDocument` in @tandem/document), stored
 * and relayed like any client's update. Clients keep their sessions: nobody reloads, and text
 * typed at that moment into blocks the restore leaves alone is kept.
 */
import { writeDocument } from '@tandem/document';
import type { RestoreResult } from '@tandem/protocol';
import type { Room } from '../Room.js';
import type { VersionStore } from './VersionStore.js';

/** Restore version `id` into `room`'s document; undefined when the document has no such version. */
export async function restoreVersion(room: Room, versions: VersionStore, id: string): Promise<RestoreResult | undefined> {
  const content = await versions.content(room.name, id);
  if (!content) return undefined;
  const before = await room.history.checkpoint('before-restore');
  if (!before) throw new Error('the before-restore checkpoint was not kept');
  await room.atNextCut((doc) => writeDocument(doc, content));
  return { restored: id, beforeRestore: before.id };
}
