/** Largest allowed document name, in characters. */
export const MAX_DOC_NAME_LENGTH = 200;

const DOC_NAME_PATTERN = /^[A-Za-z0-9._-]{1,200}$/;

/** True when `name` is 1–200 characters of `A-Z a-z 0-9 . _ -`, and not `.` or `..`. */
export function isValidDocName(name: string): boolean {
  return DOC_NAME_PATTERN.test(name) && name !== '.' && name !== '..';
}

/**
 * The document name in a WebSocket request path (`/<docName>?query`), or undefined when the
 * path does not hold exactly one valid name. Percent-escapes are not decoded: every allowed
 * character is URL-safe, so an escaped name is not a valid one.
 */
export function docNameFromPath(path: string): string | undefined {
  const queryStart = path.indexOf('?');
  const pathname = queryStart === -1 ? path : path.slice(0, queryStart);
  if (!pathname.startsWith('/')) return undefined;
  const name = pathname.slice(1);
  return isValidDocName(name) ? name : undefined;
}
