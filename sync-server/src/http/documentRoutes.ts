/**
 * The document-management API (PROTOCOL.md, "Managing documents"), authorised like the document's
 * WebSocket (requestAuth.ts): any token covering a document may read its status and list it; a
 * `write` token may trash, restore, delete for good and rotate links. A token minted from a share
 * link that has since been rotated is refused like at the upgrade.
 *
 *   GET    /api/docs[?q&sort&limit&cursor]      → 200 { docs, nextCursor }   (not the trashed ones)
 *   GET    /api/trash[?q&limit&cursor]          → 200 { docs, nextCursor }   (last deleted first)
 *   GET    /api/docs/<doc>                      → 200 DocStatus
 *   DELETE /api/docs/<doc>[?by=<name>]          → 200 { name, deletedAt, purgeAt }: into the trash
 *   DELETE /api/docs/<doc>?permanent=1          → 200 { name, deleted: true }: a trashed document, for good
 *   POST   /api/docs/<doc>/restore              → 200 { name }
 *   POST   /api/docs/<doc>/links/<read|write>/rotate → 200 { read, write }: the new generations
 *   PUT    /api/docs/<doc>/title  { "title" }   → 200 { name, title }: renamed by a server change
 *   POST   /api/docs/<doc>/duplicate  { "name" } → 201 { name, title }: a copy named `name`
 */
import { writeTitle } from '@tandem/document';
import { type DocListEntry, type DocStatus, type LinkPurpose, MAX_TITLE_LENGTH, type TrashEntry, isLinkPurpose, isValidDocName } from '@tandem/protocol';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type Grant, grantCovers } from '../auth.js';
import { DOCUMENT_DELETED, type DocumentGate } from '../documents/DocumentGate.js';
import type { LastEditors } from '../documents/LastEditors.js';
import { duplicateDocument } from '../documents/duplicate.js';
import type { LinkGenerations } from '../documents/LinkGenerations.js';
import { type Listable, listingPage, parseListingQuery } from '../documents/listing.js';
import type { Trash } from '../documents/Trash.js';
import type { TrashIndex, TrashRecord } from '../documents/TrashIndex.js';
import type { DocInfo, DocStore } from '../storage/DocStore.js';
import { readJsonBody } from './jsonBody.js';
import { type RequestAuthContext, requestGrant } from './requestAuth.js';
import { sendJson } from './respond.js';
import { type RoomAccess, withRoom } from './withRoom.js';

const ONE_DOCUMENT = /^\/api\/docs\/([^/]+)(?:\/(restore|title|duplicate)|\/links\/([^/]+)\/rotate)?$/;
/** A rename or duplicate request is a few hundred bytes. */
const MAX_BODY_BYTES = 8 * 1024;

/** Every path this module answers (and no other document API's). */
export function isDocumentPath(path: string): boolean {
  return path === '/api/docs' || path === '/api/trash' || ONE_DOCUMENT.test(path);
}

export interface DocumentRouteContext extends RequestAuthContext, RoomAccess {
  store: DocStore;
  trash: Trash;
  trashIndex: TrashIndex;
  links: LinkGenerations;
  lastEditors: LastEditors;
  gate: DocumentGate;
}

type Authorized = { grant: Grant | undefined };

/** Longest name kept as who trashed a document. */
const MAX_ACTOR_LENGTH = 100;

export async function handleDocumentRequest(req: IncomingMessage, res: ServerResponse, url: URL, ctx: DocumentRouteContext): Promise<void> {
  const method = req.method === 'HEAD' ? 'GET' : req.method;
  if (url.pathname === '/api/docs' || url.pathname === '/api/trash') {
    if (method !== 'GET') return sendJson(res, 405, { error: 'method not allowed' }, { Allow: 'GET' });
    const authorized = await requestGrant(req, res, url, ctx);
    if (!authorized) return;
    return url.pathname === '/api/docs' ? listDocuments(res, url, ctx, authorized) : listTrash(res, url, ctx, authorized);
  }
  const match = ONE_DOCUMENT.exec(url.pathname);
  if (!match) return sendJson(res, 404, { error: 'not found' });
  const [, docName, action, purpose] = match;
  if (!isValidDocName(docName!)) return sendJson(res, 400, { error: 'invalid document name: use 1-200 characters of A-Z a-z 0-9 . _ -' });
  if (purpose !== undefined && !isLinkPurpose(purpose)) return sendJson(res, 404, { error: 'not found: links are read or write' });
  const allowed = action === 'title' ? ['PUT'] : action || purpose ? ['POST'] : ['GET', 'DELETE'];
  if (!allowed.includes(method!)) return sendJson(res, 405, { error: 'method not allowed' }, { Allow: allowed.join(', ') });
  const authorized = await documentGrant(req, res, url, ctx, docName!, method !== 'GET');
  if (!authorized) return;
  if (method === 'GET') return status(res, docName!, ctx);
  const by = authorized.grant ? (authorized.grant.name ?? authorized.grant.userId) : openModeActor(url);
  if (action === 'restore') return restoreDocument(res, docName!, ctx);
  if (action === 'title') return rename(req, res, docName!, ctx);
  if (action === 'duplicate') return duplicate(req, res, docName!, ctx, authorized.grant);
  if (purpose) return rotateLink(res, docName!, purpose as LinkPurpose, ctx);
  return url.searchParams.get('permanent') === '1' ? deleteForGood(res, docName!, ctx) : moveToTrash(res, docName!, by, ctx);
}

