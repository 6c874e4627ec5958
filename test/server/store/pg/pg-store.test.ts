import { after } from 'node:test';
import { PgStore } from '../../../../server/store/pg/pg-store.js';
import { dropTestSchemas, TEST_DATABASE_URL, testSchema } from '../../../support/postgres.js';
import { runStoreContract } from '../contract.js';

after(dropTestSchemas);

// Each fixture is a schema of its own in the test database; "reopen" is a new PgStore over it.
runStoreContract('postgres', async (options) => {
  const schema = await testSchema();
  const open = async () => {
    const store = new PgStore({ url: TEST_DATABASE_URL, schema: schema.name, eventRetention: options?.eventRetention });
    await store.open();
    return store;
  };
  return { store: await open(), reopen: open, cleanup: schema.drop };
});
