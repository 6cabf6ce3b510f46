import { isValidDocName } from '@tandem/protocol';
import type { Metadata } from 'next';
import { forbidden, notFound } from 'next/navigation';
import { connection } from 'next/server';
import { DocumentView } from '@/components/DocumentView';
import { checkLinkKey } from '@/lib/auth';
import { getAuthConfig } from '@/lib/authServer';
import { getSyncUrl } from '@/lib/syncUrl';

export const metadata: Metadata = { title: 'Document (view only) · Tandem' };

/**
 * `/v/<docName>?key=…`: the document, read-only, with presence. With a secret the key must be the
 * document's view key, and the app mints only `read` tokens for it (the sync server drops any
 * change sent with one). In open mode nothing is enforced: it is the editor without editing.
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
  if (config && (typeof key !== 'string' || !checkLinkKey(config.secret, 'read', docName, key))) forbidden();
  return <DocumentView docName={docName} syncUrl={getSyncUrl()} access={{ mode: 'read', key: config ? (key as string) : undefined }} />;
}
