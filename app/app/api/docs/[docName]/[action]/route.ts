import { INITIAL_LINK_GENERATIONS, isLinkPurpose, isValidDocName } from '@tandem/protocol';
import { NextResponse, type NextRequest } from 'next/server';
import { editPath, subjectOfUserCookie, USER_COOKIE, viewPath } from '@/lib/auth';
import { getAuthConfig, isOperator } from '@/lib/authServer';
import { isDocumentAction, mayTakeAction } from '@/lib/documentActions';
import { readJsonObject } from '@/lib/requestBody';
import { newDocName } from '@/lib/newDocName';
import { deleteDocumentForGood, duplicateDocument, fetchDocStatus, renameDocument, restoreDocument, rotateLink, trashDocument, type Requester, type SyncResult } from '@/lib/syncApi';

/** An action's request is a few hundred bytes. */
const MAX_BODY_BYTES = 8 * 1024;
/** Fresh names tried for a copy (each is 50 random bits: a clash is all but impossible). */
const COPY_NAME_ATTEMPTS = 3;

const noStore = { 'Cache-Control': 'no-store' };
const fail = (status: number, error: string) => NextResponse.json({ error }, { status, headers: noStore });
const answer = <T,>(result: SyncResult<T>, body: (value: T) => unknown) =>
  result.ok ? NextResponse.json(body(result.value), { headers: noStore }) : fail(result.status, result.error);

/**
 * `POST /api/docs/<doc>/<action>` `{ key?, name?, … }`: what the document list, the trash, the
 * Share menu and the document page ask of the sync server for a document — `trash`, `restore`,
 * `delete` (for good), `rotate-link` (`{ link: "read" | "write" }`, answers the new share paths),
 * `rename` (`{ title }`), `duplicate` (answers the copy's name and path).
 * Who may: lib/documentActions.ts. `name` is the asker's display name, recorded as who deleted.
 * JSON only (a form on another site cannot send it), and the operator cookie is SameSite=Lax.
 */
export async function POST(request: NextRequest, { params }: { params: Promise<{ docName: string; action: string }> }) {
  const { docName, action } = await params;
  if (!isValidDocName(docName)) return fail(400, 'Invalid document name.');
  if (!isDocumentAction(action)) return fail(404, 'No such action.');
  if (!request.headers.get('content-type')?.toLowerCase().startsWith('application/json')) return fail(415, 'Send JSON.');
  const read = await readJsonObject(request, MAX_BODY_BYTES);
  if (!read.ok) return fail(read.status, read.error);
  const body = read.value;
  const config = getAuthConfig();
  const status = await fetchDocStatus(config, docName);
  if (!status.ok) return fail(status.status, status.error);
  const links = status.value.links;
  if (!mayTakeAction(config, { action, docName, operator: await isOperator(config), key: body.key, links })) {
    return fail(403, 'This link does not allow that.');
  }
  const who: Requester = {
    sub: config ? subjectOfUserCookie(config.secret, request.cookies.get(USER_COOKIE)?.value) : undefined,
    name: typeof body.name === 'string' ? body.name.trim().slice(0, 40) || undefined : undefined,
  };
  switch (action) {
    case 'trash':
      return answer(await trashDocument(config, docName, who), (value) => value);
    case 'restore':
      return answer(await restoreDocument(config, docName, who), () => ({ path: editPath(docName, config, links) }));
    case 'delete':
      return answer(await deleteDocumentForGood(config, docName, who), () => ({ deleted: true }));
    case 'rotate-link': {
      if (!isLinkPurpose(body.link)) return fail(400, 'link must be "read" or "write".');
      const rotated = await rotateLink(config, docName, body.link, who);
      return answer(rotated, (generations) => ({ links: { edit: editPath(docName, config, generations), view: viewPath(docName, config, generations) } }));
    }
    case 'rename': {
      if (typeof body.title !== 'string') return fail(400, 'title must be a string.');
      return answer(await renameDocument(config, docName, body.title, who), (value) => value);
    }
    case 'duplicate': {
      for (let attempt = 0; ; attempt++) {
        const copy = await duplicateDocument(config, docName, newDocName(), who);
        if (copy.ok || copy.status !== 409 || attempt + 1 >= COPY_NAME_ATTEMPTS) {
          return answer(copy, (value) => ({ ...value, path: editPath(value.name, config, INITIAL_LINK_GENERATIONS) }));
        }
      }
    }
  }
}
