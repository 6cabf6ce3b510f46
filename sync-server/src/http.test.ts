import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connectProvider, waitForSynced } from './test-support/clients.js';
import { type TestServer, startTestServer, waitFor } from './test-support/server.js';

let server: TestServer;
beforeEach(async () => {
  server = await startTestServer();
});
afterEach(async () => {
  await server.dispose();
});

describe('HTTP on the sync port', () => {
  it('/healthz answers JSON', async () => {
    const res = await fetch(`${server.httpUrl}/healthz`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/json');
    expect(await res.json()).toMatchObject({ status: 'ok' });
  });

  it('/readyz is 200 while storage is open and 503 once it is closed', async () => {
    expect((await fetch(`${server.httpUrl}/readyz`)).status).toBe(200);
    await server.server.store.close();
    expect((await fetch(`${server.httpUrl}/readyz`)).status).toBe(503);
  });

  it('/metrics is Prometheus text with connections, documents, messages, bytes, write latency and compactions', async () => {
    const client = connectProvider(server.url, 'metered');
    await waitForSynced(client);
    client.text.insert(0, 'count me');
    await waitFor(async () => /tandem_storage_write_seconds_count \d*[1-9]/.test(await (await fetch(`${server.httpUrl}/metrics`)).text()));
    const text = await (await fetch(`${server.httpUrl}/metrics`)).text();
    for (const name of ['tandem_connections 1', 'tandem_loaded_documents 1', 'tandem_messages_in_total', 'tandem_messages_out_total', 'tandem_bytes_in_total', 'tandem_bytes_out_total', 'tandem_compactions_total', 'tandem_storage_errors_total 0']) {
      expect(text).toContain(name);
    }
    expect(text).not.toContain('metered');
    client.destroy();
  });

  it('/api/docs lists stored documents with name, title, size and update time', async () => {
    const client = connectProvider(server.url, 'listed-doc');
    await waitForSynced(client);
    client.doc.getMap('meta').set('title', 'Quarterly plan');
    client.text.insert(0, 'body');
    await waitFor(async () => ((await (await fetch(`${server.httpUrl}/api/docs`)).json()) as { docs: unknown[] }).docs.length === 1);
    client.destroy();
    await waitFor(async () => {
      const { docs } = (await (await fetch(`${server.httpUrl}/api/docs`)).json()) as { docs: Array<{ title: string | null }> };
      return docs[0]?.title === 'Quarterly plan';
    });
    const { docs } = (await (await fetch(`${server.httpUrl}/api/docs`)).json()) as { docs: Array<Record<string, unknown>> };
    expect(docs[0]).toMatchObject({ name: 'listed-doc', title: 'Quarterly plan' });
    expect(docs[0]!.size).toBeGreaterThan(0);
    expect(Number.isNaN(Date.parse(String(docs[0]!.updatedAt)))).toBe(false);
  });

  it('/api/docs catches up with the last edits of a burst while the document stays open', async () => {
    const client = connectProvider(server.url, 'renamed-doc');
    await waitForSynced(client);
    const titleListed = async (): Promise<string | null | undefined> =>
      ((await (await fetch(`${server.httpUrl}/api/docs`)).json()) as { docs: Array<{ title: string | null }> }).docs[0]?.title;
    client.doc.getMap('meta').set('title', 'Draft');
    await waitFor(async () => (await titleListed()) === 'Draft', { what: 'first title listed' });
    // Renamed within the second after that write: the summary waits for its interval, then comes.
    client.doc.getMap('meta').set('title', 'Final plan');
    await waitFor(async () => (await titleListed()) === 'Final plan', { what: 'new title listed', timeoutMs: 3000 });
    expect(server.server.rooms.has('renamed-doc')).toBe(true);
    client.destroy();
  });

  it('anything else is 404', async () => {
    expect((await fetch(`${server.httpUrl}/`)).status).toBe(404);
    expect((await fetch(`${server.httpUrl}/api/other`)).status).toBe(404);
    expect((await fetch(`${server.httpUrl}/some-doc`)).status).toBe(404);
  });
});
