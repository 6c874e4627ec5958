/**
 * Fan-out throughput for bench/fanout.ts: how many answers per second are acknowledged while N widgets of one
 * site follow them, and how late each widget learns of each answer.
 *
 * osg: N clients speak protocol 2. A share of them (WATCH_SHARE) watch one of THREADS threads, the rest sit on
 * the list. One poster keeps IN_FLIGHT answers outstanding (closed loop: a new one for every ack), each to a
 * thread picked in turn. A list reader learns of an answer from the `digest` covering its seq, a watcher from
 * its `event` frame. The bare baseline (bare-ws-server.ts) sends each answer to every connection; its poster
 * counts its own copy as the ack, and every client's copy is a delivery.
 *
 * Frames are recognised by their first bytes and the seq range read from the head of the frame, not parsed,
 * so receiving costs the same on both sides.
 */
import { performance } from 'node:perf_hooks';
import { WebSocket } from 'ws';
import { Fleet, SITE, sleep, spawnBareServer, spawnOsgServer, until, type Child } from './harness.js';

export interface ThroughputSettings {
  n: number;
  /** Share of the clients that watch a thread (osg only; bare sends everything to everyone). */
  watchShare: number;
  threads: number;
  /** Closed loop: answers outstanding at once. Open loop instead when `rate` is set. */
  inFlight: number;
  /** Open loop: answers per second, sent on a timer whatever the acks do. */
  rate?: number;
  windowMs: number;
}

const BODY = 'Untuk kenaikan pangkat reguler, unggah SK pangkat terakhir dan SKP dua tahun terakhir ke SIASN sebelum batas waktu.';

/** Reads the first integer after `key` in the first 160 bytes of a frame (seq fields sit at the head). */
function intAfter(data: Buffer, key: Buffer, from = 0): number {
  const at = data.subarray(0, 160).indexOf(key, from);
  if (at < 0) return -1;
  let v = 0;
  for (let i = at + key.length; i < data.length; i++) {
    const c = data[i]!;
    if (c < 0x30 || c > 0x39) break;
    v = v * 10 + c - 0x30;
  }
  return v;
}
const FROM = Buffer.from('"fromSeq":');
const TO = Buffer.from('"toSeq":');
const SEQ = Buffer.from('"seq":');
const b = (c: string) => c.charCodeAt(0);

/** One server (osg or bare), its N clients and a poster. */
export class ThroughputTarget {
  /** Per answer: time it was sent, by seq (osg: from the ack; bare: the answer's number). */
  readonly sentAt = new Map<number, number>();
  /** Deliveries: [client, fromSeq, toSeq, time, 1 for an event frame] as they arrived. */
  readonly arrivals: number[] = [];
  /** Per client, the highest seq it has been told of. */
  readonly covered: Float64Array;
  /** osg watchers: the seqs each got as `event` frames (its digests cover them again, later). */
  readonly #eventSeqs = new Map<number, Set<number>>();
  #maxAckedSeq = 0;
  acked = 0;
  ackTimes: number[] = [];
  #pending = new Map<string, number>();
  #posted = 0;
  #running = false;
  #timer?: NodeJS.Timeout;
  watchers = 0;

