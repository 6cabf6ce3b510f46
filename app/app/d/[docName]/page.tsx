import { isValidDocName } from '@tandem/protocol';
import type { Metadata } from 'next';
import { forbidden, notFound } from 'next/navigation';
import { connection } from 'next/server';
import { DocumentView } from '@/components/DocumentView';
import { checkLinkKey, editPath, viewPath } from '@/lib/auth';
import { getAuthConfig } from '@/lib/authServer';
import { getSyncUrl } from '@/lib/syncUrl';

export const metadata: Metadata = { title: 'Document · Tandem' };

/**
 * `/d/<docName>`: the editor page. Invalid names are a 404, never a connection attempt. With a
 * secret (`TANDEM_AUTH_SECRET`) the link must carry the document's edit key (`?key=…`, HTTP 403
 * otherwise); the page then trades it for `write` tokens and offers the view-only link too.
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
  if (config) {
    if (typeof key !== 'string' || !checkLinkKey(config.secret, 'write', docName, key)) forbidden();
    const links = { edit: editPath(docName, config), view: viewPath(docName, config) };
    return <DocumentView docName={docName} syncUrl={getSyncUrl()} access={{ mode: 'write', key, links }} />;
  }
  return <DocumentView docName={docName} syncUrl={getSyncUrl()} token={typeof token === 'string' ? token : undefined} />;
}
