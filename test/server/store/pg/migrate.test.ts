import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createPool, describeUrl, type Queryable } from '../../../../server/store/pg/db.js';
import { migrate } from '../../../../server/store/pg/migrate.js';
import { MIGRATIONS } from '../../../../server/store/pg/migrations/index.js';
import { PgStore } from '../../../../server/store/pg/pg-store.js';
import { dropTestSchemas, queryIn, TEST_DATABASE_URL, testSchema } from '../../../support/postgres.js';
import { newThread } from '../contract.js';

after(dropTestSchemas);

const ROOT = fileURLToPath(new URL('../../../..', import.meta.url));
const TABLES = [
  'audit',
  'client_keys',
  'events',
  'flags',
  'follow_up_counts',
  'follow_ups',
  'leases',
  'member_changes',
  'notifications',
  'officer_sessions',
  'posts',
  'schema_migrations',
  'site_seq',
  'store_generation',
  'threads',
  'tracking_counters',
  'verification_requests',
  'visitors',
  'votes',
];
const VERSIONS = MIGRATIONS.map((m) => m.version);
const LATEST = VERSIONS.at(-1)!;

async function tablesIn(schema: string): Promise<string[]> {
  const rows = await queryIn<{ name: string }>(schema, `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = $1 ORDER BY 1`, [schema]);
  return rows.map((r) => r.name);
}

async function versionsIn(schema: string): Promise<number[]> {
  return (await queryIn<{ version: number }>(schema, 'SELECT version FROM schema_migrations ORDER BY version')).map((r) => r.version);
}

describe('PostgreSQL schema migrations', () => {
  it('create the schema, every table and every version on first open; opening again applies nothing', async (t) => {
    const schema = await testSchema();
    t.after(schema.drop);
    const first = new PgStore({ url: TEST_DATABASE_URL, schema: schema.name });
    await first.open();
    await first.createThread({ thread: newThread() });
    await first.close();
    assert.deepEqual(await tablesIn(schema.name), TABLES);
    assert.deepEqual(await versionsIn(schema.name), VERSIONS);

    const pool = createPool({ url: TEST_DATABASE_URL, schema: schema.name });
    t.after(() => pool.end());
    assert.deepEqual(await migrate(pool, { schema: schema.name }), { applied: [], version: LATEST });
    assert.equal((await queryIn(schema.name, 'SELECT * FROM threads')).length, 1, 'the data is still there');
  });

  it('apply once when two instances start together on an empty schema', async (t) => {
    const schema = await testSchema();
    t.after(schema.drop);
    const stores = [0, 1].map(() => new PgStore({ url: TEST_DATABASE_URL, schema: schema.name }));
    await Promise.all(stores.map((s) => s.open()));
    t.after(() => Promise.all(stores.map((s) => s.close())));
    assert.deepEqual(await versionsIn(schema.name), VERSIONS);
    const [a, b] = await Promise.all(stores.map((s) => s.createThread({ thread: newThread() })));
    assert.deepEqual([a.record.seq, b.record.seq].sort(), [1, 2]);
  });

  it('refuse a database whose schema is newer than this server, changing nothing', async (t) => {
    const schema = await testSchema();
    t.after(schema.drop);
    const store = new PgStore({ url: TEST_DATABASE_URL, schema: schema.name });
    await store.open();
    await store.close();
    await queryIn(schema.name, `INSERT INTO schema_migrations (version, name) VALUES (99, 'from the future')`);
    const newer = new PgStore({ url: TEST_DATABASE_URL, schema: schema.name });
    await assert.rejects(newer.open(), new RegExp(`schema is at version 99, newer than this server knows \\(${LATEST}\\)`));
    assert.deepEqual(await versionsIn(schema.name), [...VERSIONS, 99]);
  });

  it('leave the database as it was when a migration fails', async (t) => {
    const schema = await testSchema();
    t.after(schema.drop);
    const pool = createPool({ url: TEST_DATABASE_URL, schema: schema.name });
    t.after(() => pool.end());
    const broken = {
      version: LATEST + 1,
      name: 'broken',
      async up(db: Queryable) {
        await db.query('CREATE TABLE half_done (id int)');
        await db.query('SELECT no_such_column FROM threads');
      },
    };
    await assert.rejects(migrate(pool, { schema: schema.name, migrations: [...MIGRATIONS, broken] }), /no_such_column/);
    const exists = await queryIn<{ n: number }>(schema.name, 'SELECT count(*)::int AS n FROM pg_namespace WHERE nspname = $1', [schema.name]);
    assert.equal(exists[0].n, 0, 'not even the schema was created');
    assert.deepEqual(await migrate(pool, { schema: schema.name }), { applied: VERSIONS, version: LATEST });
  });

  it('run from `npm run migrate`, which says what it did, and refuses without OSG_DATABASE_URL', async (t) => {
    const schema = await testSchema();
    t.after(schema.drop);
    await queryIn('public', `CREATE SCHEMA ${schema.name}`);
    const url = `${TEST_DATABASE_URL}?options=${encodeURIComponent(`-c search_path=${schema.name}`)}`;
    const run = (databaseUrl: string | undefined) => {
      const env = { ...process.env, OSG_DATABASE_URL: databaseUrl };
      if (databaseUrl === undefined) delete env.OSG_DATABASE_URL;
      return promisify(execFile)(process.execPath, ['--import', 'tsx', 'server/cli/migrate.ts'], { cwd: ROOT, env }).then(
        (r) => ({ code: 0, out: r.stdout + r.stderr }),
        (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout + e.stderr }),
      );
    };
    const where = describeUrl(TEST_DATABASE_URL);
    assert.deepEqual(await run(url), { code: 0, out: `migrate: ${where}: schema version ${LATEST}, applied migrations ${VERSIONS.join(', ')}\n` });
    assert.deepEqual(await run(url), { code: 0, out: `migrate: ${where}: schema version ${LATEST}, already up to date\n` });
    assert.deepEqual(await tablesIn(schema.name), TABLES);
    const missing = await run(undefined);
    assert.equal(missing.code, 2);
    assert.match(missing.out, /set OSG_DATABASE_URL=postgres:/);
  });
});
