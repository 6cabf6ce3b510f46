/**
 * A file chosen on the document list to become a new document. The list cannot write into a
 * document (that takes an editor), so the file waits in this browser's IndexedDB while the app
 * opens a new document, whose page then imports it (see DocumentView) and forgets it.
 */
import { createStore, del, get, set } from 'idb-keyval';

const store = () => createStore('tandem-pending-imports', 'files');

/** The URL parameter that names a waiting import. */
export const IMPORT_PARAM = 'import';

/** Keep `file` for the new document's page; returns its id. */
export async function keepPendingImport(file: File): Promise<string> {
  const id = crypto.randomUUID();
  await set(id, file, store());
  return id;
}

/** Take the waiting file `id` (it is forgotten); undefined if there is none. */
export async function takePendingImport(id: string): Promise<File | undefined> {
  const file = await get<File>(id, store());
  await del(id, store());
  return file;
}
