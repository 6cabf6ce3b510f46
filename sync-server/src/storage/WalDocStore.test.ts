import { execFile } from 'node:child_process';
import { appendFile, cp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, expect, it } from 'vitest';
import * as Y from 'yjs';
import { makeTempDir, waitFor } from '../test-support/server.js';
import { describeDocStoreContract } from './DocStore.contract.js';
import { WalDocStore, type WalDocStoreOptions } from './WalDocStore.js';

describeDocStoreContract('WalDocStore', async () => {
  const dir = await makeTempDir('tandem-wal-store-');
  return {
    open: () => WalDocStore.open(dir),
    reopen: () => WalDocStore.open(dir),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
});

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function tempDir(): Promise<string> {
  const dir = await makeTempDir('tandem-wal-');
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

async function openStore(dir: string, options: WalDocStoreOptions = {}): Promise<WalDocStore> {
  const store = await WalDocStore.open(dir, options);
  cleanups.push(() => store.close());
  return store;
}

/** Never checkpoints on its own within a test: what was appended stays in the log file. */
const LOG_ONLY: WalDocStoreOptions = { checkpointAfterMs: 3_600_000 };

/** What a SIGKILL at this instant would leave: the directory's files as the page cache holds them. */
async function crashImage(dir: string): Promise<string> {
  const image = await tempDir();
  await cp(dir, image, { recursive: true });
  return image;
}

const segmentsIn = async (dir: string): Promise<string[]> => (await readdir(dir)).filter((name) => name.startsWith('tandem-wal-')).sort();

/** `count` one-character edits as separate updates, and the text they make. */
function edits(count: number): { updates: Uint8Array[]; text: string } {
  const doc = new Y.Doc();
  const updates: Uint8Array[] = [];
  doc.on('update', (update: Uint8Array) => updates.push(update));
  for (let i = 0; i < count; i++) doc.getText('t').insert(i, String.fromCharCode(97 + (i % 26)));
  return { updates, text: doc.getText('t').toString() };
}

async function textIn(store: WalDocStore, name: string): Promise<{ text: string; logCount: number }> {
  const stored = await store.load(name);
  const doc = new Y.Doc();
  for (const update of stored.updates) Y.applyUpdate(doc, update);
  return { text: doc.getText('t').toString(), logCount: stored.logCount };
}

it('an append is in the log file when it resolves, and a crash then loses none of it', async () => {
  const dir = await tempDir();
  const store = await openStore(dir, LOG_ONLY);
  const { updates, text } = edits(30);
  for (let i = 0; i < updates.length; i += 3) await store.append([{ name: 'doc', updates: updates.slice(i, i + 3) }]);
  const [segment] = await segmentsIn(dir);
  expect((await stat(join(dir, segment!))).size).toBeGreaterThan(0);

  const image = await crashImage(dir);
  const recovered = await openStore(image);
  expect(await textIn(recovered, 'doc')).toEqual({ text, logCount: 30 });
  // Replayed into LevelDB at open: the old segment is gone, a new empty one is written next.
  expect(await segmentsIn(image)).toHaveLength(1);
  expect((await stat(join(image, (await segmentsIn(image))[0]!))).size).toBe(0);
});

it('drops a torn or corrupt last record at replay, reports it, and keeps the whole records before it', async () => {
  const dir = await tempDir();
  const store = await openStore(dir, LOG_ONLY);
  const { updates, text } = edits(4);
  await store.append([{ name: 'doc', updates }]);
  const [segment] = await segmentsIn(dir);
  for (const tail of [
    Buffer.from([100, 0, 0, 0, 1, 2, 3, 4, 9, 9, 9]), // a header that promises 100 bytes, and 3 of them
    Buffer.from([3, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3]), // a whole record whose checksum does not match
  ]) {
    const image = await crashImage(dir);
    await appendFile(join(image, segment!), tail);
    const torn: Array<[number, number]> = [];
    const recovered = await openStore(image, { onTornRecord: (id, bytes) => torn.push([id, bytes]) });
    expect(await textIn(recovered, 'doc')).toEqual({ text, logCount: 4 });
    expect(torn).toEqual([[Number(segment!.slice('tandem-wal-'.length)), tail.byteLength]]);
  }
});

it('does not store a segment twice when a crash left it behind after its checkpoint', async () => {
  const dir = await tempDir();
  const store = await openStore(dir, LOG_ONLY);
  const { updates, text } = edits(5);
  await store.append([{ name: 'doc', updates }]);
  const image = await crashImage(dir);
  const [segment] = await segmentsIn(image);
  const leftBehind = await readFile(join(image, segment!));

  const first = await WalDocStore.open(image); // stores the segment in LevelDB, then deletes it
  await first.close();
  await writeFile(join(image, segment!), leftBehind); // as if the process died before the delete
  const second = await openStore(image);
  expect(await textIn(second, 'doc')).toEqual({ text, logCount: 5 });
});

it('moves the records into LevelDB in the background and deletes their segment', async () => {
  const dir = await tempDir();
  const store = await openStore(dir, { checkpointAfterMs: 20 });
  const { updates, text } = edits(6);
  await store.append([{ name: 'doc', updates }]);
  const [first] = await segmentsIn(dir);
  await waitFor(async () => !(await segmentsIn(dir)).includes(first!), { what: 'the checkpoint deleted the first segment' });
  const [current] = await segmentsIn(dir);
  expect((await stat(join(dir, current!))).size).toBe(0);
  // Nothing is left in any log file: a crash image loads it all from LevelDB.
  const recovered = await openStore(await crashImage(dir));
  expect(await textIn(recovered, 'doc')).toEqual({ text, logCount: 6 });
});

it('numbers segments after every one already stored, so a restart never writes to a number replay skips', async () => {
  const dir = await tempDir();
  const { updates, text } = edits(4);
  for (let i = 0; i < 2; i++) {
    const store = await WalDocStore.open(dir);
    await store.append([{ name: 'doc', updates: updates.slice(2 * i, 2 * i + 2) }]);
    if (i === 0) await store.close(); // a clean stop: stored, every segment deleted
    else cleanups.push(() => store.close());
  }
  const recovered = await openStore(await crashImage(dir));
  expect(await textIn(recovered, 'doc')).toEqual({ text, logCount: 4 });
});

const DIST_STORE = fileURLToPath(new URL('../../dist/storage/WalDocStore.js', import.meta.url));

it('a write that fails part-way is cut back, so the appends after it are still replayed', async () => {
  // A child process whose files may not grow past 64 KiB (ulimit -f): the fourth 20 KiB append is
  // written in part, then fails; a small one after it must fit in what the failed one left.
  const dir = await tempDir();
  const script = `
    import { WalDocStore } from ${JSON.stringify(DIST_STORE)};
    const store = await WalDocStore.open(process.argv[1], { checkpointAfterMs: 3_600_000 });
    const big = (i) => [{ name: 'doc', updates: [new Uint8Array(20 * 1024).fill(i)] }];
    const results = [];
    for (let i = 1; i <= 4; i++) results.push(await store.append(big(i)).then(() => 'ok', (e) => e.code));
    results.push(await store.append([{ name: 'doc', updates: [new Uint8Array(2 * 1024).fill(9)] }]).then(() => 'ok', (e) => e.code));
    console.log(JSON.stringify(results));
    process.kill(process.pid, 'SIGKILL');`;
  const run = promisify(execFile)('bash', ['-c', 'ulimit -f 64; exec "$0" --input-type=module -e "$1" "$2"', process.execPath, script, dir]);
  const { stdout } = await run.catch((error: { stdout: string }) => error);
  expect(JSON.parse(stdout)).toEqual(['ok', 'ok', 'ok', 'EFBIG', 'ok']);
  const torn: number[] = [];
  const recovered = await openStore(dir, { onTornRecord: (_, bytes) => torn.push(bytes) });
  const stored = await recovered.load('doc');
  expect(stored.updates.map((update) => [update.byteLength, update[0]])).toEqual([
    [20 * 1024, 1],
    [20 * 1024, 2],
    [20 * 1024, 3],
    [2 * 1024, 9],
  ]);
  expect(torn).toEqual([]);
});
