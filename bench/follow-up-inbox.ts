/**
 * The officers' inbox end to end on the JSON store: `GET /api/officer/queue` over loopback on a real server
 * (access from the accounts, the store's query and counts, thread and follow-up views, JSON) with 100,000
 * threads of which 20,000 are in the queue across 14 sites (target: first page p99 < 50 ms), and the clock
 * pass FollowUpService.clockPass() over every open follow-up (target: < 100 ms).
 * Baselines in the same run: the store's queryFollowUps alone for the same page; for word search, the walk in
 * due order the stores did before their word index (follow-up-words.ts); and the store's listing and the pure
 * sweep() over the same follow-ups, so the rows show what the layers above add.
 *
 *   node --import tsx bench/follow-up-inbox.ts
 *   BENCH_INBOX_RUNS=200 BENCH_INBOX_PASSES=20 (defaults); the data set is bench/lib/follow-up-data.ts's
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadConfig } from '../server/config.js';
import { calendarFor, queueDueAt, sweep, type FollowUp, type WorkCalendar } from '../server/domain/follow-up/index.js';
import { hashPassword } from '../server/domain/passwords.js';
import { silentLogger } from '../server/log.js';
import { startServer } from '../server/server.js';
import { JsonStore } from '../server/store/json-store.js';
import type { FollowUpQuery } from '../server/store/store.js';
import { machine, percentile, table } from './lib/harness.js';
import { BASE, FOLLOW_UPS, HOUR, OPEN, SITES, THREADS, writeSnapshot } from './lib/follow-up-data.js';

const RUNS = Number(process.env.BENCH_INBOX_RUNS ?? 200);
const PASSES = Number(process.env.BENCH_INBOX_PASSES ?? 20);
const ZONES = ['Asia/Jakarta', 'Asia/Jakarta', 'Asia/Jakarta', 'Asia/Makassar', 'Asia/Jakarta', 'Asia/Jakarta', 'Asia/Jakarta', 'Asia/Makassar', 'Asia/Jayapura', 'Asia/Makassar', 'Asia/Makassar', 'Asia/Jakarta', 'Asia/Jakarta', 'Asia/Jayapura'];
const PASSWORD = 'rahasia-bench-inbox-1';

interface Timed {
  wall: number[];
  cpu: number[];
}

/** Wall and CPU (this process: client and server) milliseconds per run, each sorted: the machine is shared. */
async function timed(runs: number, run: (i: number) => Promise<unknown> | unknown): Promise<Timed> {
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < runs; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    await run(i);
    wall.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  return { wall: wall.sort((a, b) => a - b), cpu: cpu.sort((a, b) => a - b) };
}

const fmt = (v: number) => v.toFixed(2);
const cells = (t: Timed) => [fmt(percentile(t.wall, 50)), fmt(percentile(t.wall, 99)), fmt(percentile(t.cpu, 50)), fmt(percentile(t.cpu, 99))];

