/**
 * Fan-out latency: N subscribed clients watch one thread; a separate poster answers it over the
 * WebSocket; each client's latency is the time from just before the `answer` frame is sent to the
 * arrival of its `event` frame. The server runs in a child process; the clients share this one.
 * Baseline, measured the same way in the same run: bench/lib/bare-ws-server.ts broadcasting a frame of
 * the same size.
 *
 *   node --import tsx bench/fanout.ts [--profile]
 *   BENCH_FANOUT_SIZES=1000,5000 BENCH_FANOUT_POSTS=30 BENCH_FANOUT_WATCH_MAX=5000 (defaults)
 *
 * Clients also `watch` the thread when N <= BENCH_FANOUT_WATCH_MAX. Each watch sends the new viewer count
 * to every watcher, so N joins cost N²/2 presence frames (about 8 s at N=1000 and, by that rate, over
 * 3 minutes at N=5000 on 2 cores); above the limit clients only subscribe. Events go to every
 * subscriber of the site whether it watches or not, so the fan-out path measured is the same.
 *
 * --profile also runs the largest N once more with the server's CPU profiler on during the posts only,
 * and prints where the server's time went. These clients speak protocol 1 (every event to every client).
 *
 * Then throughput in protocol 2 (bench/lib/fanout-throughput.ts): acknowledged answers/s with
 * BENCH_FANOUT_THROUGHPUT_N widgets open on one site against the bare server, side by side in alternating
 * rounds; and delivery latency with BENCH_FANOUT_RATE_N widgets at BENCH_FANOUT_RATE answers/s.
 *
 *   BENCH_FANOUT_THROUGHPUT_N=1000 BENCH_FANOUT_ROUNDS=2 BENCH_FANOUT_ROUND_SECONDS=5 BENCH_FANOUT_IN_FLIGHT=64
 *   BENCH_FANOUT_WATCH_SHARE=0.1 BENCH_FANOUT_THREADS=20 BENCH_FANOUT_WINDOW_MS=150
 *   BENCH_FANOUT_RATE_N=10000 BENCH_FANOUT_RATE=50 BENCH_FANOUT_RATE_SECONDS=10   (defaults)
 *   BENCH_FANOUT_SIZES= (empty) skips the latency part; BENCH_FANOUT_THROUGHPUT_N=0 / BENCH_FANOUT_RATE_N=0 skip theirs.
 */
import { performance } from 'node:perf_hooks';
import { WebSocket } from 'ws';
import {
  Fleet,
  Inspector,
  SITE,
  machine,
  ms,
  openFileLimit,
  percentile,
  ratio,
  seedThread,
  sleep,
  spawnBareServer,
  spawnOsgServer,
  table,
  until,
  type Child,
} from './lib/harness.js';
import { summariseProfile, type CpuProfile } from './lib/profile.js';
import { ThroughputTarget, type ThroughputSettings } from './lib/fanout-throughput.js';

const SIZES = (process.env.BENCH_FANOUT_SIZES ?? '1000,5000').split(',').filter(Boolean).map(Number);
const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const POSTS = Number(process.env.BENCH_FANOUT_POSTS ?? 30);
/** Posts before measuring, so that JIT warm-up on either side does not land in the numbers. */
const WARMUP_POSTS = 3;
const WATCH_MAX = Number(process.env.BENCH_FANOUT_WATCH_MAX ?? 5000);
const TARGET_RATIO = 1.5;
const ANSWER_BODY =
  'Untuk kenaikan pangkat reguler periode April, unggah SK pangkat terakhir, SKP dua tahun terakhir dan ' +
  'ijazah bila ada perubahan pendidikan ke SIASN paling lambat akhir Februari. Verifikasi dilakukan Kanreg.';

const BYTE_e = 0x65;
const BYTE_v = 0x76;
const BYTE_p = 0x70;
const BYTE_r = 0x72;
// Every frame starts `{"type":"`; bytes 9 and 10 tell `event` and `presence` apart without parsing.
const isEvent = (d: Buffer) => d[9] === BYTE_e && d[10] === BYTE_v;
const isPresence = (d: Buffer) => d[9] === BYTE_p && d[10] === BYTE_r;

