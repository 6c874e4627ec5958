/**
 * PostgreSQL store benchmark: `node --import tsx bench/pg-store.ts [posts] [inFlight]` (defaults
 * 10,000 and 50; about 3 minutes). Needs the local PostgreSQL of the tests (DEVELOPERS.md); works in
 * a schema of its own, `osg_t_bench_…`, dropped at the end.
 *
 * In one run, with 100,000 threads stored in each: acknowledged posts per second and ack latency on
 * the PostgreSQL store and on the JSON store (the baseline), 1 and `inFlight` posters, then `inFlight`
 * posters as the domain posts (the thread read first, the author's counts updated with the post);
 * a site's first page and a word search; then, with 1,000,000 answers bulk-loaded, the PostgreSQL
 * store's start-up (`open()`, median of 3) and its first reads.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { JsonStore } from '../server/store/json-store.js';
import { createPool } from '../server/store/pg/db.js';
import { PgStore } from '../server/store/pg/pg-store.js';
import type { AuthorUpdate, Store } from '../server/store/store.js';
import { dropSchema, ensurePostgres, TEST_DATABASE_URL } from '../test/support/postgres.js';
import { machine, table } from './lib/harness.js';
import { loadPosts, loadThreads } from './lib/pg-data.js';
import { load, post, thread, THREADS } from './lib/store-data.js';

const POSTS = Number(process.argv[2] ?? 10_000);
const IN_FLIGHT = Number(process.argv[3] ?? 50);
const BULK_POSTS = 1_000_000;
const RETENTION = 1000;
const SCHEMA = `osg_t_bench_${process.pid}`;
/** Names this run's connections, to find its PostgreSQL backends. */
const APP = `osg_bench_${process.pid}`;

const rows: Array<Array<string | number>> = [];
const row = (store: string, measure: string, value: string) => {
  rows.push([store, measure, value]);
  console.error(`  ${store}: ${measure}: ${value}`);
};
const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))];
const ms = (n: number) => `${n < 10 ? n.toFixed(2) : n.toFixed(0)} ms`;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/**
 * CPU time (ms) used so far by this process and by the PostgreSQL backends serving it (found by the
 * run's application_name), from /proc: what a post costs, whatever else the machine is doing.
 */
async function cpuMs(): Promise<{ node: number; postgres: number }> {
  const pool = createPool({ url: TEST_DATABASE_URL, max: 1 });
  const { rows: backends } = await pool.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE application_name = $1', [APP]);
  await pool.end();
  const tick = 1000 / 100; // USER_HZ
  const postgres = backends.reduce((sum, { pid }) => {
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
      return sum + (Number(fields[11]) + Number(fields[12])) * tick;
    } catch {
      return sum;
    }
  }, 0);
  const { user, system } = process.cpuUsage();
  return { node: (user + system) / 1000, postgres };
}

/** Acknowledged posts: 1,000 one at a time, then POSTS with IN_FLIGHT posters. */
async function posting(name: string, store: Store, first: number): Promise<void> {
  const single = await load(1000, 1, (i) => store.createPost({ post: post(first + i) }));
  row(name, '1,000 posts, 1 in flight', `${Math.round((1000 * 1000) / single.ms)} posts/s, p50 ${ms(pct(single.latencies, 50))}, p99 ${ms(pct(single.latencies, 99))}`);
  const before = await cpuMs();
  const many = await load(POSTS, IN_FLIGHT, (i) => store.createPost({ post: post(first + 1000 + i) }));
  const after = await cpuMs();
  row(
    name,
    `${POSTS.toLocaleString('en')} posts, ${IN_FLIGHT} in flight`,
    `${Math.round((POSTS * 1000) / many.ms)} posts/s, p50 ${ms(pct(many.latencies, 50))}, p99 ${ms(pct(many.latencies, 99))}`,
  );
  const us = (msTotal: number) => `${Math.round((msTotal * 1000) / POSTS)} µs`;
  const cpu = name === 'postgres' ? `node ${us(after.node - before.node)} + PostgreSQL ${us(after.postgres - before.postgres)}` : `node ${us(after.node - before.node)}`;
  row(name, '  CPU time per post in that run', cpu);
}

/** Authors of the domain-like run: each posts POSTS / AUTHORS answers, a few of them in flight together. */
const AUTHORS = 2000;
const countAnswer: AuthorUpdate = (author) => ({
  updatedAt: new Date().toISOString(),
  stats: { questions: 0, helpfulAnswers: 0, acceptedAnswers: 0, endorsedAnswers: 0, ...author.stats, answers: (author.stats?.answers ?? 0) + 1 },
});

/** POSTS answers as the domain makes them: the thread read first, then the post with its author's update. */
async function postingAsTheDomain(name: string, store: Store, first: number): Promise<void> {
  const at = new Date().toISOString();
  await load(AUTHORS, 50, (i) => store.createVisitor({ visitor: { id: `author${i}`, name: `Penjawab ${i}`, createdAt: at, updatedAt: at } }));
  const many = await load(POSTS, IN_FLIGHT, async (i) => {
    const answer = { ...post(first + i), authorId: `author${i % AUTHORS}` };
    await store.getThreadRecord({ id: answer.threadId });
    return store.createPost({ post: answer, authorUpdate: countAnswer });
  });
  row(
    name,
    `${POSTS.toLocaleString('en')} posts, ${IN_FLIGHT} in flight, as the domain (thread read, author updated)`,
    `${Math.round((POSTS * 1000) / many.ms)} posts/s, p50 ${ms(pct(many.latencies, 50))}, p99 ${ms(pct(many.latencies, 99))}`,
  );
}

