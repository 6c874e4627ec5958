/**
 * Sign-in flood against writes: `node --import tsx bench/login-flood.ts [floodSeconds] [floodInFlight]`.
 *
 * A real server on 127.0.0.1 (bench/lib/login-flood-server.ts, a child process) takes a steady stream of
 * posts from 20 posters; after a quiet phase, a bounded flood of wrong-password sign-ins (distinct
 * usernames, so the per-username lockout never steps in; generous per-address limits, as from a botnet)
 * runs alongside. Each password check is an scrypt on libuv's 4-thread pool, where the journal's fsyncs
 * also run. The same run measures the server with the bound on concurrent checks switched off (the
 * baseline) and with it (the default), and prints post latency for each phase.
 */
import { loadavg } from 'node:os';
import { machine, spawnChild, type Child } from './lib/harness.js';

const FLOOD_SECONDS = Number(process.argv[2] ?? 8);
const FLOOD_IN_FLIGHT = Number(process.argv[3] ?? 64);
const FLOOD_MAX = 20_000;
const QUIET_SECONDS = 4;
const POSTERS = 20;

const pct = (sorted: number[], p: number) => (sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))]!);
const ms = (n: number) => (Number.isNaN(n) ? '—' : n < 10 ? `${n.toFixed(1)} ms` : `${Math.round(n).toLocaleString('en')} ms`);

async function json(url: string, body: unknown, token?: string): Promise<{ status: number; body: any }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: await res.json().catch(() => undefined) };
}

interface Phase {
  latencies: number[];
  errors: number;
  seconds: number;
}

/** Posts answers from POSTERS members, one after another each, until `until()` says stop. */
async function post(base: string, threadId: string, tokens: string[], until: () => boolean, tag: string): Promise<Phase> {
  const latencies: number[] = [];
  let errors = 0;
  const t0 = performance.now();
  await Promise.all(
    tokens.map(async (token, p) => {
      for (let i = 0; !until(); i++) {
        const started = performance.now();
        const res = await json(`${base}/api/threads/${threadId}/posts`, { body: `Jawaban uji ${tag} ${p}-${i}.`, clientId: `${tag}-${p}-${i}-bench` }, token);
        if (res.status === 201) latencies.push(performance.now() - started);
        else errors++;
      }
    }),
  );
  return { latencies: latencies.sort((a, b) => a - b), errors, seconds: (performance.now() - t0) / 1000 };
}

interface Flood {
  sent: number;
  byCode: Record<string, number>;
  /** Sign-in answer times, for the checked (401) and the refused-at-once (503, 429) ones. */
  checked: number[];
  refused: number[];
}

/** `username(n)`: distinct names by default (a spray the lockout cannot stop, so every guess is hashed). */
async function flood(base: string, until: () => boolean, username = (n: number) => `tebakan-${n}`): Promise<Flood> {
  const result: Flood = { sent: 0, byCode: {}, checked: [], refused: [] };
  await Promise.all(
    Array.from({ length: FLOOD_IN_FLIGHT }, async () => {
      while (!until() && result.sent < FLOOD_MAX) {
        const n = result.sent++;
        const started = performance.now();
        const res = await json(`${base}/api/officer/login`, { username: username(n), password: `sandi-tebakan-${n}` });
        const took = performance.now() - started;
        const code = res.body?.error?.code ?? String(res.status);
        result.byCode[code] = (result.byCode[code] ?? 0) + 1;
        (res.status === 401 ? result.checked : result.refused).push(took);
      }
    }),
  );
  result.checked.sort((a, b) => a - b);
  result.refused.sort((a, b) => a - b);
  return result;
}