/** One server under test (osg or the bare baseline) with its N clients and a poster, ready to post. */
class Target {
  readonly latencies: Float64Array;
  readonly first: number[] = [];
  readonly last: number[] = [];
  readonly ack: number[] = [];
  missing = 0;
  frameBytes = 0;
  joinMs = 0;
  presenceFrames = 0;
  #filled = 0;
  #acked = 0;
  #lastAckAt = 0;
  #posts = 0;
  #inspector?: Inspector;

  private constructor(
    readonly kind: 'osg' | 'bare',
    readonly n: number,
    readonly server: Child,
    readonly fleet: Fleet,
    readonly poster: WebSocket,
    readonly threadId: string,
  ) {
    this.latencies = new Float64Array(n * POSTS);
    poster.on('message', (raw) => {
      const data = raw as Buffer;
      if (data[9] === 0x61 /* ack */) {
        this.#acked++;
        this.#lastAckAt = performance.now();
      } else if (data[9] === BYTE_e && data[10] === 0x72 /* error */) process.stderr.write(`${kind} poster got ${data}\n`);
    });
  }

  /** Starts the server, connects and subscribes N clients (and the poster), and posts the warm-up answers. */
  static async start(kind: 'osg' | 'bare', n: number, frameBytes: number, inspect = false): Promise<Target> {
    const server = kind === 'osg' ? await spawnOsgServer({ inspect }) : await spawnBareServer(frameBytes, { inspect });
    let fleet: Fleet | undefined;
    try {
      const seeded = kind === 'osg' ? await seedThread(server.port) : { token: undefined, threadId: 'bench-thread-0000000' };
      const url = `ws://127.0.0.1:${server.port}/ws`;
      const joinStart = performance.now();
      fleet = await Fleet.open(url, n);
      let welcomed = 0;
      let presenceFrames = 0;
      let settled = 0;
      const finalPresence = JSON.stringify({ type: 'presence', threadId: seeded.threadId, viewers: n });
      const seen = new Uint8Array(n);
      fleet.onFrame = (i, data) => {
        if (isPresence(data)) {
          presenceFrames++;
          if (data.length === finalPresence.length && data.toString() === finalPresence) settled++;
        } else if (!seen[i]) {
          seen[i] = 1;
          welcomed++;
        }
      };
      fleet.sendAll(JSON.stringify({ type: 'hello', v: 1, site: SITE }));
      await until(() => welcomed === n, 60_000, `${n} welcome frames`);
      if (kind === 'osg' && n <= WATCH_MAX) {
        // Every watch sends the new viewer count to every watcher, so joining costs N²/2 presence frames.
        fleet.sendAll(JSON.stringify({ type: 'watch', threadId: seeded.threadId }));
        await until(() => settled === n, 240_000, `presence to settle at ${n} viewers`, 20);
      }
      const joinMs = performance.now() - joinStart;

      const poster = new WebSocket(url, { perMessageDeflate: false });
      let posterWelcomed = false;
      poster.once('message', () => (posterWelcomed = true));
      await new Promise<void>((resolve, reject) => {
        poster.once('open', () => resolve());
        poster.once('error', reject);
      });
      poster.send(JSON.stringify({ type: 'hello', v: 1, site: SITE, token: seeded.token }));
      await until(() => posterWelcomed, 10_000, 'welcome for the poster');

      const target = new Target(kind, n, server, fleet, poster, seeded.threadId);
      target.joinMs = joinMs;
      target.presenceFrames = presenceFrames;
      for (let p = 0; p < WARMUP_POSTS; p++) await target.post(false);
      return target;
    } catch (err) {
      await fleet?.close();
      await server.stop();
      throw err;
    }
  }