async function reads(name: string, store: Store): Promise<void> {
  const timed = async (label: string, fn: () => Promise<unknown>) => {
    const times: number[] = [];
    for (let r = 0; r < 5; r++) {
      const t0 = performance.now();
      await fn();
      times.push(performance.now() - t0);
    }
    row(name, `${label} (median of 5)`, ms(median(times)));
  };
  await timed('first page of a site (20 of 25,000 threads)', () => store.listThreads({ site: 'kanreg-1', filter: 'all', limit: 20 }));
  await timed('word search, no match (3 words)', () => store.listThreads({ site: 'kanreg-1', filter: 'all', limit: 20, words: ['pensiun', 'diverifikasi', '99999'] }));
  await timed('word search, 20 of many matches', () => store.listThreads({ site: 'kanreg-1', filter: 'all', limit: 20, words: ['pangkat'] }));
}

const root = mkdtempSync(path.join(os.tmpdir(), 'osg-bench-pg-'));
try {
  await ensurePostgres();
  const pgOptions = { url: `${TEST_DATABASE_URL}?application_name=${APP}`, schema: SCHEMA, eventRetention: RETENTION };

  console.error(`PostgreSQL: loading ${THREADS.toLocaleString('en')} threads into ${SCHEMA} ...`);
  {
    const store = new PgStore(pgOptions); // creates the schema and tables
    await store.open();
    await store.close();
    const pool = createPool({ url: TEST_DATABASE_URL, schema: SCHEMA, max: 1 });
    const t0 = performance.now();
    await loadThreads(pool, THREADS, RETENTION);
    row('postgres', `bulk load ${THREADS.toLocaleString('en')} threads (generate_series)`, `${((performance.now() - t0) / 1000).toFixed(1)} s`);
    await pool.end();
  }
  {
    const t0 = performance.now();
    const store = new PgStore(pgOptions);
    await store.open();
    row('postgres', `open with ${THREADS.toLocaleString('en')} threads`, ms(performance.now() - t0));
    await posting('postgres', store, 0);
    await postingAsTheDomain('postgres', store, 1000 + POSTS);
    await reads('postgres', store);
    await store.close();
  }

  console.error(`JSON: seeding ${THREADS.toLocaleString('en')} threads ...`);
  {
    const dir = path.join(root, 'json');
    const seeding = new JsonStore({ dir });
    await seeding.open();
    await load(THREADS, 1000, (i) => seeding.createThread({ thread: thread(i) }));
    await seeding.close();
    const t0 = performance.now();
    const store = new JsonStore({ dir });
    await store.open();
    row('json', `open with ${THREADS.toLocaleString('en')} threads`, ms(performance.now() - t0));
    await posting('json', store, 0);
    await postingAsTheDomain('json', store, 1000 + POSTS);
    await reads('json', store);
    await store.close();
  }

  console.error(`PostgreSQL: loading ${BULK_POSTS.toLocaleString('en')} answers ...`);
  {
    const pool = createPool({ url: TEST_DATABASE_URL, schema: SCHEMA, max: 1 });
    const t0 = performance.now();
    await loadPosts(pool, BULK_POSTS, THREADS, RETENTION);
    row('postgres', `bulk load ${BULK_POSTS.toLocaleString('en')} answers (generate_series)`, `${((performance.now() - t0) / 1000).toFixed(1)} s`);
    const { rows: counts } = await pool.query<{ posts: number; size: string }>(
      `SELECT (SELECT count(*)::int FROM posts) AS posts,
              pg_size_pretty((SELECT sum(pg_total_relation_size(c.oid)) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relkind = 'r')) AS size`,
      [SCHEMA],
    );
    row('postgres', 'answers stored / size of the schema', `${counts[0].posts.toLocaleString('en')} / ${counts[0].size}`);
    await pool.end();
  }
  {
    const opens: number[] = [];
    const firstReads: number[] = [];
    for (let r = 0; r < 3; r++) {
      const t0 = performance.now();
      const store = new PgStore(pgOptions);
      await store.open();
      const t1 = performance.now();
      await store.getThread({ id: `t${(r * 7919) % THREADS}` });
      await store.listThreads({ site: 'kanreg-2', filter: 'all', limit: 20 });
      await store.eventsSince({ site: 'kanreg-3', afterSeq: (await store.currentSeq({ site: 'kanreg-3' })) - 50, limit: 100 });
      firstReads.push(performance.now() - t1);
      opens.push(t1 - t0);
      await store.close();
    }
    row('postgres', `open() with ${BULK_POSTS.toLocaleString('en')} answers stored (median of 3)`, ms(median(opens)));
    row('postgres', 'then a thread, a page and 50 events to resume (median of 3)', ms(median(firstReads)));
  }

  console.log(`\n${machine()}\n`);
  console.log(table(['store', 'measure', 'result'], rows));
} finally {
  await dropSchema(SCHEMA).catch((err: Error) => console.error(`could not drop schema ${SCHEMA}: ${err.message}`));
  rmSync(root, { recursive: true, force: true });
}
