import { describe, expect, it } from 'vitest';
import { type RetainedVersion, versionsToDrop } from './retention.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const NOW = Date.UTC(2030, 0, 31, 12, 0, 0);

const auto = (id: string, ageMs: number): RetainedVersion => ({ id, kind: 'auto', createdAt: NOW - ageMs });

describe('retention of versions', () => {
  it('keeps every automatic checkpoint of the last day', () => {
    const versions = Array.from({ length: 50 }, (_, i) => auto(`a${i}`, i * 20 * 60 * 1000 + 1));
    expect(versions.every((v) => NOW - v.createdAt < DAY) && versionsToDrop(versions, NOW, { autoRetentionDays: 30 })).toEqual([]);
  });

  it('keeps the newest of each hour for a week and the newest of each day after that', () => {
    const threeDaysAgo = NOW - 3 * DAY;
    const hourStart = threeDaysAgo - (threeDaysAgo % HOUR);
    const tenDaysAgo = NOW - 10 * DAY;
    const dayStart = tenDaysAgo - (tenDaysAgo % DAY);
    const versions: RetainedVersion[] = [
      { id: 'h-old', kind: 'auto', createdAt: hourStart + 5 * 60_000 },
      { id: 'h-new', kind: 'auto', createdAt: hourStart + 50 * 60_000 },
      { id: 'h-next', kind: 'auto', createdAt: hourStart + HOUR + 1 },
      { id: 'd-old', kind: 'auto', createdAt: dayStart + HOUR },
      { id: 'd-mid', kind: 'auto', createdAt: dayStart + 5 * HOUR },
      { id: 'd-new', kind: 'auto', createdAt: dayStart + 20 * HOUR },
    ];
    expect(versionsToDrop(versions, NOW, { autoRetentionDays: 30 }).sort()).toEqual(['d-mid', 'd-old', 'h-old']);
  });

  it('drops automatic checkpoints past the retention period, and never named or before-restore ones', () => {
    const versions: RetainedVersion[] = [
      auto('recent', HOUR),
      auto('ancient', 40 * DAY),
      { id: 'named', kind: 'named', createdAt: NOW - 400 * DAY },
      { id: 'before', kind: 'before-restore', createdAt: NOW - 400 * DAY },
    ];
    expect(versionsToDrop(versions, NOW, { autoRetentionDays: 30 })).toEqual(['ancient']);
    // A period shorter than a day cuts into the keep-everything day too.
    expect(versionsToDrop([auto('two-days', 2 * DAY), auto('hour', HOUR)], NOW, { autoRetentionDays: 1 })).toEqual(['two-days']);
  });

  it('keeps everything with a retention of 0', () => {
    const versions = [auto('a', 1000 * DAY), auto('b', 1000 * DAY + 1)];
    expect(versionsToDrop(versions, NOW, { autoRetentionDays: 0 })).toEqual([]);
  });

  it('is stable: what a run keeps, a later run at the same time keeps too', () => {
    const versions = Array.from({ length: 200 }, (_, i) => auto(`v${i}`, i * 97 * 60_000));
    const dropped = new Set(versionsToDrop(versions, NOW, { autoRetentionDays: 30 }));
    const kept = versions.filter((v) => !dropped.has(v.id));
    expect(versionsToDrop(kept, NOW, { autoRetentionDays: 30 })).toEqual([]);
    expect(kept.length).toBeLessThan(versions.length);
  });
});
