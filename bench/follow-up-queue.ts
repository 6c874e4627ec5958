/**
 * The officers' queue in the JSON store: `queryFollowUps` pages over 20,000 follow-ups of 100,000 threads on
 * 14 sites (target: first page p99 < 50 ms), and `countFollowUps`. The data is written as a snapshot and the
 * store opened over it (its real load path). Baseline in the same run: the same queries answered without the
 * per-site index, by filtering and sorting every follow-up per query.
 *
 *   node --import tsx bench/follow-up-queue.ts
 *   BENCH_QUEUE_THREADS=100000 BENCH_QUEUE_FOLLOW_UPS=20000 BENCH_QUEUE_RUNS=200 (defaults)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { queueDueAt, type FollowUp } from '../server/domain/follow-up/model.js';
import { JsonStore } from '../server/store/json-store.js';
import type { FollowUpQuery } from '../server/store/store.js';
import { machine, percentile, table } from './lib/harness.js';
import { FOLLOW_UPS, OPEN, SITES, THREADS, writeSnapshot } from './lib/follow-up-data.js';

const RUNS = Number(process.env.BENCH_QUEUE_RUNS ?? 200);

/** The same answer without an index: every follow-up filtered and sorted per query. */
function scanQuery(all: FollowUp[], text: Map<string, string>, q: FollowUpQuery): FollowUp[] {
  const sites = new Set(q.sites);
  const statuses = q.statuses && new Set(q.statuses);
  const words = (q.words ?? []).map((w) => w.toLowerCase());
  return all
    .filter((f) => sites.has(f.site) && (!statuses || statuses.has(f.status)) && words.every((w) => text.get(f.threadId)!.includes(w)))
    .map((f) => ({ f, due: queueDueAt(f) }))
    .sort((a, b) => (a.due < b.due ? -1 : a.due > b.due ? 1 : a.f.threadId < b.f.threadId ? -1 : 1))
    .slice(0, q.limit)
    .map(({ f }) => structuredClone(f));
}

/** Wall and CPU (this process, user + system) milliseconds per run, each sorted: the machine may be shared. */
async function timed(run: (i: number) => Promise<unknown> | unknown): Promise<{ wall: number[]; cpu: number[] }> {
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    await run(i);
    wall.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  return { wall: wall.sort((a, b) => a - b), cpu: cpu.sort((a, b) => a - b) };
}

const root = mkdtempSync(path.join(tmpdir(), 'osg-bench-queue-'));
try {
  console.log(`# follow-up queue: ${THREADS.toLocaleString('en')} threads, ${FOLLOW_UPS.toLocaleString('en')} follow-ups, ${SITES.length} sites, ${RUNS} runs per row`);
  console.log(`# ${machine()}`);
  const { threads, followUps } = writeSnapshot(root);
  const store = new JsonStore({ dir: root });
  const t0 = performance.now();
  await store.open();
  console.log(`# open: ${(performance.now() - t0).toFixed(0)} ms`);
  const text = new Map(threads.map((t) => [t.id, `${t.title}\n${t.body}`.toLowerCase()]));

  const cases: Array<[string, (i: number) => FollowUpQuery]> = [
    ['first page, 1 site, open statuses', (i) => ({ sites: [SITES[i % 14]!], statuses: OPEN, limit: 25 })],
    ['first page, 14 sites, open statuses', () => ({ sites: SITES, statuses: OPEN, limit: 25 })],
    ['first page, 14 sites, no filter', () => ({ sites: SITES, limit: 25 })],
    ['first page, 14 sites, one officer', (i) => ({ sites: SITES, assignee: { id: `officer-${i % 40}` }, limit: 25 })],
    ['first page, 14 sites, words "pensiun siasn"', () => ({ sites: SITES, words: ['pensiun', 'siasn'], limit: 25 })],
    ['first page, 14 sites, words matching nothing', () => ({ sites: SITES, words: ['tidak-ada-sama-sekali'], limit: 25 })],
    ['tracking number, 14 sites', (i) => ({ sites: SITES, words: [followUps[(i * 97) % FOLLOW_UPS]!.tracking], limit: 25 })],
  ];
  const rows: Array<Array<string | number>> = [];
  const fmt = (v: number) => v.toFixed(2);
  const cells = (t: { wall: number[]; cpu: number[] } | undefined) =>
    t ? [fmt(percentile(t.wall, 50)), fmt(percentile(t.wall, 99)), fmt(percentile(t.cpu, 50)), fmt(percentile(t.cpu, 99))] : ['-', '-', '-', '-'];
  for (const [label, query] of cases) {
    const indexed = await timed((i) => store.queryFollowUps(query(i)));
    const scanned = label.startsWith('tracking') ? undefined : await timed((i) => scanQuery(followUps, text, query(i)));
    rows.push([label, ...cells(indexed), ...cells(scanned).slice(0, 2)]);
  }
  // Deep paging: the 20th page of 25, following each cursor.
  const deep = await timed(async () => {
    let page = await store.queryFollowUps({ sites: SITES, statuses: OPEN, limit: 25 });
    for (let p = 1; p < 20 && page.next; p++) page = await store.queryFollowUps({ sites: SITES, statuses: OPEN, limit: 25, after: page.next });
  });
  rows.push(['20 pages one after another, 14 sites', ...cells(deep), '-', '-']);
  const counts = await timed(() => store.countFollowUps({ sites: SITES }));
  rows.push(['countFollowUps, 14 sites', ...cells(counts), '-', '-']);
  console.log(table(['query (ms)', 'p50', 'p99', 'cpu p50', 'cpu p99', 'scan p50', 'scan p99'], rows));
  console.log(`# load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  await store.close();
} finally {
  rmSync(root, { recursive: true, force: true });
}
