/**
 * The fields of one stream entry: `i <instance>` then `u <update>` for each update it carries; or,
 * written by compaction, a marker `t <ID>`: entries before that ID are trimmed (scripts.ts).
 */

const FIELD_INSTANCE = 0x69; // 'i'
const FIELD_UPDATE = 0x75; // 'u'
const FIELD_TRIMMED = 0x74; // 't'

/** The updates of one stream entry. */
export function updatesOf(fields: readonly Buffer[]): Uint8Array[] {
  const updates: Uint8Array[] = [];
  for (let i = 0; i + 1 < fields.length; i += 2) if (isField(fields[i]!, FIELD_UPDATE)) updates.push(fields[i + 1]!);
  return updates;
}

/** The instance that appended a stream entry ('' if it does not say). */
export function instanceOf(fields: readonly Buffer[]): string {
  for (let i = 0; i + 1 < fields.length; i += 2) if (isField(fields[i]!, FIELD_INSTANCE)) return fields[i + 1]!.toString();
  return '';
}

/** The ID before which a compaction marker says entries are gone; undefined for other entries. */
export function trimmedBefore(fields: readonly Buffer[]): string | undefined {
  return fields.length === 2 && isField(fields[0]!, FIELD_TRIMMED) ? fields[1]!.toString() : undefined;
}

/** The fields of an entry `instance` appends with `updates`. */
export function entryFields(instance: string, updates: readonly Uint8Array[]): Array<string | Buffer> {
  const fields: Array<string | Buffer> = ['i', instance];
  for (const update of updates) fields.push('u', Buffer.from(update.buffer, update.byteOffset, update.byteLength));
  return fields;
}

const isField = (name: Buffer, letter: number): boolean => name.length === 1 && name[0] === letter;
