import { isValidDocName } from '@tandem/protocol';
import { notFound } from 'next/navigation';
import { connection } from 'next/server';
import { EmbedView } from '@/components/EmbedView';
import { getSyncUrl } from '@/lib/syncUrl';

type Query = Record<string, string | string[] | undefined>;
const one = (value: string | string[] | undefined) => (typeof value === 'string' ? value : undefined);

/**
 * `/embed/<docName>`: the bare editor, for iframes on any site.
 * Query: `name`, `color` (`#rrggbb`), `token`, `readonly=1`, `toolbar=0`.
 */
export default async function EmbedPage({ params, searchParams }: { params: Promise<{ docName: string }>; searchParams: Promise<Query> }) {
  await connection();
  const { docName } = await params;
  if (!isValidDocName(docName)) notFound();
  const query = await searchParams;
  return (
    <div className="embed">
      <EmbedView
        docName={docName}
        syncUrl={getSyncUrl()}
        options={{
          name: one(query.name),
          color: one(query.color),
          token: one(query.token),
          readOnly: one(query.readonly) === '1' || one(query.readonly) === 'true',
          toolbar: one(query.toolbar) !== '0',
        }}
      />
    </div>
  );
}
