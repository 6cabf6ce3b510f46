import { isValidDocName } from '@tandem/protocol';
import type { Metadata } from 'next';
import { forbidden, notFound } from 'next/navigation';
import { connection } from 'next/server';
import { DeletedDocument } from '@/components/DeletedDocument';
import { DocumentView } from '@/components/DocumentView';
import { SyncUnavailable } from '@/components/SyncUnavailable';
import { checkLinkKey } from '@/lib/auth';
import { getAuthConfig } from '@/lib/authServer';
import { fetchDocStatus, refusedAppToken } from '@/lib/syncApi';
import { getSyncUrl } from '@/lib/syncUrl';

export const metadata: Metadata = { title: 'Document (view only) · Tandem' };

/**
 * `/v/<docName>?key=…`: the document, read-only, with presence. With a secret the key must be the
 * document's current view key, and the app mints only `read` tokens for it (the sync server drops
 * any change sent with one). In open mode nothing is enforced: it is the editor without editing.
 * A document in the trash says so (a view link cannot restore it).
 */
export default async function ViewPage({
  params,
  searchParams,
}: {
  params: Promise<{ docName: string }>;
  searchParams: Promise<{ key?: string | string[] }>;
}) {
  await connection();
  const { docName } = await params;
  if (!isValidDocName(docName)) notFound();
  const config = getAuthConfig();
  const { key } = await searchParams;
  const status = await fetchDocStatus(config, docName);
  if (config) {
    if (refusedAppToken(status)) forbidden(); // the app and the sync server do not share the secret: no key opens anything
    if (!status.ok) return <SyncUnavailable error={status.error} />;
    if (typeof key !== 'string' || !checkLinkKey(config.secret, 'read', docName, key, status.value.links.read)) forbidden();
  }
  if (status.ok && status.value.trash) return <DeletedDocument docName={docName} trash={status.value.trash} canRestore={false} />;
  return <DocumentView docName={docName} syncUrl={getSyncUrl()} access={{ mode: 'read', key: config ? (key as string) : undefined }} />;
}
