/**
 * Brings the PostgreSQL schema up to date and exits: `OSG_DATABASE_URL=postgres://… npm run migrate`.
 * The server does the same at start-up (under the same advisory lock), so running this first is only
 * needed to migrate ahead of a deployment, or to check that the database is reachable and current.
 */
import { ConfigError, loadDatabaseConfig } from '../config.js';
import { createPool, describeUrl } from '../store/pg/db.js';
import { migrate } from '../store/pg/migrate.js';

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
} catch (err) {
  process.stderr.write(`migrate: ${describeUrl(database.url)}: ${(err as Error).message}\n`);
  process.exitCode = 1;
} finally {
  await pool.end();
}
