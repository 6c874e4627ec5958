/**
 * Start-up of a server on PostgreSQL with 1,000,000 answers stored: `node --import tsx bench/pg-startup.ts
 * [runs]` (default 3; a few minutes, most of it the bulk load). Needs the local PostgreSQL of the tests
 * (DEVELOPERS.md); works in a schema of its own, `osg_t_bench_start_<pid>`, dropped at the end.
 *
 * Bulk-loads 100,000 threads and 1,000,000 answers with INSERT … SELECT FROM generate_series (bench/lib/
 * pg-data.ts), then starts `server/main.ts` on it and times process start → `listening` → the first
 * `/healthz` 200 (median of `runs`). Baselines in the same run: the same server on an empty schema, and on
 * an empty JSON data directory — what start-up costs before any data.
 */
import { createPool } from '../server/store/pg/db.js';
import { PgStore } from '../server/store/pg/pg-store.js';
import { dropSchema, ensurePostgres, queryIn, TEST_DATABASE_URL } from '../test/support/postgres.js';
import { machine, spawnOsgServer, table } from './lib/harness.js';
import { loadPosts, loadThreads } from './lib/pg-data.js';

const RUNS = Number(process.argv[2] ?? 3);
const THREADS = 100_000;
const ANSWERS = 1_000_000;
const RETENTION = 1000;
/** The bulk load gives up past this: the run is bounded even on a starved machine. */
const LOAD_LIMIT_MS = 15 * 60_000;
const SCHEMA = `osg_t_bench_start_${process.pid}`;
const EMPTY = `osg_t_bench_start_empty_${process.pid}`;
const urlFor = (schema: string) => `${TEST_DATABASE_URL}?options=${encodeURIComponent(`-c search_path=${schema}`)}`;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const rows: Array<Array<string | number>> = [];

/** One start: ms to `listening`, to the first /healthz 200, and the store's own `open()` from its log. */
async function start(env: Record<string, string>): Promise<{ listening: number; healthy: number; open: number }> {
  const t0 = performance.now();
  const server = await spawnOsgServer({ env });
  const listening = performance.now() - t0;
  try {
    for (;;) {
      const res = await fetch(`http://127.0.0.1:${server.port}/healthz`);
      await res.arrayBuffer();
      if (res.status === 200) break;
      if (performance.now() - t0 > 30_000) throw new Error(`/healthz still ${res.status} after 30 s`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const healthy = performance.now() - t0;
    const open = Number(/"msg":"store opened".*?"ms":(\d+)/.exec(server.output())?.[1] ?? NaN);
    return { listening, healthy, open };
  } finally {
    await server.stop();
  }
}

async function starts(label: string, env: Record<string, string>): Promise<void> {
  const runs: Array<{ listening: number; healthy: number; open: number }> = [];
  for (let r = 0; r < RUNS; r++) runs.push(await start(env));
  const m = (key: 'listening' | 'healthy' | 'open') => `${Math.round(median(runs.map((x) => x[key])))} ms`;
  rows.push([label, m('open'), m('listening'), m('healthy')]);
  console.error(`  ${label}: open ${m('open')}, listening ${m('listening')}, /healthz ${m('healthy')}`);
}

async function withLimit<T>(what: string, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} took over ${LOAD_LIMIT_MS / 60_000} min`)), LOAD_LIMIT_MS)));
  try {
    return await Promise.race([work, limit]);
  } finally {
    clearTimeout(timer);
  }
}

try {
  await ensurePostgres();
  for (const schema of [SCHEMA, EMPTY]) {
    const store = new PgStore({ url: TEST_DATABASE_URL, schema }); // creates the tables
    await store.open();
    await store.close();
  }
  console.error(`loading ${THREADS.toLocaleString('en')} threads and ${ANSWERS.toLocaleString('en')} answers into ${SCHEMA} ...`);
  const pool = createPool({ url: TEST_DATABASE_URL, schema: SCHEMA, max: 1 });
  const t0 = performance.now();
  await withLimit('the bulk load', (async () => {
    await loadThreads(pool, THREADS, RETENTION);
    await loadPosts(pool, ANSWERS, THREADS, RETENTION);
  })()).finally(() => pool.end());
  const loadMs = performance.now() - t0;
  const [{ posts, size }] = await queryIn(
    SCHEMA,
    `SELECT (SELECT count(*)::int FROM posts) AS posts,
            pg_size_pretty((SELECT sum(pg_total_relation_size(c.oid)) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = '${SCHEMA}' AND c.relkind = 'r')) AS size`,
  );
  console.error(`  loaded in ${(loadMs / 1000).toFixed(0)} s: ${posts} answers, ${size}`);

  await starts('JSON store, empty data directory (baseline)', {});
  await starts('PostgreSQL, empty schema (baseline)', { OSG_DATABASE_URL: urlFor(EMPTY) });
  await starts(`PostgreSQL, ${Number(posts).toLocaleString('en')} answers stored (${size})`, { OSG_DATABASE_URL: urlFor(SCHEMA) });

  console.log(`\n${machine()}; bulk load ${(loadMs / 1000).toFixed(0)} s\n`);
  console.log(table(['server/main.ts start-up (median of ' + RUNS + ')', 'store open()', 'to listening', 'to /healthz 200'], rows));
} finally {
  for (const schema of [SCHEMA, EMPTY]) await dropSchema(schema).catch((err: Error) => console.error(`could not drop schema ${schema}: ${err.message}`));
}
