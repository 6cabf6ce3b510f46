import { describe, expect, it } from 'vitest';
import { authorsText, versionTime, versionTitle } from './versionLabels';

describe('version labels', () => {
  it('calls a version by its label or by what made it', () => {
    expect(versionTitle({ kind: 'named', label: 'Sent to client' })).toBe('Sent to client');
    expect(versionTitle({ kind: 'auto' })).toBe('Saved automatically');
    expect(versionTitle({ kind: 'before-restore' })).toBe('Before a restore');
  });

  it('says when, relative to today', () => {
    const now = new Date(2030, 5, 15, 12, 0);
    expect(versionTime(new Date(2030, 5, 15, 9, 5).toISOString(), now, 'en-GB')).toBe('Today, 09:05');
    expect(versionTime(new Date(2030, 5, 14, 23, 59).toISOString(), now, 'en-GB')).toBe('Yesterday, 23:59');
    expect(versionTime(new Date(2030, 5, 3, 14, 32).toISOString(), now, 'en-GB')).toBe('3 Jun, 14:32');
    expect(versionTime(new Date(2029, 11, 31, 8, 0).toISOString(), now, 'en-GB')).toBe('31 Dec 2029, 08:00');
    expect(versionTime('not a date', now)).toBe('');
  });

  it('lists authors briefly', () => {
    const a = (name: string) => ({ name });
    expect(authorsText([])).toBe('No edits');
    expect(authorsText([a('Ada')])).toBe('Ada');
    expect(authorsText([a('Ada'), a('Bob')])).toBe('Ada and Bob');
    expect(authorsText([a('Ada'), a('Bob'), a('Cy')])).toBe('Ada, Bob and Cy');
    expect(authorsText([a('Ada'), a('Bob'), a('Cy'), a('Di')])).toBe('Ada, Bob and 2 others');
  });
});
