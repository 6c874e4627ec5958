/**
 * The data set of the follow-up queue benchmarks (bench/follow-up-queue.ts, bench/follow-up-inbox.ts):
 * 100,000 threads on 14 sites, every fifth of them with a follow-up (20,000), statuses weighted towards the
 * open ones as in a working queue, due times spread over 500 hours from 2 November 2026, written as a JSON
 * store snapshot (the store's real load path).
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { FOLLOW_UP_STATUSES, type FollowUp, type FollowUpStatus } from '../../server/domain/follow-up/model.js';
import { formatTracking } from '../../server/domain/follow-up/tracking.js';
import type { Thread } from '../../server/domain/model.js';
import { SNAPSHOT_FILE } from '../../server/store/json-store.js';
import { emptySnapshot } from '../../server/store/snapshot-format.js';
import { thread as seedThread } from './store-data.js';

export const THREADS = Number(process.env.BENCH_QUEUE_THREADS ?? 100_000);
export const FOLLOW_UPS = Number(process.env.BENCH_QUEUE_FOLLOW_UPS ?? 20_000);
export const SITES = Array.from({ length: 14 }, (_, i) => `kanreg-${i + 1}`);
export const OPEN: FollowUpStatus[] = ['baru', 'diproses', 'menunggu_penanya'];
export const HOUR = 3_600_000;
export const BASE = Date.UTC(2026, 10, 2);

export function build(): { threads: Thread[]; followUps: FollowUp[]; counters: Map<string, number> } {
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

/** Writes the data set as the snapshot of a JSON store in `dir`; returns it. */
export function writeSnapshot(dir: string): ReturnType<typeof build> {
  const data = build();
  const { threads, followUps, counters } = data;
  const snapshot = emptySnapshot();
  snapshot.threads = threads;
  snapshot.seqs = Object.fromEntries(SITES.map((s) => [s, threads.filter((t) => t.site === s).length]));
  snapshot.followUps = followUps;
  snapshot.trackingCounters = Object.fromEntries([...counters].map(([prefix, n]) => [`${prefix}-2026`, n]));
  writeFileSync(path.join(dir, SNAPSHOT_FILE), JSON.stringify(snapshot));
  return data;
}
