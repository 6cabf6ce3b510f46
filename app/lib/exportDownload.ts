/**
 * The browser's side of the sync server's export (`GET /api/docs/<doc>/export?format=…`): fetched
 * with the page's token as a bearer header (never in the URL), saved as a download under the name
 * the server gives.
 */
import { type ExportFormat, exportUrl, syncHttpBase } from '@tandem/protocol';

/** A failed export, with the message to show. */
export class ExportError extends Error {
  override name = 'ExportError';
}

/** The file name in a Content-Disposition header (`filename*` first); `fallback` without one. */
export function downloadName(disposition: string | null, fallback: string): string {
  const extended = /filename\*=UTF-8''([^;]+)/i.exec(disposition ?? '')?.[1];
  if (extended) {
    try {
      return decodeURIComponent(extended);
    } catch {
      // fall through to the plain name
    }
  }
  return /filename="([^"]+)"/i.exec(disposition ?? '')?.[1] ?? fallback;
}

/** Fetch the export of `docName` from the sync server at `syncUrl` and save it. */
export async function downloadExport(syncUrl: string, docName: string, format: ExportFormat, token: string | undefined): Promise<void> {
  let response: Response;
  try {
    response = await fetch(exportUrl(syncHttpBase(syncUrl), docName, format), {
      headers: token ? { authorization: `Bearer ${token}` } : {},
      credentials: 'omit',
      cache: 'no-store',
    });
  } catch {
    throw new ExportError('The sync server is not reachable. Check your connection and try again.');
  }
  if (response.status === 404) throw new ExportError('There is nothing to export yet: the document is empty.');
  if (!response.ok) throw new ExportError(`The export failed: the server answered ${response.status}.`);
  const blob = await response.blob();
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = downloadName(response.headers.get('content-disposition'), `${docName}.${format}`);
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
