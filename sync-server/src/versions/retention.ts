/**
 * Which versions to keep. Named and before-restore versions are kept as long as the document;
 * automatic checkpoints thin out with age: every one from the last day, the newest of each hour
 * for a week, the newest of each day up to the retention period (--version-retention-days), none
 * after that. Buckets are fixed in time (hours and days since the epoch, UTC), so a version kept
 * today is not dropped by a later run for a reason it did not have before, apart from its age.
 */
import type { VersionKind } from '@tandem/protocol';

const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;
/** Automatic checkpoints younger than this are all kept. */
const KEEP_ALL_MS = DAY_MS;
/** Up to this age, the newest automatic checkpoint of each hour is kept; after it, of each day. */
const HOURLY_MS = 7 * DAY_MS;

export interface RetentionPolicy {
  /** Days an automatic checkpoint is kept at most; 0 keeps every one. */
  autoRetentionDays: number;
}

/** What retention needs to know of a version. */
export interface RetainedVersion {
  id: string;
  kind: VersionKind;
  /** Milliseconds since the epoch. */
  createdAt: number;
}

/** The ids of the versions `policy` no longer keeps at time `now`. */
export function versionsToDrop(versions: readonly RetainedVersion[], now: number, policy: RetentionPolicy): string[] {
  if (policy.autoRetentionDays === 0) return [];
  const maxAge = policy.autoRetentionDays * DAY_MS;
  const newestFirst = versions.filter((v) => v.kind === 'auto').sort((a, b) => b.createdAt - a.createdAt);
  const seenBuckets = new Set<string>();
  const drop: string[] = [];
  for (const version of newestFirst) {
    const age = now - version.createdAt;
    if (age < KEEP_ALL_MS && age < maxAge) continue;
    const bucket = age >= maxAge ? undefined : age < HOURLY_MS ? `h${Math.floor(version.createdAt / HOUR_MS)}` : `d${Math.floor(version.createdAt / DAY_MS)}`;
    if (bucket !== undefined && !seenBuckets.has(bucket)) {
      seenBuckets.add(bucket); // the newest of its hour (or day): kept
      continue;
    }
    drop.push(version.id);
  }
  return drop;
}
