/**
 * Storage benchmark: `node --import tsx bench/store.ts [posts] [inFlight]`.
 *
 * Seeds 100,000 threads into a JsonStore in a temp directory, then measures acknowledged posts per
 * second and ack latency with many posters in flight, start-up time, and the same posts through
 * lowdb's stock `JSONFilePreset` + `db.update()` over the same data as the baseline.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { JSONFilePreset } from 'lowdb/node';
import type { Post, Thread } from '../server/domain/model.js';
import { JsonStore, SNAPSHOT_FILE } from '../server/store/json-store.js';
import { load, post, thread, THREADS } from './lib/store-data.js';

const POSTS = Number(process.argv[2] ?? 10_000);
const IN_FLIGHT = Number(process.argv[3] ?? 50);
const LOWDB_POSTS = 50;

const root = mkdtempSync(path.join(os.tmpdir(), 'osg-bench-'));
const rows: Array<[string, string]> = [];
const row = (label: string, value: string) => {
  rows.push([label, value]);
  console.error(`  ${label}: ${value}`);
};

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))];
const ms = (n: number) => `${n < 10 ? n.toFixed(2) : n.toFixed(0)} ms`;
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

async function timedOpen(dir: string): Promise<{ store: JsonStore; ms: number }> {
  const store = new JsonStore({ dir });
  const t0 = performance.now();
  await store.open();
  return { store, ms: performance.now() - t0 };
}

try {
  const dir = path.join(root, 'json');
  console.error(`seeding ${THREADS} threads in ${dir} ...`);
  {
    const store = new JsonStore({ dir });
    await store.open();
    const seed = await load(THREADS, 1000, (i) => store.createThread({ thread: thread(i) }));
    await store.close();
    row('seed 100,000 threads (1,000 in flight)', `${(seed.ms / 1000).toFixed(1)} s, snapshot ${mb(statSync(path.join(dir, SNAPSHOT_FILE)).size)}`);
  }

  const opened = await timedOpen(dir);
  row('json: open with 100,000 threads (snapshot)', ms(opened.ms));
  const store = opened.store;

  const single = await load(1000, 1, (i) => store.createPost({ post: post(i) }));
  row('json: 1,000 posts, 1 in flight', `${Math.round((1000 * 1000) / single.ms)} posts/s, p50 ${ms(pct(single.latencies, 50))}, p99 ${ms(pct(single.latencies, 99))}`);

  const many = await load(POSTS, IN_FLIGHT, (i) => store.createPost({ post: post(1000 + i) }));
  row(`json: ${POSTS.toLocaleString('en')} posts, ${IN_FLIGHT} in flight`, `${Math.round((POSTS * 1000) / many.ms)} posts/s, p50 ${ms(pct(many.latencies, 50))}, p99 ${ms(pct(many.latencies, 99))}`);

  // A crash image: the snapshot plus every post of this run still in the journal.
  await store.idle();
  const crashed = path.join(root, 'crashed');
  cpSync(dir, crashed, { recursive: true, filter: notLock }); // the lock socket dies with its owner; cp cannot copy it
  const replay = await timedOpen(crashed);
  row(`json: open after a crash (snapshot + ${(1000 + POSTS).toLocaleString('en')} journal records)`, ms(replay.ms));
  await replay.store.close();

  // The first word search of a site after start-up also lower-cases its threads' text, once.
  for (const label of ['json: word search, no match (full scan of a site: 25,000 threads)', 'json: the same word search again']) {
    const listT0 = performance.now();
    const listed = await store.listThreads({ site: 'kanreg-1', filter: 'all', limit: 20, words: ['pensiun', 'diverifikasi', '99999'] });
    row(label, `${ms(performance.now() - listT0)} (${listed.threads.length} found)`);
  }
  const closeT0 = performance.now();
  await store.close();
  row('json: close() = snapshot of 100,000 threads + 11,000 posts', ms(performance.now() - closeT0));

  // What the disk itself costs: one small append + fdatasync, as the journal does per batch.
  const probe = await open(path.join(root, 'fsync-probe'), 'a');
  const line = Buffer.from(`${'x'.repeat(300)}\n`);
  const disk = await load(200, 1, async () => {
    await probe.write(line);
    await probe.datasync();
  });
  await probe.close();
  row('disk: 300-byte append + fdatasync', `p50 ${ms(pct(disk.latencies, 50))}, p99 ${ms(pct(disk.latencies, 99))}`);

  // Baseline: stock lowdb, one db.update() (whole-file rewrite through steno, no fsync) per post.
  const snapshot = JSON.parse(readFileSync(path.join(dir, SNAPSHOT_FILE), 'utf8')) as { threads: Thread[] };
  const lowFile = path.join(root, 'lowdb.json');
  writeFileSync(lowFile, JSON.stringify({ threads: snapshot.threads, posts: [] }));
  const lowT0 = performance.now();
  const db = await JSONFilePreset<{ threads: Thread[]; posts: Post[] }>(lowFile, { threads: [], posts: [] });
  const byId = new Map(db.data.threads.map((t) => [t.id, t]));
  row('lowdb: open with 100,000 threads (JSONFilePreset)', ms(performance.now() - lowT0));
  const low = await load(LOWDB_POSTS, 1, (i) =>
    db.update((data) => {
      const p = post(50_000 + i);
      const t = byId.get(p.threadId)!;
      t.answerCount++;
      t.lastActivityAt = p.createdAt;
      data.posts.push({ ...p, seq: 0 });
    }),
  );
  row(`lowdb: ${LOWDB_POSTS} posts via db.update(), 1 in flight`, `${Math.round((LOWDB_POSTS * 1000) / low.ms)} posts/s, p50 ${ms(pct(low.latencies, 50))}, p99 ${ms(pct(low.latencies, 99))}`);

  const width = Math.max(...rows.map(([label]) => label.length));
  console.log(`\nnode ${process.version}, ${os.cpus().length} cpus, ${os.platform()} ${os.release()}\n`);
  console.log(`| ${'measure'.padEnd(width)} | result |`);
  console.log(`| ${'-'.repeat(width)} | --- |`);
  for (const [label, value] of rows) console.log(`| ${label.padEnd(width)} | ${value} |`);
} finally {
  rmSync(root, { recursive: true, force: true });
}

function notLock(source: string): boolean {
  return !path.basename(source).startsWith('LOCK');
}
