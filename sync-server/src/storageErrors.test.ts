import { CloseCode } from '@tandem/protocol';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { connectProvider, connectRaw, waitForSynced } from './test-support/clients.js';
import { type TestServer, startTestServer, waitFor } from './test-support/server.js';

let server: TestServer;
beforeEach(async () => {
  server = await startTestServer();
});
afterEach(async () => {
  await server.dispose();
});

it('a failed write is logged with the document name, counted, and closes that document’s connections; the process stays up', async () => {
  const victim = connectProvider(server.url, 'doomed');
  await waitForSynced(victim);
  const closes: number[] = [];
  victim.provider.on('connection-close', (event) => closes.push((event as { code: number } | null)?.code ?? 0));
  await server.server.store.close(); // every write from now on fails for real
  victim.text.insert(0, 'will not be stored');
  await waitFor(() => closes.includes(CloseCode.StorageError.code), { what: 'storage error close' });
  const logLine = await waitFor(() => server.logs.find((l) => l.level === 50 && l.doc === 'doomed'));
  expect(String(logLine!.msg)).toContain('doomed');
  const metrics = await (await fetch(`${server.httpUrl}/metrics`)).text();
  expect(metrics).toMatch(/tandem_storage_errors_total [1-9]/);
  expect((await fetch(`${server.httpUrl}/healthz`)).status).toBe(200);
  victim.destroy();
});

it('a document that cannot be loaded closes the connection with a storage error code', async () => {
  await server.server.store.close();
  const client = await connectRaw(server.url, 'unloadable');
  expect((await client.closed).code).toBe(CloseCode.StorageError.code);
  expect(server.logs.some((l) => l.level === 50 && l.doc === 'unloadable' && l.during === 'load')).toBe(true);
});
