import { isValidDocName } from '@tandem/protocol';
import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { connection } from 'next/server';
import { DocumentView } from '@/components/DocumentView';
import { getSyncUrl } from '@/lib/syncUrl';

export const metadata: Metadata = { title: 'Document · Tandem' };

/** `/d/<docName>`: the editor page. Invalid names are a 404, never a connection attempt. */
export default async function DocumentPage({
  params,
  searchParams,
}: {
  params: Promise<{ docName: string }>;
  searchParams: Promise<{ token?: string | string[] }>;
}) {
  await connection();
  const { docName } = await params;
  if (!isValidDocName(docName)) notFound();
  const { token } = await searchParams;
  return <DocumentView docName={docName} syncUrl={getSyncUrl()} token={typeof token === 'string' ? token : undefined} />;
}
