import { MemoryStore } from '../../../server/store/memory-store.js';
import { runStoreContract } from './contract.js';

// "Reopening" a memory store opens a new instance over the same MemoryState, as a restart over the
// same files or database would.
runStoreContract('memory', async (options) => {
  const store = new MemoryStore({ eventRetention: options?.eventRetention });
  await store.open();
  const reopen = async () => {
    const next = new MemoryStore({ state: store.state });
    await next.open();
    return next;
  };
  return { store, reopen, cleanup: async () => {} };
});
