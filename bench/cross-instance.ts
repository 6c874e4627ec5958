/**
 * One answer reaching N watchers: all N on one instance vs split over two instances (PostgreSQL + Redis,
 * docs/SCALING.md). Both runs use the same two server processes, the same schema and the same Redis; only
 * where the watchers sit changes. The poster answers over A's WebSocket; a watcher's latency is the time from
 * just before the `answer` frame is sent to the arrival of its `event` frame. Watchers only subscribe (no
 * `watch`), so joins cost no presence frames.
 *
 *   node --import tsx bench/cross-instance.ts
 *   BENCH_CROSS_N=1000 BENCH_CROSS_POSTS=30 (defaults)
 *
 * Needs the local PostgreSQL and Redis (DEVELOPERS.md); drops its schema osg_t_<pid>_… at the end.
 */
import { performance } from 'node:perf_hooks';
import { WebSocket } from 'ws';
import { dropTestSchemas, queryIn, TEST_DATABASE_URL, testSchema } from '../test/support/postgres.js';
import { ensureRedis, TEST_REDIS_URL, testPrefix } from '../test/support/redis.js';
import { Fleet, SITE, machine, ms, percentile, ratio, spawnOsgServer, table, until, type Child } from './lib/harness.js';

const N = Number(process.env.BENCH_CROSS_N ?? 1000);
const POSTS = Number(process.env.BENCH_CROSS_POSTS ?? 30);
const WARMUP_POSTS = 3;
const ANSWER_BODY = 'Untuk kenaikan pangkat reguler periode April, unggah SK pangkat terakhir dan SKP dua tahun terakhir ke SIASN.';
const isEvent = (d: Buffer) => d[9] === 0x65 && d[10] === 0x76;

async function openWatchers(port: number, count: number): Promise<Fleet> {
  const fleet = await Fleet.open(`ws://127.0.0.1:${port}/ws`, count);
  let welcomed = 0;
  fleet.onFrame = () => welcomed++;
  fleet.sendAll(JSON.stringify({ type: 'hello', v: 1, site: SITE }));
  await until(() => welcomed >= count, 60_000, `${count} welcome frames`);
  return fleet;
}

async function openPoster(port: number, token: string): Promise<WebSocket> {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`, { perMessageDeflate: false });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  let welcomed = false;
  ws.once('message', () => (welcomed = true));
  ws.send(JSON.stringify({ type: 'hello', v: 1, site: SITE, token }));
  await until(() => welcomed, 10_000, 'welcome for the poster');
  return ws;
}

/** A visitor and a thread to answer, through A's REST API. */
async function seed(port: number): Promise<{ token: string; threadId: string }> {
  const base = `http://127.0.0.1:${port}`;
  const post = async (path: string, body: unknown, token?: string) => {
    const res = await fetch(base + path, { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(body) });
    if (!res.ok) throw new Error(`POST ${path}: HTTP ${res.status} ${await res.text()}`);
    return res.json();
  };
  const { token } = await post('/api/visitors', {});
  const thread = await post(`/api/sites/${SITE}/threads`, { title: 'Syarat kenaikan pangkat reguler periode April', body: 'Dokumen apa saja yang perlu diunggah ke SIASN?', category: 'kenaikan-pangkat', clientId: 'cross-thread-0001' }, token);
  return { token, threadId: thread.id };
}

let posted = 0;
/** Sends POSTS answers (after warm-up) and returns every watcher's latency for each, sorted. */
async function measure(label: string, fleets: Fleet[], poster: WebSocket, threadId: string): Promise<Float64Array> {
  const total = fleets.reduce((sum, f) => sum + f.size, 0);
  const latencies = new Float64Array(total * POSTS);
  let filled = 0;
  for (let p = 0; p < WARMUP_POSTS + POSTS; p++) {
    const measured = p >= WARMUP_POSTS;
    let count = 0;
    let done!: () => void;
    const arrived = new Promise<void>((resolve) => (done = resolve));
    const t0 = performance.now();
    for (const fleet of fleets) {
      const got = new Uint8Array(fleet.size);
      fleet.onFrame = (i, data) => {
        if (!isEvent(data) || got[i]) return;
        got[i] = 1;
        if (measured) latencies[filled++] = performance.now() - t0;
        if (++count === total) done();
      };
    }
    poster.send(JSON.stringify({ type: 'answer', clientId: `cross-${label}-${posted++}-${Date.now()}`, threadId, body: `${ANSWER_BODY} (#${p})` }));
    let timer: NodeJS.Timeout | undefined;
    const late = await Promise.race([arrived.then(() => false), new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), 20_000)))]);
    clearTimeout(timer);
    if (late) throw new Error(`${label}: post ${p} reached only ${count} of ${total} watchers within 20 s`);
  }
  return latencies.slice(0, filled).sort();
}

async function main(): Promise<void> {
  await ensureRedis();
  const schema = await testSchema();
  await queryIn('public', `CREATE SCHEMA ${schema.name}`);
  const env = {
    OSG_DATABASE_URL: `${TEST_DATABASE_URL}?options=${encodeURIComponent(`-c search_path=${schema.name}`)}`,
    OSG_REDIS_URL: TEST_REDIS_URL,
    OSG_REDIS_PREFIX: testPrefix(),
    OSG_LOG_LEVEL: 'info',
  };
  const servers: Child[] = [];
  try {
    servers.push(await spawnOsgServer({ env }), await spawnOsgServer({ env }));
    const [a, b] = servers as [Child, Child];
    const { token, threadId } = await seed(a.port);
    const poster = await openPoster(a.port, token);

    const one = [await openWatchers(a.port, N)];
    const oneLatencies = await measure('one', one, poster, threadId);
    for (const fleet of one) await fleet.close();

    const split = [await openWatchers(a.port, Math.ceil(N / 2)), await openWatchers(b.port, Math.floor(N / 2))];
    const splitLatencies = await measure('split', split, poster, threadId);
    for (const fleet of split) await fleet.close();
    poster.close();

    const row = (name: string, l: Float64Array) => [name, N, POSTS, ms(percentile(l, 50)), ms(percentile(l, 99)), ms(l[l.length - 1]!)];
    console.log(`# cross-instance fan-out, ${machine()}`);
    console.log(
      table(['watchers', 'N', 'posts', 'p50 ms', 'p99 ms', 'max ms'], [row('all on instance A', oneLatencies), row('half on A, half on B (via Redis)', splitLatencies)]),
    );
    const p99One = percentile(oneLatencies, 99);
    const p99Split = percentile(splitLatencies, 99);
    console.log(`split p99 / one-instance p99: ${ratio(p99Split, p99One)} (target ≤ 2x and < 100 ms on loopback)`);
  } finally {
    for (const s of servers) await s.stop();
    await dropTestSchemas();
  }
}

await main();
