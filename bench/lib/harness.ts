/**
 * Shared parts of the benchmark programs: servers in child processes, fleets of `ws` clients on
 * 127.0.0.1, percentiles and a plain-text table. Nothing here listens on or connects to anything else.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WebSocket } from 'ws';
import { GENEROUS_TRUST } from '../../test/support/limits.js';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BENCH_SECRET = 'bench-secret-bench-secret-bench-secret-0123456789';
const KEEP_OUTPUT_CHARS = 256 * 1024;

export interface Child {
  proc: ChildProcess;
  pid: number;
  port: number;
  /** ws://… URL of the inspector, when started with `inspect`. */
  inspector?: string;
  /** The last ~256 KB the child printed (stdout and stderr). */
  output(): string;
  /** SIGTERM, then SIGKILL after `graceMs`; removes the child's data directory if it had one. */
  stop(graceMs?: number): Promise<void>;
}

export interface SpawnOptions {
  env?: Record<string, string>;
  /** Start with `--inspect=127.0.0.1:0` so that `settle()` can force a garbage collection. */
  inspect?: boolean;
  /** Deleted on stop(). */
  dataDir?: string;
}

/**
 * Runs `node --import tsx <script>` and resolves once it logs `{"msg":"listening",…,"port":N}` on stdout,
 * as server/main.ts does. The child's output is always drained so that a full pipe cannot stall it.
 */
export async function spawnChild(script: string, options: SpawnOptions = {}): Promise<Child> {
  const nodeArgs = ['--import', 'tsx'];
  if (options.inspect) nodeArgs.unshift('--inspect=127.0.0.1:0');
  const proc = spawn(process.execPath, [...nodeArgs, script], {
    cwd: ROOT,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const keep = (d: Buffer) => {
    out += d.toString();
    if (out.length > KEEP_OUTPUT_CHARS * 2) out = out.slice(-KEEP_OUTPUT_CHARS);
  };
  proc.stdout!.on('data', keep);
  proc.stderr!.on('data', keep);
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));

  const ready = await new Promise<{ port: number; inspector?: string }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${script} did not start within 30 s:\n${out}`)), 30_000);
    const check = () => {
      const port = /"msg":"listening".*?"port":(\d+)/.exec(out);
      const inspector = /Debugger listening on (ws:\/\/\S+)/.exec(out);
      if (port && (!options.inspect || inspector)) {
        clearTimeout(timer);
        proc.stdout!.off('data', check);
        proc.stderr!.off('data', check);
        resolve({ port: Number(port[1]), inspector: inspector?.[1] });
      }
    };
    proc.stdout!.on('data', check);
    proc.stderr!.on('data', check);
    exited.then(() => reject(new Error(`${script} exited with ${proc.exitCode}:\n${out}`)));
  });

  return {
    proc,
    pid: proc.pid!,
    ...ready,
    output: () => out,
    async stop(graceMs = 15_000) {
      if (proc.exitCode === null && proc.signalCode === null) {
        proc.kill('SIGTERM');
        const timer = setTimeout(() => proc.kill('SIGKILL'), graceMs);
        await exited;
        clearTimeout(timer);
      }
      if (options.dataDir) rmSync(options.dataDir, { recursive: true, force: true });
    },
  };
}

/** server/main.ts on 127.0.0.1, a free port and an empty data directory, with the default demo site. */
export async function spawnOsgServer(options: Omit<SpawnOptions, 'dataDir'> = {}): Promise<Child> {
  const dataDir = mkdtempSync(join(tmpdir(), 'osg-bench-'));
  return spawnChild('server/main.ts', {
    ...options,
    dataDir,
    env: {
      PORT: '0',
      HOST: '127.0.0.1',
      OSG_DATA_DIR: dataDir,
      OSG_SECRET: BENCH_SECRET,
      OSG_LOG_LEVEL: 'info',
      // One poster sends every post of the run: rate limits would measure the limiter, not fan-out.
      OSG_TRUST: GENEROUS_TRUST,
      ...options.env,
    },
  });
}

/** The baseline: bench/lib/bare-ws-server.ts, a `ws` server that only broadcasts. */
export function spawnBareServer(frameBytes: number, options: SpawnOptions = {}): Promise<Child> {
  return spawnChild('bench/lib/bare-ws-server.ts', { ...options, env: { BARE_FRAME_BYTES: String(frameBytes), ...options.env } });
}

/** The site every benchmark uses: the demo site a fresh server configures. */
export const SITE = 'kanreg1';

/** A visitor, a thread to answer, and the token to answer with, made through the REST API. */
export async function seedThread(port: number): Promise<{ token: string; threadId: string }> {
  const base = `http://127.0.0.1:${port}`;
  const visitor = await postJson(`${base}/api/visitors`, { name: 'Analis Bench' });
  const token = (visitor as { token: string }).token;
  const thread = await postJson(
    `${base}/api/sites/${SITE}/threads`,
    {
      title: 'Syarat kenaikan pangkat reguler periode April',
      body: 'Dokumen apa saja yang perlu diunggah ke SIASN untuk kenaikan pangkat reguler periode April?',
      category: 'kenaikan-pangkat',
      clientId: 'bench-thread-0001',
    },
    token,
  );
  return { token, threadId: (thread as { id: string }).id };
}

async function postJson(url: string, body: unknown, token?: string): Promise<unknown> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`POST ${url}: HTTP ${res.status} ${await res.text()}`);
  return res.json();
}

/**
 * Many `ws` clients in this process. Frames are handed to one callback as raw Buffers, so that
 * receiving costs the same for the server under test and the baseline (no JSON.parse per frame).
 */
export class Fleet {
  readonly sockets: WebSocket[] = [];
  onFrame: (index: number, data: Buffer) => void = () => {};