async function measure(hashing: 'unbounded' | 'bounded') {
  const server: Child = await spawnChild('bench/lib/login-flood-server.ts', { env: { LOGIN_FLOOD_HASHING: hashing } });
  try {
    const base = `http://127.0.0.1:${server.port}`;
    const tokens: string[] = [];
    for (let i = 0; i < POSTERS; i++) tokens.push((await json(`${base}/api/visitors`, { name: `Anggota ${i}` })).body.token);
    const thread = await json(
      `${base}/api/sites/kanreg1/threads`,
      { title: 'Syarat kenaikan pangkat reguler', body: 'Dokumen apa saja yang perlu diunggah ke SIASN?', category: 'kenaikan-pangkat', clientId: `bench-thread-${hashing}` },
      tokens[0],
    );
    const threadId = thread.body.id as string;

    const end = performance.now() + QUIET_SECONDS * 1000;
    const quiet = await post(base, threadId, tokens, () => performance.now() > end, `${hashing}-quiet`);

    const floodPhase = async (tag: string, username?: (n: number) => string) => {
      const end = performance.now() + FLOOD_SECONDS * 1000;
      let floodDone = false;
      const [posted, flooded] = await Promise.all([
        post(base, threadId, tokens, () => floodDone || performance.now() > end, `${hashing}-${tag}`),
        flood(base, () => performance.now() > end, username).finally(() => (floodDone = true)),
      ]);
      return { posted, flooded };
    };
    const phases: Array<{ phase: string; posted: Phase; flooded?: Flood }> = [{ phase: 'quiet', posted: quiet }];
    phases.push({ phase: 'flood', ...(await floodPhase('flood')) });
    if (hashing === 'bounded') {
      // The same flood at one username, locked after 5 guesses: every sign-in refused before any hashing.
      // What is left is the cost of answering that many requests at all.
      phases.push({ phase: 'flood, nothing hashed', ...(await floodPhase('locked', () => 'satu-nama')) });
    }
    // The real officer can still sign in once the flood is over.
    const officer = await json(`${base}/api/officer/login`, { username: 'petugas1', password: 'rahasia-petugas-bench' });
    return { hashing, phases, officerAfter: officer.status };
  } finally {
    await server.stop();
  }
}

console.log(`# Sign-in flood vs posts: ${POSTERS} posters; flood of ≤ ${FLOOD_MAX.toLocaleString('en')} wrong-password sign-ins, ${FLOOD_IN_FLIGHT} in flight, ${FLOOD_SECONDS} s`);
console.log(`# ${machine()}; load average ${loadavg().map((n) => n.toFixed(1)).join(" ")} at start`);
const runs = [await measure('unbounded'), await measure('bounded')];

const header = ['password checks', 'phase', 'posts', 'posts/s', 'post p50', 'post p99', 'post max', 'sign-ins answered', 'answers'];
const rows: string[][] = [];
for (const r of runs) {
  const label = r.hashing === 'unbounded' ? 'unbounded (baseline)' : 'bounded: 1 running + 4 queued';
  for (const { phase, posted: p, flooded: f } of r.phases) {
    rows.push([
      label,
      phase,
      p.latencies.length.toLocaleString('en') + (p.errors ? ` (+${p.errors} refused)` : ''),
      Math.round(p.latencies.length / p.seconds).toLocaleString('en'),
      ms(pct(p.latencies, 50)),
      ms(pct(p.latencies, 99)),
      ms(p.latencies.at(-1) ?? NaN),
      f ? `${f.sent.toLocaleString('en')} (${Math.round(f.sent / p.seconds).toLocaleString('en')}/s)` : '—',
      f
        ? `${Object.entries(f.byCode).map(([code, n]) => `${code} ${n.toLocaleString('en')}`).join(', ')}; checked p99 ${ms(pct(f.checked, 99))}, refused at once p99 ${ms(pct(f.refused, 99))}`
        : '—',
    ]);
  }
}
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
console.log(line(header));
console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
for (const row of rows) console.log(line(row));
for (const r of runs) console.log(`# ${r.hashing}: the officer's own sign-in after the flood answered HTTP ${r.officerAfter}`);