const root = mkdtempSync(path.join(tmpdir(), 'osg-bench-inbox-'));
try {
  console.log(`# officers' inbox: ${THREADS.toLocaleString('en')} threads, ${FOLLOW_UPS.toLocaleString('en')} follow-ups, ${SITES.length} sites, ${RUNS} requests per row`);
  console.log(`# ${machine()}`);
  const { threads, followUps } = writeSnapshot(root);
  const passwordHash = await hashPassword(PASSWORD);
  const officersFile = path.join(root, 'officers.json');
  writeFileSync(
    officersFile,
    JSON.stringify([
      { username: 'kepala', name: 'Kepala Admin', passwordHash, role: 'admin' },
      { username: 'petugas', name: 'Petugas Satu', passwordHash, sites: [SITES[0]] },
      { username: 'rina', name: 'Rina Supervisor', passwordHash, role: 'supervisor', sites: SITES.slice(0, 3) },
    ]),
  );
  const store = new JsonStore({ dir: root });
  await store.open();
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    OSG_DATA_DIR: root,
    OSG_SECRET: 'bench-secret-bench-secret-bench-secret-0123456789',
    OSG_SITES: JSON.stringify(SITES.map((id, i) => ({ id, name: `Kanreg ${i + 1}`, timeZone: ZONES[i] }))),
    OSG_OFFICERS_FILE: officersFile,
    OSG_OFFICER_IDLE_MINUTES: '1440',
    OSG_OFFICER_SESSION_HOURS: '168',
    OSG_LOG_LEVEL: 'error',
  });
  // In the middle of the data's 500 hours: some follow-ups due, some late, some not yet.
  const clock = { now: BASE + 250 * HOUR };
  const server = await startServer(config, store, silentLogger, { now: () => clock.now, followUpClock: false });
  // The baselines between rows take longer than Node's 5 s keep-alive: a reused socket would be reset.
  server.http.keepAliveTimeout = 120_000;
  const base = `http://127.0.0.1:${(server.http.address() as AddressInfo).port}`;
  const signIn = async (username: string) => {
    const res = await fetch(`${base}/api/officer/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: PASSWORD }) });
    return { Authorization: `Bearer ${((await res.json()) as { token: string }).token}` };
  };
  const admin = await signIn('kepala');
  const officer = await signIn('petugas');
  const get = async (auth: Record<string, string>, query: string) => {
    const res = await fetch(`${base}/api/officer/queue?${query}`, { headers: auth });
    if (res.status !== 200) throw new Error(`GET /api/officer/queue?${query}: ${res.status} ${await res.text()}`);
    return (await res.json()) as { items: unknown[] };
  };

  const open = OPEN.join(',');
  const cases: Array<[string, Record<string, string>, (i: number) => string, ((i: number) => FollowUpQuery) | undefined]> = [
    ['admin, 14 sites, open statuses', admin, () => `status=${open}&limit=25`, () => ({ sites: SITES, statuses: OPEN, limit: 25 })],
    ['admin, 14 sites, no filter', admin, () => 'limit=25', () => ({ sites: SITES, limit: 25 })],
    ['admin, 14 sites, breached', admin, () => `status=${open}&sla=breached&limit=25`, () => ({ sites: SITES, statuses: OPEN, slaStates: ['breached'], limit: 25 })],
    ['admin, 14 sites, unassigned', admin, () => `status=${open}&assignee=none&limit=25`, () => ({ sites: SITES, statuses: OPEN, assignee: 'none', limit: 25 })],
    ['admin, one site of 14, open statuses', admin, (i) => `site=${SITES[i % 14]}&status=${open}&limit=25`, (i) => ({ sites: [SITES[i % 14]!], statuses: OPEN, limit: 25 })],
    ['officer, own site, open statuses', officer, () => `status=${open}&limit=25`, () => ({ sites: [SITES[0]!], statuses: OPEN, limit: 25 })],
    ['admin, 14 sites, q "pensiun siasn"', admin, () => `q=pensiun%20siasn&limit=25`, () => ({ sites: SITES, words: ['pensiun', 'siasn'], limit: 25 })],
    ['admin, 14 sites, q matching nothing', admin, () => `q=tidak-ada-sama-sekali&limit=25`, () => ({ sites: SITES, words: ['tidak-ada-sama-sekali'], limit: 25 })],
    ['admin, 14 sites, q tracking number', admin, (i) => `q=${followUps[(i * 97) % FOLLOW_UPS]!.tracking}&limit=25`, undefined],
  ];
  // Baseline for word search: the walk the stores did before the word index, each site's queue in due
  // order testing every text until the page is full (copies and views left out, so it flatters the walk).
  const threadText = new Map(threads.map((t) => [t.id, `${t.title}\n${t.body}`.toLowerCase()]));
  const bySite = new Map(SITES.map((site) => [site, followUps.filter((f) => f.site === site).sort((a, b) => queueDueAt(a).localeCompare(queueDueAt(b)) || a.threadId.localeCompare(b.threadId))]));
  const walk = (words: string[], limit: number) => {
    const found: FollowUp[] = [];
    for (const queue of bySite.values()) {
      let taken = 0;
      for (let i = 0; i < queue.length && taken <= limit; i++) {
        const text = threadText.get(queue[i]!.threadId)!;
        if (words.every((w) => text.includes(w))) {
          found.push(queue[i]!);
          taken++;
        }
      }
    }
    return found.sort((a, b) => queueDueAt(a).localeCompare(queueDueAt(b))).slice(0, limit);
  };

  await get(admin, 'limit=25'); // warm-up: first request compiles the route
  const rows: Array<Array<string | number>> = [];
  for (const [label, auth, query, storeQuery] of cases) {
    const http = await timed(RUNS, (i) => get(auth, query(i)));
    const alone = storeQuery && (await timed(RUNS, (i) => store.queryFollowUps(storeQuery(i))));
    const words = storeQuery?.(0).words;
    const walked = words && (await timed(RUNS, () => walk(words, 25)));
    rows.push([label, ...cells(http), ...(alone ? cells(alone) : ['-', '-', '-', '-']), ...(walked ? [cells(walked)[0]!, cells(walked)[1]!, cells(walked)[2]!, cells(walked)[3]!] : ['-', '-', '-', '-'])]);
  }
  console.log(
    table(['GET /api/officer/queue (ms)', 'p50', 'p99', 'cpu p50', 'cpu p99', 'store p50', 'store p99', 'store cpu p50', 'store cpu p99', 'walk p50', 'walk p99', 'walk cpu p50', 'walk cpu p99'], rows),
  );

  // The clock: the first pass stores every state the data set's times have moved (and escalates the new
  // breaches of rina's sites), the later ones, 30 s apart as the timer runs them, find little to change.
  const calendars = new Map<string, WorkCalendar>(config.sites.map((s) => [s.id, calendarFor(s.followUp)]));
  const t0 = performance.now();
  const first = await server.followUps.clockPass();
  const firstMs = performance.now() - t0;
  const passes = await timed(PASSES, async () => {
    clock.now += 30_000;
    await server.followUps.clockPass();
  });
  const active = await store.activeFollowUps();
  const pure = await timed(PASSES, () => sweep(active, clock.now, calendars));
  const listing = await timed(PASSES, () => store.activeFollowUps());
  console.log(
    table(
      ['clock (ms)', 'follow-ups', 'p50', 'p99', 'cpu p50', 'cpu p99'],
      [
        ['clockPass, first (stores the moved states)', active.length, fmt(firstMs), '-', '-', '-'],
        [`clockPass, every 30 s after (${PASSES})`, active.length, ...cells(passes)],
        ['baseline: store.activeFollowUps alone', active.length, ...cells(listing)],
        ['baseline: sweep() alone', active.length, ...cells(pure)],
      ],
    ),
  );
  console.log(`# first pass: ${JSON.stringify(first)}`);
  console.log(`# load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  await server.stop();
} finally {
  rmSync(root, { recursive: true, force: true });
}
