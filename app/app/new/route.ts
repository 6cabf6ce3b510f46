import { redirect } from 'next/navigation';
import { connection } from 'next/server';
import { newDocName } from '@/lib/newDocName';

/** `GET /new` opens a fresh, empty document. */
export async function GET(): Promise<never> {
  await connection();
  redirect(`/d/${newDocName()}`);
}
