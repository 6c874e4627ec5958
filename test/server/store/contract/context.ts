import type { Store } from '../../../../server/store/store.js';

export interface StoreFixture {
  store: Store;
  /** A fresh, opened store over the same data as `store` (which the suite has closed). */
  reopen: () => Promise<Store>;
  /** Removes the data; the suite has closed every store it opened. */
  cleanup: () => Promise<void>;
}

export interface StoreFixtureOptions {
  /** Events kept per site for eventsSince; the implementation's default when absent. */
  eventRetention?: number;
}

export type MakeStore = (options?: StoreFixtureOptions) => Promise<StoreFixture>;

/** What each area of the contract gets: the store of the running test and its fixture's helpers. */
export interface ContractContext {
  /** The store under test; `reopen` replaces it. */
  readonly store: Store;
  /** Closes the store and removes its data; every test registers it with `t.after`. */
  done(): Promise<void>;
  /** Closes the store and opens a new one over the same data, which becomes `store`. */
  reopen(): Promise<Store>;
  /** Another fixture (e.g. with other options); the test closes and cleans it up itself. */
  makeStore: MakeStore;
  /** The implementation's name ("json", "postgres", "memory"). */
  readonly name: string;
}
