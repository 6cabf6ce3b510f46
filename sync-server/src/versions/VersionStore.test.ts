/**
 * Versions as records beside a document, in a real LevelDB: dedupe of identical content, thinning
 * by the retention policy (and the states only dropped versions used), damaged records.
 */
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { LevelDocStore } from '../storage/LevelDocStore.js';
import { writeParagraphs } from '../test-support/documents.js';
import { makeTempDir } from '../test-support/server.js';
import { rm } from 'node:fs/promises';
import { VERSION_KIND, VERSION_STATE_KIND, VersionStore } from './VersionStore.js';

const DAY = 24 * 3_600_000;
const NOW = Date.UTC(2030, 5, 1, 12);
let dir: string;
let store: LevelDocStore;
let versions: VersionStore;
const logged: string[] = [];

beforeEach(async () => {
  dir = await makeTempDir();
  store = await LevelDocStore.open(dir);
  const logger = pino({ level: 'debug' }, { write: (line: string) => void logged.push(line) });
  versions = new VersionStore(store, { autoRetentionDays: 30 }, logger);
});
afterEach(async () => {
  await store.close();
  await rm(dir, { recursive: true, force: true });
  logged.length = 0;
});

function state(...paragraphs: string[]): Uint8Array {
  const doc = new Y.Doc();
  writeParagraphs(doc, paragraphs, 'T');
  return Y.encodeStateAsUpdate(doc);
}

describe('VersionStore', () => {
  it('drops automatic versions the policy no longer keeps, with the states nothing else uses', async () => {
    // Daily automatic checkpoints for 60 days; the one of 45 days ago has the content a named version keeps.
    for (let age = 60; age >= 1; age--) {
      const checkpoint = { kind: 'auto' as const, authors: [], state: state(age === 45 ? 'named content' : `day ${age}`) };
      await versions.save('doc', checkpoint, NOW - age * DAY);
      if (age === 45) await versions.save('doc', { kind: 'named', label: 'Keep', authors: [], state: state('named content') }, NOW - age * DAY + 1);
    }
    await versions.save('doc', { kind: 'auto', authors: [], state: state('today') }, NOW);
    const listed = await versions.list('doc');
    const autos = listed.filter((v) => v.kind === 'auto');
    // 30 days of daily checkpoints (day 30 is at the limit and goes), today's, and the named one.
    expect(autos).toHaveLength(30);
    expect(Math.min(...autos.map((v) => NOW - Date.parse(v.createdAt)))).toBe(0);
    expect(Math.max(...autos.map((v) => NOW - Date.parse(v.createdAt)))).toBe(29 * DAY);
    expect(listed.find((v) => v.kind === 'named')?.label).toBe('Keep');
    // Only kept versions' states remain; the named one's too, though its automatic twin went.
    expect(await store.listRecords('doc', VERSION_STATE_KIND)).toHaveLength(31);
    const named = listed.find((v) => v.kind === 'named')!;
    expect((await versions.content('doc', named.id))?.body.textContent).toBe('named content');
  });

  it('writes one document’s versions one after the other, so none refers to a state thinning removed', async () => {
    const saves = Array.from({ length: 20 }, (_, i) =>
      versions.save('doc', { kind: i % 2 ? 'named' : 'auto', label: i % 2 ? `n${i}` : undefined, authors: [], state: state(`v${i % 3}`) }, NOW - (40 - i) * DAY),
    );
    await Promise.all(saves);
    for (const version of await versions.list('doc')) expect(await versions.content('doc', version.id)).toBeDefined();
  });

  it('skips a damaged description (logged) and fails loudly when a version has lost its state', async () => {
    const kept = await versions.save('doc', { kind: 'named', label: 'ok', authors: [], state: state('fine') }, NOW);
    await store.putRecord('doc', VERSION_KIND, '0000000000ff-00000000', new TextEncoder().encode('{not json'));
    expect((await versions.list('doc')).map((v) => v.id)).toEqual([kept!.id]);
    expect(logged.some((line) => line.includes('ignoring a damaged version record'))).toBe(true);

    const orphan = await versions.save('other', { kind: 'named', label: 'orphan', authors: [], state: state('lost') }, NOW);
    const [lost] = await store.listRecords('other', VERSION_STATE_KIND);
    await store.deleteRecords('other', VERSION_STATE_KIND, [lost!.id]);
    await expect(versions.content('other', orphan!.id)).rejects.toThrow(/lost its state/);
  });
});