/** Who trashes a document in open mode, where no token says: the name the client gives (`?by=`), if any. */
function openModeActor(url: URL): string | null {
  return url.searchParams.get('by')?.trim().slice(0, MAX_ACTOR_LENGTH) || null;
}

/**
 * The grant of a request for one document: covering it, not minted from a link rotated since
 * (requestAuth.ts), and `write` when it changes something. Null when refused (the refusal has been
 * sent). A trashed document's status and restore are still for its edit-link holders.
 */
async function documentGrant(req: IncomingMessage, res: ServerResponse, url: URL, ctx: DocumentRouteContext, docName: string, writes: boolean): Promise<Authorized | null> {
  const authorized = await requestGrant(req, res, url, ctx, docName);
  if (!authorized) return null;
  const { grant } = authorized;
  if (writes && grant?.access === 'read') {
    ctx.logger.info({ doc: docName, userId: grant.userId, path: url.pathname }, 'refused request: read-only token');
    sendJson(res, 403, { error: 'this token may only read the document' });
    return null;
  }
  return authorized;
}

async function listDocuments(res: ServerResponse, url: URL, ctx: DocumentRouteContext, { grant }: Authorized): Promise<void> {
  const query = parseListingQuery(url.searchParams, false);
  if ('error' in query) return sendJson(res, 400, { error: query.error });
  const [docs, trashed] = await Promise.all([ctx.store.list(), ctx.trashIndex.all()]);
  const hidden = new Set(trashed.map((record) => record.name));
  const visible = docs.filter((doc) => !hidden.has(doc.name) && (!grant || grantCovers(grant, doc.name)));
  const { page, nextCursor } = listingPage(visible, query);
  const editors = await ctx.lastEditors.of(page.map((doc) => doc.name));
  const entries: DocListEntry[] = page.map((doc, i) => ({ ...summaryOf(doc), lastEditedBy: editors[i]! }));
  sendJson(res, 200, { docs: entries, nextCursor });
}

async function listTrash(res: ServerResponse, url: URL, ctx: DocumentRouteContext, { grant }: Authorized): Promise<void> {
  const query = parseListingQuery(url.searchParams, true);
  if ('error' in query) return sendJson(res, 400, { error: query.error });
  const [docs, trashed] = await Promise.all([ctx.store.list(), ctx.trashIndex.all()]);
  const summaries = new Map(docs.map((doc) => [doc.name, doc]));
  const listable = trashed
    .filter((record) => !grant || grantCovers(grant, record.name))
    .map((record) => ({ record, ...listedInTrash(record, summaries.get(record.name)) }));
  const { page, nextCursor } = listingPage(listable, query);
  const editors = await ctx.lastEditors.of(page.map((entry) => entry.name));
  const entries: TrashEntry[] = page.map(({ record, ...entry }, i) => ({
    ...entry,
    lastEditedBy: editors[i]!,
    deletedAt: new Date(record.deletedAt).toISOString(),
    deletedBy: record.deletedBy,
    purgeAt: new Date(ctx.trash.purgeAt(record)).toISOString(),
  }));
  sendJson(res, 200, { docs: entries, nextCursor });
}

function summaryOf(doc: DocInfo): Omit<DocListEntry, 'lastEditedBy'> {
  return { name: doc.name, title: doc.title, size: doc.size, updatedAt: doc.updatedAt };
}

/** A trashed document as the trash lists it (one with nothing stored still has a name and a time). */
function listedInTrash(record: TrashRecord, doc: DocInfo | undefined): Omit<DocListEntry, 'lastEditedBy'> & Listable {
  const deletedAt = new Date(record.deletedAt).toISOString();
  return { ...(doc ? summaryOf(doc) : { name: record.name, title: null, size: 0, updatedAt: deletedAt }), deletedAt };
}

async function status(res: ServerResponse, docName: string, ctx: DocumentRouteContext): Promise<void> {
  const [record, links] = await Promise.all([ctx.trashIndex.get(docName), ctx.links.get(docName)]);
  const trash = record
    ? { deletedAt: new Date(record.deletedAt).toISOString(), deletedBy: record.deletedBy, purgeAt: new Date(ctx.trash.purgeAt(record)).toISOString() }
    : null;
  const body: DocStatus = { name: docName, trash, links };
  sendJson(res, 200, body);
}

