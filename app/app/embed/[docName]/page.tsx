import { isValidDocName } from '@tandem/protocol';
import { forbidden, notFound } from 'next/navigation';
import { connection } from 'next/server';
import { EmbedView } from '@/components/EmbedView';
import { accessForKey } from '@/lib/auth';
import { getAuthConfig } from '@/lib/authServer';
import { embedRefusal, type EmbedRefusal } from '@/lib/embedAccess';
import { fetchDocStatus, refusedAppToken } from '@/lib/syncApi';
import { getSyncUrl } from '@/lib/syncUrl';

type Query = Record<string, string | string[] | undefined>;
const one = (value: string | string[] | undefined) => (typeof value === 'string' ? value : undefined);

/**
 * `/embed/<docName>`: the bare editor, for iframes on any site.
 * Query: `name`, `color` (`#rrggbb`), `token`, `readonly=1`, `toolbar=0`. With a secret: `key`
 * (a document's edit or view key; the embed then refreshes its own tokens), or a `token` you mint.
 * With `readonly=1` the embed only ever asks for `read` tokens, whichever key it carries, and shows
 * no toolbar. An embed the sync server would refuse (no key or token, a token that is not valid
 * for this document, a document in the trash) says so instead of showing an editor that could
 * save nothing.
 */
export default async function EmbedPage({ params, searchParams }: { params: Promise<{ docName: string }>; searchParams: Promise<Query> }) {
  await connection();
  const { docName } = await params;
  if (!isValidDocName(docName)) notFound();
  const query = await searchParams;
  const config = getAuthConfig();
  const readOnly = one(query.readonly) === '1' || one(query.readonly) === 'true';
  const linkKey = config ? one(query.key) : undefined;
  const status = await fetchDocStatus(config, docName);
  const granted = config && linkKey && status.ok ? accessForKey(config.secret, docName, linkKey, status.value.links) : undefined;
  if (linkKey && status.ok && !granted) forbidden();
  // A read-only embed asks for read tokens even with an edit key, so that the sync server, not
  // only the page, refuses changes from it.
  const access = granted && readOnly ? 'read' : granted;
  const token = one(query.token);
  const refusal: EmbedRefusal | undefined =
    status.ok && status.value.trash
      ? 'document-deleted'
      : linkKey && !status.ok
        ? refusedAppToken(status) ? 'link-refused' : 'unavailable'
        : await embedRefusal(config, docName, token, linkKey);
  return (
    <div className="embed">
      <EmbedView
        docName={docName}
        syncUrl={getSyncUrl()}
        refusal={refusal}
        options={{
          name: one(query.name),
          color: one(query.color),
          token,
          readOnly,
          toolbar: one(query.toolbar) !== '0',
          ...(access ? { linkKey, access } : {}),
        }}
      />
    </div>
  );
}
