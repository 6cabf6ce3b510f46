/**
 * The command line warms its connection path up with one visit of its own before it says it is
 * listening: the visit must succeed in every mode and leave nothing in storage.
 */
import { rm } from 'node:fs/promises';
import { afterEach, expect, it } from 'vitest';
import { LevelDocStore } from './storage/LevelDocStore.js';
import { type ServerProcess, spawnServer } from './test-support/process.js';
import { makeTempDir, waitFor } from './test-support/server.js';
import { WARM_UP_DOC } from './warmUp.js';

let server: ServerProcess | undefined;
let dataDir: string;
afterEach(async () => {
  await server?.stop('SIGKILL');
  await rm(dataDir, { recursive: true, force: true });
});

async function metric(name: string): Promise<number> {
  const text = await (await fetch(`${server!.url.replace('ws', 'http')}/metrics`)).text();
  return Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1]);
}

async function startAndCheckTheVisit(extra: string[]): Promise<void> {
  dataDir = await makeTempDir('tandem-warm-up-');
  server = await spawnServer({ dataDir, extra });
  expect(server.output()).not.toContain('warm-up visit failed');
  expect(await metric('tandem_messages_in_total')).toBeGreaterThanOrEqual(1);
  await waitFor(async () => (await metric('tandem_connections')) === 0 && (await metric('tandem_loaded_documents')) === 0, { what: 'the visit to end' });
  expect(await server.stop('SIGTERM')).toBe(0);
  const store = await LevelDocStore.open(dataDir);
  try {
    expect((await store.load(WARM_UP_DOC)).updates).toEqual([]);
    expect(await store.list()).toEqual([]);
  } finally {
    await store.close();
  }
}

it('visits itself once before it says it is listening, and stores nothing for it', async () => {
  await startAndCheckTheVisit([]);
});

it('visits itself with a token of its own when auth is on, from an allowed origin', async () => {
  await startAndCheckTheVisit(['--auth-secret', 'a-secret-of-at-least-16-chars', '--allowed-origins', 'https://app.example']);
});