  /** Sends one answer and resolves when all N clients (and, for osg, the poster's ack) have it. */
  async post(measured: boolean): Promise<void> {
    const { n, fleet, kind } = this;
    const got = new Uint8Array(n);
    let count = 0;
    let firstAt = Infinity;
    let lastAt = 0;
    let done!: () => void;
    const arrived = new Promise<void>((resolve) => (done = resolve));
    fleet.onFrame = (i, data) => {
      if (!isEvent(data) || got[i]) return;
      const now = performance.now();
      got[i] = 1;
      if (now < firstAt) firstAt = now;
      lastAt = now;
      this.frameBytes = data.length;
      if (measured) this.latencies[this.#filled++] = now - t0;
      if (++count === n) done();
    };
    const ackedBefore = this.#acked;
    const p = this.#posts++;
    const frame = JSON.stringify({
      type: 'answer',
      clientId: `bench-${kind}-${n}-${String(p).padStart(4, '0')}`,
      threadId: this.threadId,
      body: `${ANSWER_BODY} (#${p})`,
    });
    const t0 = performance.now();
    this.poster.send(frame);
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), 20_000)));
    const late = await Promise.race([arrived.then(() => false), timedOut]);
    clearTimeout(timer);
    if (late) {
      this.missing += n - count;
      process.stderr.write(`${kind} N=${n}: post ${p} reached only ${count} of ${n} clients within 20 s\n`);
    }
    if (kind === 'osg') await until(() => this.#acked > ackedBefore, 10_000, `ack of post ${p}`, 1).catch(() => {});
    if (measured) {
      this.first.push(firstAt - t0);
      this.last.push(lastAt - t0);
      if (kind === 'osg') this.ack.push(this.#lastAckAt - t0);
    }
  }

  sorted(): Float64Array {
    return this.latencies.slice(0, this.#filled).sort();
  }

  get slowConsumerDrops(): number {
    return (this.server.output().match(/ws slow consumer dropped/g) ?? []).length;
  }

  async startProfile(): Promise<void> {
    this.#inspector = await Inspector.connect(this.server.inspector!);
    await this.#inspector.call('Profiler.enable');
    await this.#inspector.call('Profiler.setSamplingInterval', { interval: 100 });
    await this.#inspector.call('Profiler.start');
  }

  async stopProfile(): Promise<CpuProfile> {
    const { profile } = await this.#inspector!.call<{ profile: CpuProfile }>('Profiler.stop');
    this.#inspector!.close();
    return profile;
  }

  async close(): Promise<void> {
    this.poster.terminate();
    await this.fleet.close();
    await this.server.stop();
  }
}

/**
 * Both servers run side by side and take turns post by post (osg, bare, bare, osg, …), so that noise
 * from a shared 2-core machine falls on both alike rather than on whichever ran second.
 */
async function compare(n: number, profile = false): Promise<{ osg: Target; bare: Target; profiles?: { osg: CpuProfile; bare: CpuProfile } }> {
  const osg = await Target.start('osg', n, 0, profile);
  let bare: Target | undefined;
  try {
    bare = await Target.start('bare', n, osg.frameBytes, profile);
    if (profile) {
      await osg.startProfile();
      await bare.startProfile();
    }
    for (let p = 0; p < POSTS; p++) {
      const order = p % 2 === 0 ? [osg, bare] : [bare, osg];
      for (const t of order) {
        await t.post(true);
        await sleep(20);
      }
    }
    const profiles = profile ? { osg: await osg.stopProfile(), bare: await bare.stopProfile() } : undefined;
    return { osg, bare, profiles };
  } finally {
    await bare?.close();
    await osg.close();
  }
}

const median = (xs: number[]) => percentile([...xs].sort((a, b) => a - b), 50);

/** Acknowledged answers/s, osg (protocol 2) against bare ws, in alternating rounds on both at once. */
async function throughput(): Promise<void> {
  const n = env('BENCH_FANOUT_THROUGHPUT_N', 1000);
  if (!n) return;
  const rounds = env('BENCH_FANOUT_ROUNDS', 2);
  const roundMs = env('BENCH_FANOUT_ROUND_SECONDS', 5) * 1000;
  const settings: ThroughputSettings = {
    n,
    watchShare: env('BENCH_FANOUT_WATCH_SHARE', 0.1),
    threads: env('BENCH_FANOUT_THREADS', 20),
    inFlight: env('BENCH_FANOUT_IN_FLIGHT', 64),
    windowMs: env('BENCH_FANOUT_WINDOW_MS', 150),
  };
  console.log(`\n# Throughput: ${n} widgets on one site, one poster keeping ${settings.inFlight} answers in flight over ${settings.threads} threads;`);
  console.log(`# osg: protocol 2, ${Math.round(settings.watchShare * 100)}% of the widgets watch a thread, the rest read the list (window ${settings.windowMs} ms);`);
  console.log(`# bare: every answer to every connection. ${rounds} rounds of ${roundMs / 1000} s each, taking turns.`);
  const osg = await ThroughputTarget.start('osg', settings);
  let bare: ThroughputTarget | undefined;
  try {
    bare = await ThroughputTarget.start('bare', settings);
    // Warm-up: JIT on both sides, outside the figures.
    for (const t of [osg, bare]) await t.run(1000);
    for (const t of [osg, bare]) await t.drained();
    for (const t of [osg, bare]) {
      t.arrivals.length = 0;
      t.ackTimes = [];
      t.framesReceived = 0;
    }
    const totals = new Map<ThroughputTarget, { acked: number; seconds: number }>([[osg, { acked: 0, seconds: 0 }], [bare, { acked: 0, seconds: 0 }]]);
    for (let r = 0; r < rounds; r++) {
      for (const t of r % 2 === 0 ? [osg, bare] : [bare, osg]) {
        const { acked, seconds } = await t.run(roundMs);
        const total = totals.get(t)!;
        total.acked += acked;
        total.seconds += seconds;
        await t.drained();
      }
    }
    const rows: Array<Array<string | number>> = [];
    for (const t of [osg, bare]) {
      const missing = await t.drained();
      const lat = t.latencies();
      const acks = Float64Array.from(t.ackTimes).sort();
      const { acked, seconds } = totals.get(t)!;
      rows.push([
        t.kind,
        n,
        t.kind === 'osg' ? t.watchers : n,
        (acked / seconds).toFixed(0),
        ms(percentile(acks, 50)),
        ms(percentile(acks, 99)),
        ms(percentile(lat, 50)),
        ms(percentile(lat, 99)),
        ms(percentile(lat, 100)),
        (t.framesReceived / seconds).toFixed(0),
        missing,
        t.slowConsumerDrops,
      ]);
    }
    console.log('\nAcknowledged answers/s; ack = poster\'s send to its ack; delivery = send to the frame that told each widget, ms\n');
    console.log(table(['server', 'N', 'bodies to', 'answers/s', 'ack p50', 'ack p99', 'deliv p50', 'deliv p99', 'deliv max', 'frames/s', 'missing', 'dropped'], rows));
    const ratioRate = Number(rows[0]![3]) / Number(rows[1]![3]);
    const p99 = Number(rows[0]![7]);
    console.log(`\nTarget: osg ≥ 5x bare in answers/s (${ratioRate.toFixed(2)}x: ${ratioRate >= 5 ? 'met' : 'NOT met'}), delivery p99 < 500 ms (${p99} ms: ${p99 < 500 ? 'met' : 'NOT met'})`);
  } finally {
    await bare?.close();
    await osg.close();
  }
}

/** Delivery latency with many widgets at a fixed rate of answers (open loop), osg only. */
async function atRate(): Promise<void> {
  let n = env('BENCH_FANOUT_RATE_N', 10_000);
  if (!n) return;
  const rate = env('BENCH_FANOUT_RATE', 50);
  const seconds = env('BENCH_FANOUT_RATE_SECONDS', 10);
  // The widgets live here and the server in its child: each process needs N descriptors of its own.
  const limit = openFileLimit();
  if (n + 256 > limit) {
    console.log(`# NOTE: open-file limit ${limit} allows ${limit - 256} widgets, not ${n}; raise it (ulimit -n ${n + 1024})`);
    n = limit - 256;
  }
  const settings: ThroughputSettings = {
    n,
    watchShare: env('BENCH_FANOUT_WATCH_SHARE', 0.1),
    threads: env('BENCH_FANOUT_THREADS', 20),
    inFlight: 0,
    rate,
    windowMs: env('BENCH_FANOUT_WINDOW_MS', 150),
  };
  console.log(`\n# At a fixed rate: ${n} widgets (protocol 2, ${Math.round(settings.watchShare * 100)}% watching), ${rate} answers/s for ${seconds} s`);
  const joinStart = performance.now();
  const osg = await ThroughputTarget.start('osg', settings);
  const joinS = (performance.now() - joinStart) / 1000;
  try {
    await osg.run(1000);
    await osg.drained();
    osg.arrivals.length = 0;
    osg.ackTimes = [];
    osg.framesReceived = 0;
    const { acked, seconds: took } = await osg.run(seconds * 1000);
    const missing = await osg.drained();
    const lat = osg.latencies();
    const acks = Float64Array.from(osg.ackTimes).sort();
    console.log('');
    console.log(
      table(
        ['N', 'watchers', 'join s', 'answers/s', 'ack p50', 'ack p99', 'deliv p50', 'deliv p99', 'deliv max', 'frames/s', 'missing', 'dropped'],
        [[n, osg.watchers, joinS.toFixed(1), (acked / took).toFixed(0), ms(percentile(acks, 50)), ms(percentile(acks, 99)), ms(percentile(lat, 50)), ms(percentile(lat, 99)), ms(percentile(lat, 100)), (osg.framesReceived / took).toFixed(0), missing, osg.slowConsumerDrops]],
      ),
    );
    const p99 = percentile(lat, 99);
    console.log(`\nTarget: delivery p99 < 1 s at ${n} widgets and ${rate} answers/s: ${p99 < 1000 ? 'met' : 'NOT met'} (${ms(p99)} ms)`);
  } finally {
    await osg.close();
  }
}

async function main(): Promise<void> {
  console.log(`# Fan-out latency: one answer reaches N watching clients (${POSTS} posts per N, ${WARMUP_POSTS} warm-up)`);
  console.log(`# ${machine()}; server and baseline each in a child process, clients in this one; 127.0.0.1`);
  const limit = openFileLimit();
  const sizes = SIZES.filter((n) => {
    // Both fleets live here (2N descriptors); each server child needs N and inherits this limit.
    if (2 * n + 256 <= limit) return true;
    console.log(`# NOTE: skipping N=${n}: open-file limit is ${limit}; raise it (ulimit -n ${2 * n + 1024}) to run this size`);
    return false;
  });

  const rows: Array<Array<string | number>> = [];
  const detail: Array<Array<string | number>> = [];
  let worst = 0;
  for (const n of sizes) {
    const { osg, bare } = await compare(n);
    const [o, b] = [osg.sorted(), bare.sorted()];
    const p = (xs: Float64Array, q: number) => percentile(xs, q);
    rows.push([n, ms(p(o, 50)), ms(p(o, 99)), ms(p(o, 100)), ms(p(b, 50)), ms(p(b, 99)), ms(p(b, 100)), ratio(p(o, 50), p(b, 50)), ratio(p(o, 99), p(b, 99))]);
    detail.push([
      n,
      n <= WATCH_MAX ? 'yes' : 'no',
      osg.frameBytes,
      ms(median(osg.ack)),
      ms(median(osg.first)),
      ms(median(bare.first)),
      ms(median(osg.last)),
      ms(median(bare.last)),
      (osg.joinMs / 1000).toFixed(1),
      (bare.joinMs / 1000).toFixed(1),
      osg.presenceFrames,
      osg.missing + bare.missing,
      osg.slowConsumerDrops,
    ]);
    worst = Math.max(worst, p(o, 50) / p(b, 50), p(o, 99) / p(b, 99));
    await sleep(500);
  }

  if (sizes.length) printLatency(rows, detail, worst);
  await throughput();
  await atRate();

  if (process.argv.includes('--profile') && sizes.length) {
    const n = sizes[sizes.length - 1]!;
    const { profiles } = await compare(n, true);
    for (const kind of ['osg', 'bare'] as const) {
      console.log(`\n${kind} server CPU profile over ${POSTS} posts to N=${n} (self time; idle between posts included)\n`);
      console.log(summariseProfile(profiles![kind], 20));
    }
  }
}

function printLatency(rows: Array<Array<string | number>>, detail: Array<Array<string | number>>, worst: number): void {
  console.log('\nPer-client delivery latency, ms (all clients x all measured posts)\n');
  console.log(table(['N', 'osg p50', 'osg p99', 'osg max', 'bare p50', 'bare p99', 'bare max', 'ratio p50', 'ratio p99'], rows));
  console.log('\nPer post, medians over posts, ms: ack = poster\'s ack; first / last = first and last client reached.');
  console.log('join = connect + hello (+ watch for osg), s; presence = presence frames the N clients received while joining\n');
  console.log(
    table(
      ['N', 'watching', 'frame B', 'osg ack', 'osg first', 'bare first', 'osg last', 'bare last', 'osg join', 'bare join', 'presence', 'missing', 'dropped'],
      detail,
    ),
  );
  console.log(`\nTarget: osg within ${TARGET_RATIO}x of bare ws at p50 and p99: ${worst <= TARGET_RATIO ? 'met' : 'NOT met'} (worst ${worst.toFixed(2)}x)`);
}

await main();
