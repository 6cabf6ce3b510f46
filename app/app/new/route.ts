import { INITIAL_LINK_GENERATIONS } from '@tandem/protocol';
import { redirect } from 'next/navigation';
import { connection } from 'next/server';
import { editPath } from '@/lib/auth';
import { getAuthConfig, isOperator } from '@/lib/authServer';
import { newDocName } from '@/lib/newDocName';
import { fetchDocStatus } from '@/lib/syncApi';

/** Names tried before giving up on one that is not in the trash (each is 50 random bits: one is plenty). */
const ATTEMPTS = 5;

/**
 * `GET /new` opens a fresh, empty document (its edit link, in auth mode: for the operator only).
 * A name in the trash is never handed out again: the sync server would refuse it (HTTP 410).
 */
export async function GET(): Promise<never> {
  await connection();
  const config = getAuthConfig();
  if (!(await isOperator(config))) redirect('/refused');
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const name = newDocName();
    const status = await fetchDocStatus(config, name);
    if (status.ok && status.value.trash) continue;
    redirect(editPath(name, config, status.ok ? status.value.links : INITIAL_LINK_GENERATIONS));
  }
  throw new Error(`no fresh document name in ${ATTEMPTS} attempts`);
}
