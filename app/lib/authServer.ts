/**
 * The auth helpers that need Next's request context (cookies). Server only.
 */
import { cookies } from 'next/headers';
import { OPERATOR_COOKIE, isOperatorCookie, readAuthConfig, type AuthConfig } from './auth';

/** The auth configuration, or undefined in open mode (read at request time, like the sync URL). */
export function getAuthConfig(): AuthConfig | undefined {
  return readAuthConfig(process.env);
}

/** True in open mode, or when this browser holds the operator cookie. */
export async function isOperator(config: AuthConfig | undefined): Promise<boolean> {
  if (!config) return true;
  const jar = await cookies();
  return isOperatorCookie(config, jar.get(OPERATOR_COOKIE)?.value);
}
