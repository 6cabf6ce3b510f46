/**
 * Redis key layout. Every key of one document carries the document name as a hash tag (`{name}`),
 * so all of them live in one hash slot; document names never contain braces.
 *   <p>:{<name>}:log          the document's stream: one entry per append (`i` the instance, `u` each update)
 *   <p>:{<name>}:snap         hash: `data` the compacted snapshot, `upto` the last stream ID it covers
 *   <p>:{<name>}:sv           state vector, rewritten by compaction and by the appends that carry one:
 *                             it may lag behind the stream, never run ahead
 *   <p>:{<name>}:kinds        set of the record kinds kept beside the document
 *   <p>:{<name>}:rec:<kind>   hash of the records of one kind, by id
 *   <p>:{<name>}:presence     pub/sub channel of the document's presence between instances
 *   <p>:docs                  hash: document name → JSON listing summary (title, size, updatedAt)
 *   <p>:instance:<id>         an instance's heartbeat, with a short TTL
 *   <p>:wake:<id>             a tiny stream that wakes an instance's follower when it follows another document
 */
export class RedisKeys {
  constructor(readonly prefix: string) {}

  log = (name: string): string => `${this.prefix}:{${name}}:log`;
  snapshot = (name: string): string => `${this.prefix}:{${name}}:snap`;
  stateVector = (name: string): string => `${this.prefix}:{${name}}:sv`;
  kinds = (name: string): string => `${this.prefix}:{${name}}:kinds`;
  records = (name: string, kind: string): string => `${this.prefix}:{${name}}:rec:${kind}`;
  presence = (name: string): string => `${this.prefix}:{${name}}:presence`;
  get docs(): string {
    return `${this.prefix}:docs`;
  }
  instance = (id: string): string => `${this.prefix}:instance:${id}`;
  wake = (id: string): string => `${this.prefix}:wake:${id}`;

  /** A pattern matching every document's stream key (for SCAN). */
  get logPattern(): string {
    return `${this.prefix}:{*}:log`;
  }

  /** The document name in a document key or channel (`<p>:{<name>}:...`). */
  nameOf(key: string): string {
    const open = key.indexOf('{', this.prefix.length);
    return key.slice(open + 1, key.indexOf('}', open));
  }
}

/** A stream entry ID (`<ms>-<seq>`) as two numbers, for comparing. */
export function parseStreamId(id: string): [number, number] {
  const dash = id.indexOf('-');
  return dash < 0 ? [Number(id), 0] : [Number(id.slice(0, dash)), Number(id.slice(dash + 1))];
}

/** The smallest stream ID after `id`: XTRIM MINID with it removes `id` and everything before. */
export function nextStreamId(id: string): string {
  const [ms, seq] = parseStreamId(id);
  return `${ms}-${seq + 1}`;
}

/** Whether stream ID `a` comes after `b`. */
export function streamIdAfter(a: string, b: string): boolean {
  const [aMs, aSeq] = parseStreamId(a);
  const [bMs, bSeq] = parseStreamId(b);
  return aMs > bMs || (aMs === bMs && aSeq > bSeq);
}

/** Before any entry. */
export const STREAM_START = '0-0';
