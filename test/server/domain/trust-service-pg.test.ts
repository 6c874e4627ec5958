// The same tests on the PostgreSQL store: trust-rig.ts reads OSG_TEST_STORE when each test builds its rig.
import { after } from 'node:test';
import { dropTestSchemas } from '../../support/postgres.js';

after(dropTestSchemas);
process.env.OSG_TEST_STORE = 'postgres';
await import('./trust-service.test.js');
