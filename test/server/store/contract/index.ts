/**
 * The behaviour every Store must have. Each implementation's test file calls runStoreContract with a
 * factory; `reopen` closes nothing itself: the suite closes the store first, then asks for a new
 * instance over the same data (same directory, same database). One file per area of the interface.
 */
import { beforeEach, describe } from 'node:test';
import type { Store } from '../../../../server/store/store.js';
import { batchedReadsContract } from './batched-reads.js';
import { closingContract } from './closing.js';
import { concurrencyContract } from './concurrency.js';
import type { ContractContext, MakeStore, StoreFixture } from './context.js';
import { eventsContract } from './events.js';
import { flagsContract } from './flags.js';
import { followUpsContract } from './follow-ups.js';
import { healthContract } from './health.js';
import { listingContract } from './listing.js';
import { officerRecordsContract } from './officer-records.js';
import { authorUpdateContract } from './author-update.js';
import { postsContract } from './posts.js';
import { runOfficerSessionContract } from './sessions.js';
import { threadsContract } from './threads.js';
import { visitorsContract } from './visitors.js';
import { votesContract } from './votes.js';

export type { MakeStore, StoreFixture, StoreFixtureOptions } from './context.js';
export { newFollowUp } from './follow-ups.js';
export { at, newPost, newThread, readTrust, seedTrust, unique, visitor, vote } from './fixtures.js';

export function runStoreContract(name: string, makeStore: MakeStore): void {
  runOfficerSessionContract(name, makeStore);
  describe(`${name} store contract`, () => {
    let fixture: StoreFixture;
    let store: Store;

    beforeEach(async () => {
      fixture = await makeStore();
      store = fixture.store;
    });

    const context: ContractContext = {
      name,
      makeStore,
      get store() {
        return store;
      },
      // Each test closes what it opened through `done`, so a failing assertion still cleans up.
      async done() {
        await store.close();
        await fixture.cleanup();
      },
      async reopen() {
        await store.close();
        store = await fixture.reopen();
        return store;
      },
    };

    visitorsContract(context);
    threadsContract(context);
    authorUpdateContract(context);
    listingContract(context);
    eventsContract(context);
    votesContract(context);
    postsContract(context);
    flagsContract(context);
    batchedReadsContract(context);
    officerRecordsContract(context);
    followUpsContract(context);
    closingContract(context);
    healthContract(context);
    concurrencyContract(context);
  });
}
