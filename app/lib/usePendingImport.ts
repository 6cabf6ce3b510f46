'use client';

import { ImportError, importFileIntoEditor, setTitle, getTitle, type TandemEditor } from '@tandem/editor';
import { useEffect, useState } from 'react';
import { IMPORT_PARAM, takePendingImport } from './pendingImport';

/**
 * A new document opened from the document list's Import (`?import=<id>`): once the editor has the
 * document from the server, the waiting file is imported into it — only if it is still empty — and
 * becomes its title, then the parameter leaves the address bar. Returns what to tell the person.
 */
export function usePendingImport(editor: TandemEditor | null, synced: boolean): string | null {
  const [message, setMessage] = useState<string | null>(null);
  useEffect(() => {
    if (!editor || !synced) return;
    const url = new URL(window.location.href);
    const id = url.searchParams.get(IMPORT_PARAM);
    if (!id) return;
    url.searchParams.delete(IMPORT_PARAM);
    window.history.replaceState(window.history.state, '', url);
    void (async () => {
      const file = await takePendingImport(id).catch(() => undefined);
      if (!file) return setMessage('The file to import was not found in this browser. Import it again from the document list.');
      const { doc } = editor.view.state;
      if (doc.childCount > 1 || doc.textContent !== '') return setMessage('This document is not empty, so nothing was imported into it.');
      try {
        const { title, notes } = await importFileIntoEditor(editor.view, file, { replaceAll: true });
        if (!getTitle(editor.doc).trim() && title) setTitle(editor.doc, title);
        setMessage(notes.length > 0 ? `Imported “${file.name}”. ${notes.join(' ')}` : null);
      } catch (error) {
        setMessage(error instanceof ImportError ? error.message : `“${file.name}” could not be imported.`);
      }
    })();
  }, [editor, synced]);
  return message;
}
