/**
 * LevelDB key layout. Document names never contain '/', so `doc/<name>/` is an unambiguous prefix.
 *   doc/<name>/snap            compacted snapshot (one Yjs update)
 *   doc/<name>/sv              state vector, rewritten by compaction, the start-up merge and the appends that carry
 *                              one (about once a second, with the summary): it may lag behind the log, never run ahead
 *   doc/<name>/log/<seq>       log entries, seq as 16 hex digits so keys sort in append order
 *   meta/<name>                JSON summary: title, size, updatedAt
 */
const SEQ_DIGITS = 16;

export const snapshotKey = (name: string): string => `doc/${name}/snap`;
export const stateVectorKey = (name: string): string => `doc/${name}/sv`;
export const logKey = (name: string, seq: number): string => `doc/${name}/log/${seq.toString(16).padStart(SEQ_DIGITS, '0')}`;
export const logPrefix = (name: string): string => `doc/${name}/log/`;
export const metaKey = (name: string): string => `meta/${name}`;
export const META_PREFIX = 'meta/';
export const DOC_PREFIX = 'doc/';

/** The document name in any `doc/<name>/...` key. */
export function docNameOfKey(key: string): string {
  return key.slice(DOC_PREFIX.length, key.indexOf('/', DOC_PREFIX.length));
}

/** The sequence number in a log key. */
export function seqFromLogKey(key: string): number {
  return parseInt(key.slice(key.length - SEQ_DIGITS), 16);
}

/** The exclusive upper bound of every key that starts with `prefix`. */
export function prefixEnd(prefix: string): string {
  return prefix + '\xff';
}
