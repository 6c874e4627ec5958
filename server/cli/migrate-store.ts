/**
 * Moves a JSON store into PostgreSQL: `npm run migrate-store -- --from ./data --to postgres://…`.
 *
 * Stop the server first: the JSON store's directory lock refuses a second opener, so a running server is
 * never copied half-way. The target must be an empty database (or schema): the schema is brought up to
 * date, everything is copied in one transaction, counts, sequence numbers and retained events are read
 * back and compared before COMMIT; anything else is refused and nothing is written. Then start the server
 * with OSG_DATABASE_URL set to the same URL (docs/SCALING.md). The JSON files are left as they were.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { createPool, describeUrl } from '../store/pg/db.js';
import { importSnapshot } from '../store/pg/import.js';
import { migrate } from '../store/pg/migrate.js';
import { JsonStore } from '../store/json-store.js';

const USAGE = 'usage: npm run migrate-store -- --from <JSON data directory> --to postgres://user:password@host:5432/database';

function fail(message: string, code = 2): never {
  process.stderr.write(`migrate-store: ${message}\n`);
  process.exit(code);
}

function parseArgs(argv: string[]): { from: string; to: string } {
  const found: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inline] = arg.split(/=(.*)/s, 2);
    if (flag !== '--from' && flag !== '--to') fail(`unknown argument ${JSON.stringify(arg)}\n${USAGE}`);
    const value = inline ?? argv[++i];
    if (value === undefined || value === '') fail(`${flag} needs a value\n${USAGE}`);
    if (found[flag]) fail(`${flag} given twice\n${USAGE}`);
    found[flag] = value;
  }
  if (!found['--from'] || !found['--to']) fail(USAGE);
  return { from: found['--from'], to: found['--to'] };
}

const { from, to } = parseArgs(process.argv.slice(2));
let url: URL;
try {
  url = new URL(to);
} catch {
  fail(`--to is not a URL\n${USAGE}`);
}
if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') fail(`--to must start with postgres:// or postgresql://\n${USAGE}`);

const dir = resolve(from);
if (!existsSync(dir) || !statSync(dir).isDirectory()) fail(`--from ${from}: no such directory`);
// Opening an empty directory would make a new, empty store there: a typo in --from must not look like success.
if (!readdirSync(dir).some((f) => f === 'snapshot.json' || f.startsWith('journal'))) fail(`--from ${from}: not a JSON store (no snapshot.json or journal files in ${dir})`);

const started = performance.now();
const source = new JsonStore({ dir });
try {
  await source.open();
} catch (err) {
  fail(`cannot open the JSON store in ${dir}: ${(err as Error).message} (stop the server first)`, 1);
}
const pool = createPool({ url: to, max: 1 });
let exitCode = 0;
try {
  const data = await source.exportData();
  const { version } = await migrate(pool);
  const result = await importSnapshot(pool, data);
  const c = result.counts;
  process.stdout.write(
    `migrate-store: copied ${dir} into ${describeUrl(to)} (schema version ${version}) in ${Math.round(performance.now() - started)} ms\n` +
      `  ${c.visitors} members, ${c.threads} threads, ${c.posts} answers, ${c.votes} votes, ${c.flags} flags, ` +
      `${c.verification_requests} verification requests, ${c.audit} audit entries, ${c.officer_sessions} officer sessions, ${c.follow_ups} follow-ups, ${c.tracking_counters} tracking counters, ${c.notifications} notifications, ${result.events} retained events\n` +
      `  sequence numbers: ${Object.entries(result.sites).map(([site, seq]) => `${site} ${seq}`).join(', ') || 'none'}\n` +
      `  checked: every count and sequence number matches the source. Start the server with OSG_DATABASE_URL=${describeUrl(to)};\n` +
      `  widgets reload their threads once (a new store generation). The JSON files in ${dir} were left as they were.\n`,
  );
} catch (err) {
  process.stderr.write(`migrate-store: ${(err as Error).message}\n`);
  exitCode = 1;
} finally {
  await pool.end().catch(() => {});
  await source.close().catch(() => {});
}
process.exit(exitCode);
