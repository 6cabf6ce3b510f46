import { describeDocStoreContract } from './DocStore.contract.js';
import { type MemoryContents, MemoryDocStore } from './MemoryDocStore.js';

describeDocStoreContract('MemoryDocStore', async () => {
  const contents: MemoryContents = new Map();
  return {
    open: async () => new MemoryDocStore(contents),
    reopen: async () => new MemoryDocStore(contents),
    cleanup: async () => contents.clear(),
  };
});
