/**
 * The local PostgreSQL for tests and benchmarks (DEVELOPERS.md, "PostgreSQL and Redis for tests"):
 * 127.0.0.1:5432, user postgres, trust auth, database `test`. Each store under test gets a schema of
 * its own, `osg_t_<pid>_<random>`, dropped afterwards; nothing else in the database is touched.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import pg from 'pg';

export const TEST_DATABASE_URL = process.env.OSG_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

let ready: Promise<void> | undefined;

/**
 * Resolves once the test database answers: starts the local cluster when nothing listens, creates
 * the database `test` when missing, and makes sure pg_trgm (word search) is installed in `public`,
 * where every test schema's migration finds it. Throws one line saying what is wrong otherwise.
 */
export function ensurePostgres(): Promise<void> {
  ready ??= prepare().catch((err: Error) => {
    ready = undefined;
    throw new Error(`PostgreSQL for tests: ${err.message} (see DEVELOPERS.md, "PostgreSQL and Redis for tests")`);
  });
  return ready;
}

async function prepare(): Promise<void> {
  let problem = await probe(TEST_DATABASE_URL);
  if (problem && /ECONNREFUSED|ENOENT|the database system is starting up/.test(problem)) {
    startCluster(problem);
    const deadline = Date.now() + 20_000;
    while ((problem = await probe(TEST_DATABASE_URL)) && /ECONNREFUSED|starting up/.test(problem) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  if (problem && /database "[^"]+" does not exist/.test(problem)) {
    const url = new URL(TEST_DATABASE_URL);
    const name = url.pathname.slice(1);
    url.pathname = '/postgres';
    await withClient(url.toString(), (client) => client.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`));
    problem = await probe(TEST_DATABASE_URL);
  }
  if (problem) throw new Error(`cannot use ${TEST_DATABASE_URL}: ${problem}`);
  await withClient(TEST_DATABASE_URL, async (client) => {
    // Concurrent test files may get here together; the lock makes the second find the extension.
    await client.query('BEGIN');
    await client.query(`SELECT pg_advisory_xact_lock(hashtext('osg-konsultasi test setup'))`);
    await client.query('CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public');
    await client.query('COMMIT');
  });
}

/** undefined when the database answers, else the error's message. */
async function probe(url: string): Promise<string | undefined> {
  try {
    await withClient(url, (client) => client.query('SELECT 1'));
    return undefined;
  } catch (err) {
    return (err as Error).message || String((err as { code?: string }).code);
  }
}

function startCluster(why: string): void {
  const versions = existsSync('/etc/postgresql') ? readdirSync('/etc/postgresql') : [];
  if (versions.length === 0) throw new Error(`nothing answers at ${TEST_DATABASE_URL} (${why}) and no local cluster is installed under /etc/postgresql`);
  try {
    execFileSync('pg_ctlcluster', ['--skip-systemctl-redirect', versions[0], 'main', 'start'], { stdio: 'pipe', timeout: 30_000 });
  } catch (err) {
    const detail = (err as { stderr?: Buffer }).stderr?.toString().trim() || (err as Error).message;
    throw new Error(`nothing answers at ${TEST_DATABASE_URL} (${why}) and "pg_ctlcluster --skip-systemctl-redirect ${versions[0]} main start" failed: ${detail}`);
  }
}

async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

const created = new Set<string>();

/** A new schema name for one store's data; `drop` removes the schema and everything in it. */
export async function testSchema(): Promise<{ name: string; drop: () => Promise<void> }> {
  await ensurePostgres();
  const name = `osg_t_${process.pid}_${randomBytes(4).toString('hex')}`;
  created.add(name);
  return { name, drop: () => dropSchema(name) };
}

export async function dropSchema(name: string): Promise<void> {
  if (!name.startsWith('osg_t_')) throw new Error(`refusing to drop schema ${name}: not a test schema`);
  await withClient(TEST_DATABASE_URL, (client) => client.query(`DROP SCHEMA IF EXISTS ${pg.escapeIdentifier(name)} CASCADE`));
  created.delete(name);
}

/** Drops every schema this process made that is still there (a test that failed before its cleanup). */
export async function dropTestSchemas(): Promise<void> {
  for (const name of [...created]) await dropSchema(name);
}

/** Runs one statement in a test schema on a connection of its own (to look at what a store wrote). */
export async function queryIn<R extends pg.QueryResultRow = pg.QueryResultRow>(schema: string, text: string, values: unknown[] = []): Promise<R[]> {
  return withClient(TEST_DATABASE_URL, async (client) => {
    await client.query(`SET search_path = ${pg.escapeIdentifier(schema)}`);
    return (await client.query<R>(text, values)).rows;
  });
}

/** A connection of its own with `schema` first on its search path (to hold locks in a test); the caller ends it. */
export async function clientIn(schema: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL, connectionTimeoutMillis: 5_000 });
  await client.connect();
  await client.query(`SET search_path = ${pg.escapeIdentifier(schema)}`);
  return client;
}

/**
 * Resolves once `count` other backends wait on locks that `holder` holds, directly or behind one
 * another: the barrier before a test lets writers it held back go all at once.
 */
export async function waitUntilBlockedBy(holder: pg.Client, count: number, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { rows } = await holder.query<{ n: number }>(
      `WITH RECURSIVE blocked(pid) AS (
         SELECT pid FROM pg_stat_activity WHERE pg_backend_pid() = ANY (pg_blocking_pids(pid))
         UNION
         SELECT a.pid FROM pg_stat_activity a JOIN blocked b ON b.pid = ANY (pg_blocking_pids(a.pid))
       )
       SELECT count(*)::int AS n FROM blocked`,
    );
    if (rows[0].n >= count) return;
    if (Date.now() > deadline) throw new Error(`only ${rows[0].n} of ${count} backends came to wait on the test's locks`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
