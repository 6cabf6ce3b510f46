/**
 * The durability promise, tested the hard way: the real CLI in a child process, SIGKILL, restart
 * on the same data dir, and a fresh client that must see everything anyone saw relayed.
 */
import { rm } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { type ProviderClient, connectProvider, waitForSynced } from './test-support/clients.js';
import { type ServerProcess, spawnServer } from './test-support/process.js';
import { makeTempDir, waitFor } from './test-support/server.js';

const clients: ProviderClient[] = [];
const servers: ServerProcess[] = [];
const dirs: string[] = [];

async function freshDataDir(): Promise<string> {
  const dir = await makeTempDir('tandem-durable-');
  dirs.push(dir);
  return dir;
}
async function start(dataDir: string, extra: string[] = [], port = 0): Promise<ServerProcess> {
  const server = await spawnServer({ dataDir, port, extra });
  servers.push(server);
  return server;
}
function connect(url: string, docName: string): ProviderClient {
  const client = connectProvider(url, docName);
  clients.push(client);
  return client;
}

afterEach(async () => {
  for (const client of clients.splice(0)) client.destroy();
  for (const server of servers.splice(0)) await server.stop('SIGKILL');
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

describe('write before relay', () => {
  it('everything a second client saw survives kill -9 of the server', async () => {
    const dataDir = await freshDataDir();
    const server = await start(dataDir);
    const writerA = connect(server.url, 'crash');
    const writerB = connect(server.url, 'crash');
    await Promise.all([waitForSynced(writerA), waitForSynced(writerB)]);

    // Two writers, many small edits, interleaved with event-loop turns so they travel as many batches.
    for (let i = 0; i < 400; i++) {
      const writer = i % 2 ? writerA : writerB;
      writer.text.insert(writer.text.length, String.fromCharCode(97 + (i % 26)));
      if (i % 20 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    writerA.text.insert(writerA.text.length, '<END>');
    await waitFor(() => writerB.text.toString().includes('<END>'), { what: 'second client sees the last edit' });
    const seen = writerB.text.toString();
    expect(await server.stop('SIGKILL')).toBeNull();

    const restarted = await start(dataDir);
    const fresh = connect(restarted.url, 'crash');
    await waitForSynced(fresh);
    expect(fresh.text.length).toBe(405);
    // Every character writer B had seen is there (the final text may order concurrent edits the same way).
    expect(fresh.text.toString()).toBe(seen);
  });

  it('a document killed at random moments during frequent compactions always loads whole', async () => {
    const dataDir = await freshDataDir();
    let server = await start(dataDir, ['--compact-after-updates', '3']);
    const port = server.port;
    let written = '';
    for (let round = 0; round < 6; round++) {
      const writer = connect(server.url, 'compacting');
      const watcher = connect(server.url, 'compacting');
      await Promise.all([waitForSynced(writer), waitForSynced(watcher)]);
      expect(writer.text.toString()).toBe(written);
      // Keep typing; kill at a random instant while compactions are running.
      const typing = setInterval(() => writer.text.insert(writer.text.length, 'k'), 1);
      await new Promise((resolve) => setTimeout(resolve, 50 + Math.random() * 150));
      const seenBeforeKill = watcher.text.toString();
      await server.stop('SIGKILL');
      clearInterval(typing);
      writer.destroy();
      watcher.destroy();
      server = await start(dataDir, ['--compact-after-updates', '3'], port);
      const reader = connect(server.url, 'compacting');
      await waitForSynced(reader);
      expect(reader.text.toString().startsWith(seenBeforeKill)).toBe(true);
      written = reader.text.toString();
      reader.destroy();
    }
    expect(written.length).toBeGreaterThan(0);
  });
});

describe('the command line', () => {
  it('prints listening with its URL, answers health checks, and exits 0 on SIGTERM', async () => {
    const server = await start(await freshDataDir());
    const health = await fetch(`${server.url.replace('ws', 'http')}/healthz`);
    expect(health.status).toBe(200);
    expect(server.output()).toMatch(/listening on ws:\/\/127\.0\.0\.1:\d+/);
    expect(await server.stop('SIGTERM')).toBe(0);
    expect(server.output()).toContain('storage closed');
  });

  it('exits 0 on a SIGTERM sent the moment it says it is listening', async () => {
    const dataDir = await freshDataDir();
    for (let i = 0; i < 5; i++) {
      const server = await start(dataDir);
      expect(await server.stop('SIGTERM')).toBe(0);
    }
  });

  it('exits 0 on SIGINT after flushing what clients wrote', async () => {
    const dataDir = await freshDataDir();
    const server = await start(dataDir);
    const writer = connect(server.url, 'sigint');
    await waitForSynced(writer);
    writer.text.insert(0, 'flushed');
    const watcher = connect(server.url, 'sigint');
    await waitFor(() => watcher.text.toString() === 'flushed');
    expect(await server.stop('SIGINT')).toBe(0);
    const again = await start(dataDir);
    const reader = connect(again.url, 'sigint');
    await waitForSynced(reader);
    expect(reader.text.toString()).toBe('flushed');
  });
});