  /** Opens `count` connections, `batch` at a time; fails if any is refused or the whole takes too long. */
  static async open(url: string, count: number, batch = 250, timeoutMs = 120_000): Promise<Fleet> {
    const fleet = new Fleet();
    const deadline = Date.now() + timeoutMs;
    for (let start = 0; start < count; start += batch) {
      if (Date.now() > deadline) throw new Error(`opened only ${start} of ${count} connections within ${timeoutMs} ms`);
      const opening: Array<Promise<void>> = [];
      for (let i = start; i < Math.min(count, start + batch); i++) opening.push(fleet.#connect(url, i));
      await Promise.all(opening);
    }
    return fleet;
  }

  #connect(url: string, index: number): Promise<void> {
    const ws = new WebSocket(url, { perMessageDeflate: false });
    this.sockets[index] = ws;
    ws.on('message', (data) => this.onFrame(index, data as Buffer));
    return new Promise((resolve, reject) => {
      ws.once('open', () => {
        ws.off('error', reject);
        ws.on('error', () => {});
        resolve();
      });
      ws.once('error', reject);
    });
  }

  get size(): number {
    return this.sockets.length;
  }

  sendAll(frame: string): void {
    for (const ws of this.sockets) ws.send(frame);
  }

  /** Closes every socket and waits (bounded) until each has closed. */
  async close(timeoutMs = 10_000): Promise<void> {
    const closed = this.sockets.map(
      (ws) =>
        new Promise<void>((resolve) => {
          if (ws.readyState === WebSocket.CLOSED) return resolve();
          ws.once('close', () => resolve());
          ws.close();
        }),
    );
    const timer = setTimeout(() => this.sockets.forEach((ws) => ws.terminate()), timeoutMs);
    await Promise.all(closed);
    clearTimeout(timer);
  }
}

/** Resolves when `done()` is true, polling every `everyMs`; rejects with `what` after `timeoutMs`. */
export async function until(done: () => boolean, timeoutMs: number, what: string, everyMs = 5): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Nearest-rank percentile of an ascending array. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

/** A fixed-width text table; numbers are right-aligned. */
export function table(headers: string[], rows: Array<Array<string | number>>): string {
  const cells = [headers, ...rows.map((r) => r.map(String))];
  const widths = headers.map((_, c) => Math.max(...cells.map((r) => r[c]!.length)));
  const line = (r: string[]) => r.map((v, c) => (c === 0 ? v.padEnd(widths[c]!) : v.padStart(widths[c]!))).join('  ');
  return [line(cells[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n');
}

/** The hard limit on open files for this process (Node raises its soft limit to the hard one at start). */
export function openFileLimit(): number {
  const line = readFileSync('/proc/self/limits', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('Max open files'));
  const soft = line?.trim().split(/\s{2,}/)[1];
  return soft === undefined || soft === 'unlimited' ? Infinity : Number(soft);
}

/** Resident memory of a process in bytes, from /proc/<pid>/status (VmRSS). */
export function residentBytes(pid: number): number {
  const m = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!m) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(m[1]) * 1024;
}

/** A connection to a child's inspector (started with `inspect`), for GC and CPU profiles. */
export class Inspector {
  #nextId = 1;
  private constructor(readonly ws: WebSocket) {}

  static async connect(url: string): Promise<Inspector> {
    const ws = new WebSocket(url, { perMessageDeflate: false, maxPayload: 1 << 30 });
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    return new Inspector(ws);
  }

  call<T = Record<string, unknown>>(method: string, params: Record<string, unknown> = {}): Promise<T> {
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`inspector ${method} timed out`)), 60_000);
      const onMessage = (data: Buffer) => {
        const msg = JSON.parse(data.toString()) as { id?: number; result?: T; error?: { message: string } };
        if (msg.id !== id) return;
        clearTimeout(timer);
        this.ws.off('message', onMessage);
        if (msg.error) reject(new Error(`inspector ${method}: ${msg.error.message}`));
        else resolve(msg.result as T);
      };
      this.ws.on('message', onMessage);
      this.ws.send(JSON.stringify({ id, method, params }));
    });
  }

  close(): void {
    this.ws.close();
  }
}

/**
 * Forces full garbage collections in a child started with `inspect`, lets it idle, and returns its
 * JS heap in use (the inspector's Runtime.getHeapUsage).
 */
export async function settle(inspectorUrl: string, idleMs = 1000): Promise<{ heapUsed: number }> {
  const inspector = await Inspector.connect(inspectorUrl);
  try {
    await inspector.call('HeapProfiler.collectGarbage');
    await sleep(idleMs);
    await inspector.call('HeapProfiler.collectGarbage');
    await sleep(200);
    const usage = await inspector.call<{ usedSize: number }>('Runtime.getHeapUsage');
    return { heapUsed: usage.usedSize };
  } finally {
    inspector.close();
  }
}

export const ms = (v: number) => (Number.isFinite(v) ? v.toFixed(1) : '-');
export const ratio = (a: number, b: number) => (Number.isFinite(a / b) ? `${(a / b).toFixed(2)}x` : '-');
export const kib = (bytes: number) => (bytes / 1024).toFixed(1);

/** Node, CPU and OS of this machine, for the header every benchmark prints. */
export function machine(): string {
  const cpu = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? 'unknown CPU';
  let os = 'Linux';
  try {
    os = /^PRETTY_NAME="?([^"\n]+)"?$/m.exec(readFileSync('/etc/os-release', 'utf8'))?.[1] ?? os;
  } catch {
    // keep "Linux"
  }
  return `node ${process.version}, ${availableParallelism()} cores (${cpu}), ${os}`;
}
