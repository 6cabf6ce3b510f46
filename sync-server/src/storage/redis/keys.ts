/**
 * Redis key layout. Each document lives in one of {@link BUCKET_COUNT} buckets (a hash of its name),
 * and every key of a bucket carries the bucket as hash tag (`{b07}`), so one document's keys and
 * its bucket's listing share one hash slot: on a Redis Cluster a document's append (XADD, SET sv,
 * HSET listing) is one MULTI and its scripts run on one node. Document names never contain braces.
 *   <p>:{bNN}:doc:<name>:log         the document's stream: one entry per append (`i` the instance, `u` each update)
 *   <p>:{bNN}:doc:<name>:snap        hash: `data` the compacted snapshot, `upto` the last stream ID it covers
 *   <p>:{bNN}:doc:<name>:sv          state vector, rewritten by compaction and by the appends that carry one:
 *                                    it may lag behind the stream, never run ahead
 *   <p>:{bNN}:doc:<name>:kinds       set of the record kinds kept beside the document
 *   <p>:{bNN}:doc:<name>:rec:<kind>  hash of the records of one kind, by id
 *   <p>:{bNN}:doc:<name>:presence    pub/sub channel of the document's presence between instances
 *   <p>:{bNN}:docs                   hash: document name → JSON listing summary (title, size, updatedAt), per bucket
 *   <p>:{bNN}:wake:<id>              a tiny stream that wakes an instance's follower of the bucket when it follows
 *                                    another document (on a single primary only bucket 0's, one follower reads all)
 *   <p>:instance:<id>                an instance's heartbeat, with a short TTL
 *
 * The layout before buckets tagged each document's keys with its name (`<p>:{<name>}:log`) and kept
 * one listing `<p>:docs`: layoutMigration.ts moves such data to this layout.
 */

/**
 * How many buckets documents are spread over: on a Redis Cluster, the most slots (so masters) one
 * deployment's documents use, and the most follower connections one instance opens. Changing it
 * moves every document to another key: never change it on a deployment with data.
 */
export const BUCKET_COUNT = 16;

/** Every bucket number, 0 to BUCKET_COUNT - 1. */
export const ALL_BUCKETS: readonly number[] = Array.from({ length: BUCKET_COUNT }, (_, bucket) => bucket);

/** The bucket of a document: FNV-1a (32 bits) of its name's UTF-8 bytes, modulo BUCKET_COUNT. */
export function bucketOf(name: string): number {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(name, 'utf8')) hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
  return hash % BUCKET_COUNT;
}

export class RedisKeys {
  constructor(readonly prefix: string) {}

  /** The hash-tagged start of every key of a bucket. */
  bucket = (bucket: number): string => `${this.prefix}:{b${String(bucket).padStart(2, '0')}}`;
  private doc = (name: string): string => `${this.bucket(bucketOf(name))}:doc:${name}`;

  log = (name: string): string => `${this.doc(name)}:log`;
  snapshot = (name: string): string => `${this.doc(name)}:snap`;
  stateVector = (name: string): string => `${this.doc(name)}:sv`;
  kinds = (name: string): string => `${this.doc(name)}:kinds`;
  records = (name: string, kind: string): string => `${this.doc(name)}:rec:${kind}`;
  presence = (name: string): string => `${this.doc(name)}:presence`;
  /** The listing of the documents of one bucket. */
  docs = (bucket: number): string => `${this.bucket(bucket)}:docs`;
  /** The listing that holds a document's summary. */
  docsOf = (name: string): string => this.docs(bucketOf(name));
  instance = (id: string): string => `${this.prefix}:instance:${id}`;
  wake = (id: string, bucket: number): string => `${this.bucket(bucket)}:wake:${id}`;

  /** A pattern matching every document's stream key (for SCAN). */
  get logPattern(): string {
    return `${this.prefix}:{b*}:doc:*:log`;
  }

  /** The document name in a document's log key or presence channel (`<p>:{bNN}:doc:<name>:log`). */
  nameOf(key: string): string {
    const start = key.indexOf('}:doc:', this.prefix.length) + '}:doc:'.length;
    return key.slice(start, key.lastIndexOf(':'));
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
