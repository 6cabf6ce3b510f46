import { isValidDocName } from '@tandem/protocol';
import type { Metadata } from 'next';
import { forbidden, notFound } from 'next/navigation';
import { connection } from 'next/server';
import { DeletedDocument } from '@/components/DeletedDocument';
import { DocumentView } from '@/components/DocumentView';
import { SyncUnavailable } from '@/components/SyncUnavailable';
import { checkLinkKey, editPath, viewPath } from '@/lib/auth';
import { getAuthConfig } from '@/lib/authServer';
import { fetchDocStatus, refusedAppToken } from '@/lib/syncApi';
import { getSyncUrl } from '@/lib/syncUrl';

export const metadata: Metadata = { title: 'Document · Tandem' };

/**
 * `/d/<docName>`: the editor page. Invalid names are a 404, never a connection attempt. With a
 * secret (`TANDEM_AUTH_SECRET`) the link must carry the document's current edit key (`?key=…`,
 * HTTP 403 otherwise: a key of a link reset since opens nothing); the page then trades it for
 * `write` tokens and offers the view-only link too. A document in the trash shows when it was
 * deleted and a way to restore it instead.
 */
export default async function DocumentPage({
  params,
  searchParams,
}: {
  params: Promise<{ docName: string }>;
  searchParams: Promise<{ token?: string | string[]; key?: string | string[] }>;
}) {
  await connection();
  const { docName } = await params;
  if (!isValidDocName(docName)) notFound();
  const { token, key } = await searchParams;
  const config = getAuthConfig();
  const status = await fetchDocStatus(config, docName);
  if (config) {
    if (refusedAppToken(status)) forbidden(); // the app and the sync server do not share the secret: no key opens anything
    if (!status.ok) return <SyncUnavailable error={status.error} />;
    const generations = status.value.links;
    if (typeof key !== 'string' || !checkLinkKey(config.secret, 'write', docName, key, generations.write)) forbidden();
    if (status.value.trash) return <DeletedDocument docName={docName} trash={status.value.trash} canRestore restoreKey={key} />;
    const links = { edit: editPath(docName, config, generations), view: viewPath(docName, config, generations) };
    return <DocumentView docName={docName} syncUrl={getSyncUrl()} access={{ mode: 'write', key, links }} />;
  }
  // Open mode: an unreachable sync server still opens the editor (with what this browser kept).
  if (status.ok && status.value.trash) return <DeletedDocument docName={docName} trash={status.value.trash} canRestore />;
  return <DocumentView docName={docName} syncUrl={getSyncUrl()} token={typeof token === 'string' ? token : undefined} />;
}