async function moveToTrash(res: ServerResponse, docName: string, by: string | null, ctx: DocumentRouteContext): Promise<void> {
  const outcome = await ctx.trash.moveToTrash(docName, by);
  if (!outcome.ok) {
    return outcome.why === 'not-found'
      ? sendJson(res, 404, { error: 'no such document' })
      : sendJson(res, 409, { error: 'the document is already in the trash (add ?permanent=1 to delete it for good)' });
  }
  const { deletedAt } = outcome.record;
  sendJson(res, 200, { name: docName, deletedAt: new Date(deletedAt).toISOString(), purgeAt: new Date(ctx.trash.purgeAt(outcome.record)).toISOString() });
}

async function deleteForGood(res: ServerResponse, docName: string, ctx: DocumentRouteContext): Promise<void> {
  if (!(await ctx.trash.deleteForGood(docName))) return sendJson(res, 409, { error: 'only a document in the trash can be deleted for good: move it to the trash first' });
  sendJson(res, 200, { name: docName, deleted: true });
}

async function restoreDocument(res: ServerResponse, docName: string, ctx: DocumentRouteContext): Promise<void> {
  if (!(await ctx.trash.restore(docName))) return sendJson(res, 404, { error: 'the document is not in the trash' });
  sendJson(res, 200, { name: docName });
}

async function rotateLink(res: ServerResponse, docName: string, purpose: LinkPurpose, ctx: DocumentRouteContext): Promise<void> {
  if (await ctx.trashIndex.get(docName)) return sendJson(res, 410, { error: DOCUMENT_DELETED.close.reason });
  const generations = await ctx.links.rotate(docName, purpose);
  ctx.gate.linkRotated(docName, purpose, generations[purpose]);
  ctx.logger.info({ doc: docName, link: purpose, generation: generations[purpose] }, 'share link rotated');
  sendJson(res, 200, generations);
}

/** Change the title, as a server change every connected editor receives like anyone's edit. */
async function rename(req: IncomingMessage, res: ServerResponse, docName: string, ctx: DocumentRouteContext): Promise<void> {
  const body = await readJsonBody(req, MAX_BODY_BYTES);
  if (!body.ok) return sendJson(res, body.status, { error: body.error }, body.status === 413 ? { Connection: 'close' } : {});
  const { title } = body.value;
  if (typeof title !== 'string' || title.length > MAX_TITLE_LENGTH) return sendJson(res, 400, { error: `title must be a string of at most ${MAX_TITLE_LENGTH} characters` });
  if (await ctx.trashIndex.get(docName)) return sendJson(res, 410, { error: DOCUMENT_DELETED.close.reason });
  await withRoom(res, docName, ctx, async (room) => {
    if (room.isEmpty) return sendJson(res, 404, { error: 'no such document' });
    await room.atNextCut((doc) => writeTitle(doc, title.trim()));
    ctx.logger.info({ doc: docName }, 'renamed the document');
    sendJson(res, 200, { name: docName, title: title.trim() });
  });
}

/**
 * Copy the document to `name`, which must be a fresh name: nothing stored, nobody connected, not in
 * the trash (409 otherwise). The token must also cover `name` with write access.
 */
async function duplicate(req: IncomingMessage, res: ServerResponse, docName: string, ctx: DocumentRouteContext, grant: Grant | undefined): Promise<void> {
  const body = await readJsonBody(req, MAX_BODY_BYTES);
  if (!body.ok) return sendJson(res, body.status, { error: body.error }, body.status === 413 ? { Connection: 'close' } : {});
  const { name } = body.value;
  if (typeof name !== 'string' || !isValidDocName(name)) return sendJson(res, 400, { error: 'name must be a document name: 1-200 characters of A-Z a-z 0-9 . _ -' });
  if (grant && !grantCovers(grant, name)) return sendJson(res, 403, { error: 'token does not cover the new document' });
  if (await ctx.trashIndex.get(docName)) return sendJson(res, 410, { error: DOCUMENT_DELETED.close.reason });
  const taken = ctx.rooms.has(name) || (await ctx.trashIndex.get(name)) !== undefined || (await ctx.store.list()).some((doc) => doc.name === name);
  if (taken) return sendJson(res, 409, { error: 'a document by that name exists (or is in the trash)' });
  await withRoom(res, docName, ctx, async (room) => {
    if (room.isEmpty) return sendJson(res, 404, { error: 'no such document' });
    const title = await duplicateDocument(ctx.store, room, name);
    ctx.logger.info({ doc: docName, copy: name }, 'duplicated the document');
    sendJson(res, 201, { name, title });
  });
}
