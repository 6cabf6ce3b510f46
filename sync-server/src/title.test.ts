import { MAX_TITLE_LENGTH, TITLE_TEXT } from '@tandem/protocol';
import { afterEach, beforeEach, describe, it } from 'vitest';
import { connectProvider, waitForSynced } from './test-support/clients.js';
import { type TestServer, startTestServer, waitFor } from './test-support/server.js';

let server: TestServer;
beforeEach(async () => {
  server = await startTestServer();
});
afterEach(async () => {
  await server.dispose();
});

async function listedTitle(name: string): Promise<string | null | undefined> {
  const { docs } = (await (await fetch(`${server.httpUrl}/api/docs`)).json()) as { docs: Array<{ name: string; title: string | null }> };
  return docs.find((doc) => doc.name === name)?.title;
}

describe('the document list reads the title', () => {
  it('from the shared text the editor writes', async () => {
    const client = connectProvider(server.url, 'shared-title');
    await waitForSynced(client);
    client.doc.getText(TITLE_TEXT).insert(0, 'Roadmap');
    await waitFor(async () => (await listedTitle('shared-title')) === 'Roadmap', { what: 'title listed' });
    client.doc.getText(TITLE_TEXT).insert(0, 'Team ');
    await waitFor(async () => (await listedTitle('shared-title')) === 'Team Roadmap', { what: 'edited title listed', timeoutMs: 3000 });
    client.destroy();
  });

  it('from the old string until the shared text is written, then from the text', async () => {
    const client = connectProvider(server.url, 'old-title');
    await waitForSynced(client);
    client.doc.getMap('meta').set('title', 'Written the old way');
    await waitFor(async () => (await listedTitle('old-title')) === 'Written the old way', { what: 'old title listed' });
    // An editor converts it: the text is written, the string deleted, in whatever order they arrive.
    client.doc.getText(TITLE_TEXT).insert(0, 'Converted');
    await waitFor(async () => (await listedTitle('old-title')) === 'Converted', { what: 'converted title listed', timeoutMs: 3000 });
    // A text emptied since is an empty title, not the old string back.
    client.doc.getText(TITLE_TEXT).delete(0, 'Converted'.length);
    client.destroy();
    await waitFor(async () => (await listedTitle('old-title')) === null, { what: 'emptied title listed', timeoutMs: 3000 });
  });

  it('cut at the longest title the editor allows', async () => {
    const client = connectProvider(server.url, 'long-title');
    await waitForSynced(client);
    client.doc.getText(TITLE_TEXT).insert(0, 'x'.repeat(MAX_TITLE_LENGTH + 300));
    await waitFor(async () => (await listedTitle('long-title'))?.length === MAX_TITLE_LENGTH, { what: 'cut title listed' });
    client.destroy();
  });
});
