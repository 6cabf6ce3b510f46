import { redirect } from 'next/navigation';
import { type NextRequest, connection } from 'next/server';
import { editPath } from '@/lib/auth';
import { getAuthConfig, isOperator } from '@/lib/authServer';
import { newDocName } from '@/lib/newDocName';
import { IMPORT_PARAM } from '@/lib/pendingImport';

/**
 * `GET /new` opens a fresh, empty document (its edit link, in auth mode: for the operator only).
 * `?import=<id>` is passed on: the new document's page imports the file waiting under that id.
 */
export async function GET(request: NextRequest): Promise<never> {
  await connection();
  const config = getAuthConfig();
  if (!(await isOperator(config))) redirect('/refused');
  const path = editPath(newDocName(), config);
  const pending = request.nextUrl.searchParams.get(IMPORT_PARAM);
  if (pending && /^[0-9a-f-]{36}$/.test(pending)) redirect(`${path}${path.includes('?') ? '&' : '?'}${IMPORT_PARAM}=${pending}`);
  redirect(path);
}
