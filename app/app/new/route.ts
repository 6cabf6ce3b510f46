import { INITIAL_LINK_GENERATIONS } from '@tandem/protocol';
import { redirect } from 'next/navigation';
import { type NextRequest, connection } from 'next/server';
import { editPath } from '@/lib/auth';
import { getAuthConfig, isOperator } from '@/lib/authServer';
import { newDocName } from '@/lib/newDocName';
import { IMPORT_PARAM } from '@/lib/pendingImport';
import { fetchDocStatus } from '@/lib/syncApi';

/** Names tried before giving up on one that is not in the trash (each is 50 random bits: one is plenty). */
const ATTEMPTS = 5;

/**
 * `GET /new` opens a fresh, empty document (its edit link, in auth mode: for the operator only).
 * A name in the trash is never handed out again: the sync server would refuse it (HTTP 410).
 * `?import=<id>` is passed on: the new document's page imports the file waiting under that id.
 */
export async function GET(request: NextRequest): Promise<never> {
  await connection();
  const config = getAuthConfig();
  if (!(await isOperator(config))) redirect('/refused');
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const name = newDocName();
    const status = await fetchDocStatus(config, name);
    if (status.ok && status.value.trash) continue;
    const path = editPath(name, config, status.ok ? status.value.links : INITIAL_LINK_GENERATIONS);
    const pending = request.nextUrl.searchParams.get(IMPORT_PARAM);
    if (pending && /^[0-9a-f-]{36}$/.test(pending)) redirect(`${path}${path.includes('?') ? '&' : '?'}${IMPORT_PARAM}=${pending}`);
    redirect(path);
  }
  throw new Error(`no fresh document name in ${ATTEMPTS} attempts`);
}
