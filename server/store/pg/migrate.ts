import type pg from 'pg';
import { quoteIdent, Tx } from './db.js';
import { MIGRATIONS, type Migration } from './migrations/index.js';

/**
 * Key of the advisory lock held while migrating. One key for the whole database: instances starting
 * together (or test runs in their own schemas) take turns, and the second finds the work done.
 */
const MIGRATION_LOCK = 0x05c0_4b01;

export interface MigrationResult {
  /** Versions applied by this call, in order. */
  applied: number[];
  /** The schema's version afterwards. */
  version: number;
}

/**
 * Brings the schema up to date in one transaction under an advisory lock: creates `schema` (when
 * given) and `schema_migrations`, then applies every missing migration in order. Refuses a database
 * whose schema is newer than this code knows, rather than write to it.
 */
export async function migrate(pool: pg.Pool, options: { schema?: string; migrations?: readonly Migration[] } = {}): Promise<MigrationResult> {
  const migrations = options.migrations ?? MIGRATIONS;
  const latest = migrations.at(-1)?.version ?? 0;
  const client = await pool.connect();
  const tx = new Tx(client);
  try {
    await tx.query('BEGIN');
    await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    if (options.schema !== undefined) await tx.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(options.schema)}`);
    await tx.query(`
      CREATE TABLE IF NOT EXISTS schema_migrations (
        version integer PRIMARY KEY,
        name text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now()
      )`);
    const done = new Set((await tx.query<{ version: number }>('SELECT version FROM schema_migrations')).rows.map((r) => r.version));
    const newest = Math.max(0, ...done);
    if (newest > latest) {
      throw new Error(`the database schema is at version ${newest}, newer than this server knows (${latest}); run the newer server version, or restore a matching backup`);
    }
    const applied: number[] = [];
    for (const migration of migrations) {
      if (done.has(migration.version)) continue;
      await migration.up(tx);
      await tx.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [migration.version, migration.name]);
      applied.push(migration.version);
    }
    await tx.query('COMMIT');
    return { applied, version: Math.max(newest, ...applied) };
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  } finally {
    client.release();
  }
}
