import { isValidDocName } from '@tandem/protocol';
import { notFound, redirect } from 'next/navigation';
import { connection } from 'next/server';
import { editPath } from '@/lib/auth';
import { getAuthConfig, isOperator } from '@/lib/authServer';
import { fetchDocStatus } from '@/lib/syncApi';

/**
 * `GET /open/<doc>`: the document list's way into a document in auth mode, for the operator: to
 * the edit link of its current generation (the list does not ask every listed document for it).
 */
export async function GET(_request: Request, { params }: { params: Promise<{ docName: string }> }): Promise<never> {
  await connection();
  const { docName } = await params;
  if (!isValidDocName(docName)) notFound();
  const config = getAuthConfig();
  if (!(await isOperator(config))) redirect('/refused');
  const status = await fetchDocStatus(config, docName);
  if (!status.ok) throw new Error(status.error);
  redirect(editPath(docName, config, status.value.links));
}