  private constructor(
    readonly kind: 'osg' | 'bare',
    readonly settings: ThroughputSettings,
    readonly server: Child,
    readonly fleet: Fleet,
    readonly poster: WebSocket,
    readonly threadIds: string[],
  ) {
    this.covered = new Float64Array(fleet.size);
    poster.on('message', (raw) => this.#onPoster(raw as Buffer));
    fleet.onFrame = (i, data) => this.#onFrame(i, data);
  }

  static async start(kind: 'osg' | 'bare', settings: ThroughputSettings): Promise<ThroughputTarget> {
    const { n } = settings;
    const server =
      kind === 'osg'
        ? await spawnOsgServer({ env: { OSG_FANOUT_WINDOW_MS: String(settings.windowMs), OSG_MAX_BUFFERED_BYTES: String(8 << 20) } })
        : await spawnBareServer(700);
    let fleet: Fleet | undefined;
    try {
      const base = `http://127.0.0.1:${server.port}`;
      let token: string | undefined;
      const threadIds: string[] = [];
      if (kind === 'osg') {
        token = ((await post(`${base}/api/visitors`, { name: 'Analis Bench' })) as { token: string }).token;
        for (let t = 0; t < settings.threads; t++) {
          const body = { title: `Pertanyaan bench nomor ${t + 1}`, body: 'Dokumen apa saja yang perlu diunggah ke SIASN untuk kenaikan pangkat?', category: 'kenaikan-pangkat', clientId: `bench-thread-${t}-xxxx` };
          threadIds.push(((await post(`${base}/api/sites/${SITE}/threads`, body, token)) as { id: string }).id);
        }
      } else for (let t = 0; t < settings.threads; t++) threadIds.push(`bench-thread-${t}`);
      const url = `ws://127.0.0.1:${server.port}/ws`;
      fleet = await Fleet.open(url, n);
      let welcomed = 0;
      fleet.onFrame = (_i, data) => {
        if (data[9] === b('w')) welcomed++;
      };
      fleet.sendAll(JSON.stringify({ type: 'hello', v: 2, site: SITE }));
      await until(() => welcomed === n, 120_000, `${n} welcome frames`);
      let watchers = 0;
      if (kind === 'osg') {
        // Every k-th client watches a thread, round robin over the threads: the rest read the list.
        const every = settings.watchShare > 0 ? Math.round(1 / settings.watchShare) : Infinity;
        for (let i = 0; i < n; i += every) {
          fleet.sockets[i]!.send(JSON.stringify({ type: 'watch', threadId: threadIds[watchers % threadIds.length] }));
          watchers++;
        }
      }
      const poster = new WebSocket(url, { perMessageDeflate: false });
      let posterWelcomed = false;
      poster.once('message', () => (posterWelcomed = true));
      await new Promise<void>((resolve, reject) => {
        poster.once('open', () => resolve());
        poster.once('error', reject);
      });
      poster.send(JSON.stringify({ type: 'hello', v: 2, site: SITE, token }));
      await until(() => posterWelcomed, 10_000, 'welcome for the poster');
      const target = new ThroughputTarget(kind, settings, server, fleet, poster, threadIds);
      target.watchers = watchers;
      return target;
    } catch (err) {
      await fleet?.close();
      await server.stop();
      throw err;
    }
  }

  /** Posts for `ms` (closed or open loop), then waits until everything sent is acknowledged. */
  async run(ms: number): Promise<{ acked: number; seconds: number }> {
    const ackedBefore = this.acked;
    const start = performance.now();
    this.#running = true;
    if (this.settings.rate) {
      const every = 1000 / this.settings.rate;
      let due = start;
      const tick = () => {
        if (!this.#running) return;
        const now = performance.now();
        while (due <= now) {
          this.#send();
          due += every;
        }
        this.#timer = setTimeout(tick, Math.max(1, due - performance.now()));
      };
      tick();
    } else for (let i = 0; i < this.settings.inFlight; i++) this.#send();
    await sleep(ms);
    this.#running = false;
    clearTimeout(this.#timer);
    const seconds = (performance.now() - start) / 1000;
    const acked = this.acked - ackedBefore;
    await until(() => this.#pending.size === 0, 30_000, `${this.kind}: acks of the last answers`, 5).catch(() => {});
    return { acked, seconds };
  }

  /** Waits until every client has been told of every answer acknowledged so far (bounded). */
  async drained(timeoutMs = 20_000): Promise<number> {
    const lowest = () => {
      let min = Infinity;
      for (const seq of this.covered) if (seq < min) min = seq;
      return min;
    };
    await until(() => lowest() >= this.#maxAckedSeq, timeoutMs, `${this.kind}: every delivery`, 20).catch(() => {});
    let missing = 0;
    for (const seq of this.covered) if (seq < this.#maxAckedSeq) missing++;
    return missing;
  }

  /** Delivery latencies (ms) of every answer to every client, from send to the frame that told the client. */
  latencies(): Float64Array {
    const out: number[] = [];
    const a = this.arrivals;
    for (let k = 0; k < a.length; k += 5) {
      const seen = a[k + 4] ? undefined : this.#eventSeqs.get(a[k]!);
      for (let seq = a[k + 1]!; seq <= a[k + 2]!; seq++) {
        const t0 = this.sentAt.get(seq);
        if (t0 !== undefined && !seen?.has(seq)) out.push(a[k + 3]! - t0);
      }
    }
    return Float64Array.from(out).sort();
  }

  /** Frames the N clients received per second of posting (a measure of the server's send work). */
  framesReceived = 0;

  #send(): void {
    const p = this.#posted++;
    const clientId = `bench-${this.kind}-${String(p).padStart(7, '0')}`;
    const threadId = this.threadIds[p % this.threadIds.length];
    this.#pending.set(clientId, performance.now());
    if (this.kind === 'bare') this.sentAt.set(p + 1, performance.now());
    this.poster.send(JSON.stringify({ type: 'answer', clientId, threadId, body: `${BODY} (#${p})` }));
  }

  #onPoster(data: Buffer): void {
    const now = performance.now();
    if (this.kind === 'osg') {
      if (data[9] === b('a')) {
        // {"type":"ack","clientId":"bench-osg-0000001",…,"post":{…"seq":N…}}
        const at = data.indexOf('"clientId":"') + 12;
        const clientId = data.subarray(at, at + 'bench-osg-0000000'.length).toString();
        const t0 = this.#pending.get(clientId);
        this.#pending.delete(clientId);
        const seqAt = data.indexOf('"seq":', data.indexOf('"post":'));
        const seq = intAfterAt(data, seqAt + 6);
        if (seq > this.#maxAckedSeq) this.#maxAckedSeq = seq;
        if (t0 !== undefined) {
          this.sentAt.set(seq, t0);
          this.ackTimes.push(now - t0);
        }
        this.acked++;
        if (this.#running && !this.settings.rate) this.#send();
      } else if (data[9] === b('e') && data[10] === b('r')) process.stderr.write(`osg poster got ${data}\n`);
    } else if (data[9] === b('e') && data[10] === b('v')) {
      // The bare server's event: its `seq` counts answers, 1, 2, …; the poster's own copy is its ack.
      const seq = intAfter(data, SEQ);
      this.#pending.delete(`bench-bare-${String(seq - 1).padStart(7, '0')}`);
      this.ackTimes.push(now - this.sentAt.get(seq)!);
      if (seq > this.#maxAckedSeq) this.#maxAckedSeq = seq;
      this.acked++;
      if (this.#running && !this.settings.rate) this.#send();
    }
  }

  #onFrame(i: number, data: Buffer): void {
    const now = performance.now();
    const c9 = data[9];
    if (c9 === b('d')) {
      this.framesReceived++;
      const to = intAfter(data, TO);
      this.arrivals.push(i, intAfter(data, FROM), to, now, 0);
      if (to > this.covered[i]!) this.covered[i] = to;
    } else if (c9 === b('e') && data[10] === b('v')) {
      this.framesReceived++;
      const seq = intAfter(data, SEQ);
      this.arrivals.push(i, seq, seq, now, 1);
      if (this.kind === 'bare') {
        if (seq > this.covered[i]!) this.covered[i] = seq;
      } else {
        let seen = this.#eventSeqs.get(i);
        if (!seen) this.#eventSeqs.set(i, (seen = new Set()));
        seen.add(seq);
      }
    }
  }

  get slowConsumerDrops(): number {
    return (this.server.output().match(/ws slow consumer dropped/g) ?? []).length;
  }

  async close(): Promise<void> {
    this.poster.terminate();
    await this.fleet.close();
    await this.server.stop();
  }
}

function intAfterAt(data: Buffer, at: number): number {
  let v = 0;
  for (let i = at; i < data.length; i++) {
    const c = data[i]!;
    if (c < 0x30 || c > 0x39) break;
    v = v * 10 + c - 0x30;
  }
  return v;
}

async function post(url: string, body: unknown, token?: string): Promise<unknown> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`POST ${url}: HTTP ${res.status} ${await res.text()}`);
  return res.json();
}
