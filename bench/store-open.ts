/**
 * Where start-up time goes: `node --import tsx bench/store-open.ts [runs]` (default 3, about 1 min).
 *
 * Seeds 100,000 threads as bench/store.ts does, plus a crash image with 11,000 journal records after
 * the snapshot, then times each start-up phase on its own (median of `runs`), the whole `open()`, and
 * lowdb's JSONFilePreset reading the same threads as the baseline; last, the functions a CPU profile
 * of one `open()` of the crash image spends its time in.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import os from 'node:os';
import path from 'node:path';
import { JSONFilePreset } from 'lowdb/node';
import { DurableJsonFile } from '../server/store/durable-file-adapter.js';
import { listSegments, scanSegment } from '../server/store/journal.js';
import { JsonStore, SNAPSHOT_FILE } from '../server/store/json-store.js';
import { MemoryState } from '../server/store/memory-state.js';
import { snapshotProblem, type StoredSnapshot } from '../server/store/snapshot-format.js';
import { machine, table } from './lib/harness.js';
import { summariseProfile, type CpuProfile } from './lib/profile.js';
import { load, post, thread, THREADS } from './lib/store-data.js';

const RUNS = Number(process.argv[2] ?? 3);
const root = mkdtempSync(path.join(os.tmpdir(), 'osg-bench-open-'));

/** A throwaway copy of `image`: open() takes the lock, and close() may write a snapshot. */
function copyOf(image: string): string {
  const dir = mkdtempSync(path.join(root, 'copy-'));
  cpSync(image, dir, { recursive: true });
  return dir;
}

async function timedOpen(dir: string): Promise<{ store: JsonStore; ms: number }> {
  const store = new JsonStore({ dir });
  const t0 = performance.now();
  await store.open();
  return { store, ms: performance.now() - t0 };
}

async function closeCopy(store: JsonStore, dir: string): Promise<void> {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
}

/** Each phase of open(), run by itself: ms by phase name. */
async function phases(image: string): Promise<Record<string, number>> {
  const t = [performance.now()];
  const snapshot = (await new DurableJsonFile<StoredSnapshot>(path.join(image, SNAPSHOT_FILE), snapshotProblem).read())!;
  t.push(performance.now());
  const state = MemoryState.fromSnapshot(snapshot, 1000);
  t.push(performance.now());
  const scanned = [];
  for (const segment of await listSegments(image)) scanned.push(scanSegment(segment.path, await readFile(segment.path)));
  t.push(performance.now());
  for (const { records } of scanned) for (const { n, record } of records) if (n > snapshot.journalRecord) state.apply(record);
  t.push(performance.now());
  const names = ['read + parse snapshot.json', 'build state and indexes', 'read + check journal', 'replay journal'];
  return Object.fromEntries(names.map((name, i) => [name, t[i + 1] - t[i]]));
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

try {
  const image = path.join(root, 'snapshot-only');
  const crashed = path.join(root, 'crashed');
  console.error(`seeding ${THREADS} threads ...`);
  {
    const store = new JsonStore({ dir: image });
    await store.open();
    await load(THREADS, 1000, (i) => store.createThread({ thread: thread(i) }));
    await store.close();
    const dir = copyOf(image);
    const { store: more } = await timedOpen(dir);
    await load(11_000, 50, (i) => more.createPost({ post: post(i) }));
    await more.idle();
    cpSync(dir, crashed, { recursive: true, filter: notLock }); // the lock socket dies with its owner; cp cannot copy it
    await closeCopy(more, dir);
  }
  const lowFile = path.join(root, 'lowdb.json');
  const seeded = JSON.parse(readFileSync(path.join(image, SNAPSHOT_FILE), 'utf8')) as { threads: unknown[] };
  writeFileSync(lowFile, JSON.stringify({ threads: seeded.threads, posts: [] }));

  const rows: Array<Array<string | number>> = [];
  for (const [label, dir] of [
    ['snapshot', image],
    ['snapshot + 11,000 journal records', crashed],
  ] as const) {
    const runs: Array<Record<string, number>> = [];
    for (let r = 0; r < RUNS; r++) {
      const phase = await phases(dir);
      const copy = copyOf(dir);
      const { store, ms } = await timedOpen(copy);
      await closeCopy(store, copy);
      runs.push({ ...phase, 'whole open()': ms });
    }
    for (const name of Object.keys(runs[0])) rows.push([label, name, median(runs.map((run) => run[name])).toFixed(0)]);
  }
  const lowdb: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    const t0 = performance.now();
    await JSONFilePreset(lowFile, { threads: [], posts: [] });
    lowdb.push(performance.now() - t0);
  }
  rows.push(['lowdb baseline', 'JSONFilePreset, same 100,000 threads', median(lowdb).toFixed(0)]);

  const copy = copyOf(crashed);
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  const { store } = await timedOpen(copy);
  const { profile } = await session.post('Profiler.stop');
  session.disconnect();
  await closeCopy(store, copy);

  console.log(`\n${machine()}\n`);
  console.log(table(['data', `phase (median of ${RUNS})`, 'ms'], rows));
  console.log(`\nCPU profile of one open() of the crash image, by self time:\n`);
  console.log(summariseProfile(profile as CpuProfile, 12));
} finally {
  rmSync(root, { recursive: true, force: true });
}

function notLock(source: string): boolean {
  return !path.basename(source).startsWith('LOCK');
}
