import { rm } from 'node:fs/promises';
import { makeTempDir } from '../test-support/server.js';
import { describeDocStoreContract } from './DocStore.contract.js';
import { LevelDocStore } from './LevelDocStore.js';

describeDocStoreContract('LevelDocStore', async () => {
  const dir = await makeTempDir('tandem-store-');
  return {
    open: () => LevelDocStore.open(dir),
    reopen: () => LevelDocStore.open(dir),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
});
