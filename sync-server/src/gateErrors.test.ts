/**
 * When the store cannot say whether a document is in the trash: the connection is not let in on
 * that doubt. It is checked again once its document is loaded, and closed with 4500 (StorageError)
 * if the store still cannot say, or with the refusal's code if it now can.
 */
import { AUTH_BY_MESSAGE, AUTH_MESSAGE_PARAM, CloseCode, encodeTokenMessage } from '@tandem/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import type { SyncServerConfig } from './config.js';
import { SERVER_RECORDS, TrashIndex } from './documents/TrashIndex.js';
import { MemoryDocStore } from './storage/MemoryDocStore.js';
import { connectProvider, connectRaw, waitForSynced } from './test-support/clients.js';
import { type TestServer, startTestServer, waitFor } from './test-support/server.js';
import { TEST_SECRET, mintToken } from './test-support/tokens.js';

/** A real in-memory store whose reads of the trash fail the next `failures` times. */
class FlakyTrashStore extends MemoryDocStore {
  failures = 0;
  override async getRecord(name: string, kind: string, id: string): Promise<Uint8Array | undefined> {
    if (name === SERVER_RECORDS && this.failures > 0) {
      this.failures--;
      throw new Error('the trash could not be read');
    }
    return super.getRecord(name, kind, id);
  }
}

let server: TestServer;

/** The server's error lines about closing a connection to `doc`, with the cause's message. */
const closingErrors = (doc: string) =>
  server.logs
    .filter((l) => l.level === 50 && l.doc === doc && String(l.msg).startsWith('closing a connection'))
    .map((l) => ({ msg: l.msg, cause: (l.err as { message?: string } | undefined)?.message }));
afterEach(async () => {
  await server?.dispose();
});

/** A server (with `config`) on a FlakyTrashStore that fails its next `failures` trash reads. */
async function startOnFlakyTrash(failures: number, config: Partial<SyncServerConfig> = {}): Promise<FlakyTrashStore> {
  const store = new FlakyTrashStore();
  server = await startTestServer(config, { store });
  store.failures = failures;
  return store;
}

/** The server logged one closing of a connection to `doc` because the trash could not be read. */
async function expectClosingLogged(doc: string): Promise<void> {
  await waitFor(() => closingErrors(doc).length > 0, { what: 'the closing line' });
  expect(closingErrors(doc)).toEqual([{ msg: 'closing a connection: document state could not be read', cause: 'the trash could not be read' }]);
}

describe('a trash that cannot be read', () => {
  it('lets the connection load, then closes it with 4500 when the second look fails too', async () => {
    await startOnFlakyTrash(2);
    const client = await connectRaw(server.url, 'unsure');
    expect((await client.closed).code).toBe(CloseCode.StorageError.code);
    expect(server.logs.some((l) => l.level === 50 && l.doc === 'unsure')).toBe(true);
  });

  it('lets the connection in when the second look says it may', async () => {
    await startOnFlakyTrash(1);
    const client = connectProvider(server.url, 'fine');
    await waitForSynced(client);
    client.destroy();
  });

  it('closes it with 4410 when the second look finds the document in the trash', async () => {
    const store = await startOnFlakyTrash(0);
    await new TrashIndex(store).put({ name: 'binned', deletedAt: Date.now(), deletedBy: null });
    store.failures = 1;
    const client = await connectRaw(server.url, 'binned');
    expect((await client.closed).code).toBe(CloseCode.DocumentDeleted.code);
  });

  it('logs why it closed the connection, with the cause, when the second look fails', async () => {
    await startOnFlakyTrash(2);
    const client = await connectRaw(server.url, 'twice');
    expect((await client.closed).code).toBe(CloseCode.StorageError.code);
    await expectClosingLogged('twice');
  });

  it('logs why it closed a connection that sent its token first, with the cause, when the look after the token fails', async () => {
    await startOnFlakyTrash(1, { authSecret: TEST_SECRET });
    const client = await connectRaw(server.url, `by-message?${AUTH_MESSAGE_PARAM}=${AUTH_BY_MESSAGE}`);
    client.send(encodeTokenMessage(await mintToken({ doc: 'by-message' })));
    expect((await client.closed).code).toBe(CloseCode.StorageError.code);
    await expectClosingLogged('by-message');
  });
});
