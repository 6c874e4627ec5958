/**
 * Brings the PostgreSQL schema up to date and exits: `OSG_DATABASE_URL=postgres://… npm run migrate`.
 * The server does the same at start-up (under the same advisory lock), so running this first is only
 * needed to migrate ahead of a deployment, or to check that the database is reachable and current.
 *
 * `npm run migrate -- --new-generation` also starts a new store generation, so that every client
 * reloads instead of resuming: after anything that may have lost commits the store cannot see for
 * itself (docs/STORAGE.md, PostgreSQL, "Store generation").
 */
import { ConfigError, loadDatabaseConfig } from '../config.js';
import { createPool, describeUrl } from '../store/pg/db.js';
import { currentTimeline, renewGeneration } from '../store/pg/generation.js';
import { migrate } from '../store/pg/migrate.js';

const args = process.argv.slice(2);
const unknown = args.filter((a) => a !== '--new-generation');
if (unknown.length > 0) {
  process.stderr.write(`migrate: unknown argument ${unknown[0]} (the only one is --new-generation)\n`);
  process.exit(2);
}

let database;
try {
  database = loadDatabaseConfig();
} catch (err) {
  if (!(err instanceof ConfigError)) throw err;
  process.stderr.write(`migrate: invalid configuration: ${err.message}\n`);
  process.exit(2);
}
if (!database) {
  process.stderr.write('migrate: set OSG_DATABASE_URL=postgres://user:password@host:5432/database (the JSON store needs no migration)\n');
  process.exit(2);
}

const pool = createPool({ url: database.url, max: 1 });
try {
  const { applied, version } = await migrate(pool);
  const what = applied.length === 0 ? 'already up to date' : `applied migration${applied.length > 1 ? 's' : ''} ${applied.join(', ')}`;
  process.stdout.write(`migrate: ${describeUrl(database.url)}: schema version ${version}, ${what}\n`);
  if (args.includes('--new-generation')) {
    const { id } = await renewGeneration(pool, 'requested', await currentTimeline(pool));
    process.stdout.write(`migrate: new store generation ${id}: every client reloads instead of resuming\n`);
  }
} catch (err) {
  process.stderr.write(`migrate: ${describeUrl(database.url)}: ${(err as Error).message}\n`);
  process.exitCode = 1;
} finally {
  await pool.end();
}
