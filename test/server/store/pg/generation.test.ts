/**
 * The store generation on PostgreSQL: kept while the database vouches for its history, new when it was
 * restored from a dump (whole or data only), moved to another WAL timeline, or renewed by
 * `npm run migrate -- --new-generation`; an open instance learns a new one on its next check.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it, type TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { PgStore, type PgStoreOptions } from '../../../../server/store/pg/pg-store.js';
import { dropTestSchemas, queryIn, TEST_DATABASE_URL, testSchema } from '../../../support/postgres.js';
import { newThread } from '../contract.js';

after(dropTestSchemas);

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../../..', import.meta.url));
const TABLES = 'audit, client_keys, events, flags, follow_ups, notifications, officer_sessions, posts, schema_migrations, site_seq, store_generation, threads, tracking_counters, verification_requests, visitors, votes';

interface Logged {
  msg: string;
  fields: Record<string, unknown>;
}

/** A fresh schema, and a way to open stores over it (closed, and the schema dropped, when the test ends). */
async function database(t: TestContext) {
  const schema = await testSchema();
  const logs: Logged[] = [];
  const opened: PgStore[] = [];
  t.after(async () => {
    for (const store of opened) await store.close();
    await schema.drop();
  });
  const open = async (options: Partial<PgStoreOptions> = {}) => {
    const store = new PgStore({ url: TEST_DATABASE_URL, schema: schema.name, log: (_level, msg, fields) => logs.push({ msg, fields }), ...options });
    opened.push(store);
    await store.open();
    return store;
  };
  const close = async (store: PgStore) => {
    await store.close();
    opened.splice(opened.indexOf(store), 1);
  };
  return { schema: schema.name, logs, open, close };
}

/** pg_dump of one schema into a file: everything, or the rows only. */
async function dump(t: TestContext, schema: string, dataOnly = false): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'osg-pg-dump-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'dump.sql');
  await run('pg_dump', [`--dbname=${TEST_DATABASE_URL}`, `--schema=${schema}`, '--no-owner', `--file=${file}`, ...(dataOnly ? ['--data-only'] : [])]);
  return file;
}

const psql = (file: string) => run('psql', [`--dbname=${TEST_DATABASE_URL}`, '--quiet', '--set=ON_ERROR_STOP=1', `--file=${file}`]);
const renewals = (logs: Logged[]) => logs.filter((l) => l.msg.startsWith('new store generation')).map((l) => l.fields.reason);

describe('PostgreSQL store generation', () => {
  it('stays the same across restarts and for every instance', async (t) => {
    const db = await database(t);
    const first = await db.open();
    const generation = await first.generation();
    assert.match(generation, /^[A-Za-z0-9_-]{1,64}$/);
    await first.createThread({ thread: newThread() });
    const second = await db.open();
    assert.equal(await second.generation(), generation);
    await db.close(first);
    await db.close(second);
    assert.equal(await (await db.open()).generation(), generation);
    assert.deepEqual(renewals(db.logs), []);
  });

  it('is new after a restore from an older dump, which hands out seqs that clients already hold', async (t) => {
    const db = await database(t);
    const store = await db.open();
    const before = await store.generation();
    await store.createThread({ thread: newThread() });
    const file = await dump(t, db.schema);
    assert.equal((await store.createThread({ thread: newThread() })).record.seq, 2);
    await db.close(store);

    await queryIn('public', `DROP SCHEMA ${db.schema} CASCADE`);
    await psql(file);
    const [a, b] = await Promise.all([db.open(), db.open()]);
    const after = await a.generation();
    assert.notEqual(after, before);
    assert.equal(await b.generation(), after, 'two instances noticing it together agree on one new generation');
    assert.deepEqual(renewals(db.logs), ['restored']);
    assert.equal((await a.createThread({ thread: newThread() })).record.seq, 2, 'seq 2 again, now a different thread');
  });

  it('is new after the rows alone were loaded from a dump into the same tables', async (t) => {
    const db = await database(t);
    const store = await db.open();
    const before = await store.generation();
    await store.createThread({ thread: newThread() });
    const file = await dump(t, db.schema, true);
    await db.close(store);

    await queryIn(db.schema, `TRUNCATE ${TABLES}`);
    await psql(file);
    assert.notEqual(await (await db.open()).generation(), before);
    assert.deepEqual(renewals(db.logs), ['restored']);
  });

  it('is new when the server is on another WAL timeline than when it was written (point-in-time recovery, failover)', async (t) => {
    const db = await database(t);
    const store = await db.open();
    const before = await store.generation();
    await db.close(store);
    const [{ timeline }] = await queryIn<{ timeline: string | null }>(db.schema, 'SELECT store_timeline() AS timeline');
    assert.match(timeline ?? '', /^[0-9A-F]{8}$/, 'this server tells its timeline');
    // As the row looks after a recovery: written by the store (birth matches), on a timeline the server has left.
    await queryIn(db.schema, `UPDATE store_generation SET timeline = 'FFFFFFF0', birth = (pg_current_xact_id()::text::bigint % 4294967296)::text`);
    const reopened = await db.open();
    assert.notEqual(await reopened.generation(), before);
    assert.deepEqual(renewals(db.logs), ['timeline']);
    const [row] = await queryIn<{ timeline: string }>(db.schema, 'SELECT timeline FROM store_generation');
    assert.equal(row.timeline, timeline);
  });

  it('is renewed by `npm run migrate -- --new-generation`, and an open instance gives the new one at its next check', async (t) => {
    const db = await database(t);
    const store = await db.open({ healthCacheMs: 0 });
    const before = await store.generation();
    const url = `${TEST_DATABASE_URL}?options=${encodeURIComponent(`-c search_path=${db.schema}`)}`;
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'server/cli/migrate.ts', '--new-generation'], { cwd: ROOT, env: { ...process.env, OSG_DATABASE_URL: url } });
    const printed = /new store generation (\S+):/.exec(stdout)?.[1];
    assert.ok(printed && printed !== before, stdout);
    assert.equal(await store.generation(), printed);
    assert.ok(db.logs.some((l) => l.msg.startsWith('store generation changed')));
    const [row] = await queryIn<{ reason: string }>(db.schema, 'SELECT reason FROM store_generation');
    assert.equal(row.reason, 'requested');
  });
});
