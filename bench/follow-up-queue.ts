/**
 * The officers' queue in the JSON store: `queryFollowUps` pages over 20,000 follow-ups of 100,000 threads on
 * 14 sites (target: first page p99 < 50 ms), and `countFollowUps`. The data is written as a snapshot and the
 * store opened over it (its real load path). Baseline in the same run: the same queries answered without the
 * per-site index, by filtering and sorting every follow-up per query.
 *
 *   node --import tsx bench/follow-up-queue.ts
 *   BENCH_QUEUE_THREADS=100000 BENCH_QUEUE_FOLLOW_UPS=20000 BENCH_QUEUE_RUNS=200 (defaults)
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { FOLLOW_UP_STATUSES, queueDueAt, type FollowUp, type FollowUpStatus } from '../server/domain/follow-up/model.js';
import { formatTracking } from '../server/domain/follow-up/tracking.js';
import type { Thread } from '../server/domain/model.js';
import { JsonStore, SNAPSHOT_FILE } from '../server/store/json-store.js';
import { emptySnapshot } from '../server/store/snapshot-format.js';
import type { FollowUpQuery } from '../server/store/store.js';
import { machine, percentile, table } from './lib/harness.js';
import { thread as seedThread } from './lib/store-data.js';

const THREADS = Number(process.env.BENCH_QUEUE_THREADS ?? 100_000);
const FOLLOW_UPS = Number(process.env.BENCH_QUEUE_FOLLOW_UPS ?? 20_000);
const RUNS = Number(process.env.BENCH_QUEUE_RUNS ?? 200);
const SITES = Array.from({ length: 14 }, (_, i) => `kanreg-${i + 1}`);
const OPEN: FollowUpStatus[] = ['baru', 'diproses', 'menunggu_penanya'];
const HOUR = 3_600_000;
const BASE = Date.UTC(2026, 10, 2);

function build(): { threads: Thread[]; followUps: FollowUp[]; counters: Map<string, number> } {
  const threads: Thread[] = [];
  const seqs = new Map<string, number>();
  for (let i = 0; i < THREADS; i++) {
    const site = SITES[i % SITES.length]!;
    const seq = (seqs.get(site) ?? 0) + 1;
    seqs.set(site, seq);
    threads.push({ ...seedThread(i), site, seq });
  }
  const followUps: FollowUp[] = [];
  const counters = new Map<string, number>();
  // Every fifth thread, spread over the sites; statuses weighted towards the open ones, as in a working queue.
  for (let k = 0; k < FOLLOW_UPS; k++) {
    const t = threads[(k * 5) % THREADS]!;
    const prefix = `KR${SITES.indexOf(t.site) + 1}`;
    const n = (counters.get(prefix) ?? 0) + 1;
    counters.set(prefix, n);
    const status = FOLLOW_UP_STATUSES[[0, 0, 1, 1, 1, 2, 3, 4][k % 8]!]!;
    const created = BASE + (k % 500) * HOUR;
    const at = new Date(created).toISOString();
    const followUp: FollowUp = {
      threadId: t.id,
      site: t.site,
      category: t.category,
      tracking: formatTracking(prefix, 2026, n),
      status,
      reason: 'asker_request',
      ...(k % 3 !== 0 && { assigneeId: `officer-${k % 40}` }),
      createdAt: at,
      updatedAt: at,
      firstResponseMinutes: 240,
      resolutionMinutes: 2400,
      firstResponseDue: new Date(created + 4 * HOUR + (k % 7) * 60_000).toISOString(),
      resolutionDue: new Date(created + 40 * HOUR).toISOString(),
      ...(status !== 'baru' && { firstRespondedAt: at }),
      ...(status === 'selesai' && { resolvedAt: at, autoCloseAt: new Date(created + 240 * HOUR).toISOString() }),
      ...(status === 'ditutup' && { closedAt: at }),
      autoCloseWorkingDays: 10,
      pausedWorkingMinutes: 0,
      slaState: (['ok', 'warning', 'breached'] as const)[k % 3]!,
      version: 1,
      history: [{ at, from: null, to: 'baru', cause: 'opened' }],
    };
    followUps.push(followUp);
    t.followUp = { tracking: followUp.tracking, status };
  }
  return { threads, followUps, counters };
}

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
  const { threads, followUps, counters } = build();
  const snapshot = emptySnapshot();
  snapshot.threads = threads;
  snapshot.seqs = Object.fromEntries(SITES.map((s) => [s, threads.filter((t) => t.site === s).length]));
  snapshot.followUps = followUps;
  snapshot.trackingCounters = Object.fromEntries([...counters].map(([prefix, n]) => [`${prefix}-2026`, n]));
  writeFileSync(path.join(root, SNAPSHOT_FILE), JSON.stringify(snapshot));
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
