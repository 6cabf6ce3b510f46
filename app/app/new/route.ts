import { redirect } from 'next/navigation';
import { connection } from 'next/server';
import { editPath } from '@/lib/auth';
import { getAuthConfig, isOperator } from '@/lib/authServer';
import { newDocName } from '@/lib/newDocName';

/** `GET /new` opens a fresh, empty document (its edit link, in auth mode: for the operator only). */
export async function GET(): Promise<never> {
  await connection();
  const config = getAuthConfig();
  if (!(await isOperator(config))) redirect('/refused');
  redirect(editPath(newDocName(), config));
}
