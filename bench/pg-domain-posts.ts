/**
 * Answers acknowledged through the domain (`ConsultationService.answer`, as the REST and WebSocket layers call
 * it) on PostgreSQL and on the JSON store, 100,000 threads stored in each: `node --import tsx
 * bench/pg-domain-posts.ts [answers] [inFlight]` (defaults 5,000 and 50; a few minutes). Needs the local
 * PostgreSQL of the tests (DEVELOPERS.md); works in a schema of its own, `osg_t_bench_domain_<pid>`, dropped
 * at the end. The JSON store in the same run is the baseline.
 *
 * Each answer is what a member's request costs: the earlier-clientId check, the thread read, the post with its
 * author's counts in one commit, and the reply's author summary. 2,000 members answer, a few in flight each.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConsultationService } from '../server/domain/service.js';
import { DEMO_SITE } from '../server/domain/sites.js';
import { TokenSigner } from '../server/domain/tokens.js';
import { DEFAULT_TRUST_RULES, type TrustRules } from '../server/domain/trust.js';
import { JsonStore } from '../server/store/json-store.js';
import { createPool } from '../server/store/pg/db.js';
import { PgStore } from '../server/store/pg/pg-store.js';
import type { Store } from '../server/store/store.js';
import { dropSchema, ensurePostgres, TEST_DATABASE_URL } from '../test/support/postgres.js';
import { machine, table } from './lib/harness.js';
import { loadThreads } from './lib/pg-data.js';
import { load, post, thread, THREADS } from './lib/store-data.js';

const ANSWERS = Number(process.argv[2] ?? 5000);
const IN_FLIGHT = Number(process.argv[3] ?? 50);
const MEMBERS = 2000;
const RETENTION = 1000;
const SCHEMA = `osg_t_bench_domain_${process.pid}`;
const APP = `osg_bench_domain_${process.pid}`;
const wide = { capacity: 1e12, perMinute: 1e12 };
const RULES: TrustRules = { ...DEFAULT_TRUST_RULES, limits: { ...DEFAULT_TRUST_RULES.limits, post: { member: wide, newMember: wide, ip: wide } } };
const SITES = ['kanreg-1', 'kanreg-2', 'kanreg-3', 'kanreg-5'].map((id) => ({ ...DEMO_SITE, id }));
const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))];
const ms = (n: number) => `${n < 10 ? n.toFixed(2) : n.toFixed(0)} ms`;
const rows: Array<Array<string | number>> = [];

/** CPU ms of this process and of the PostgreSQL backends serving it (by application_name), from /proc. */
async function cpuMs(): Promise<{ node: number; postgres: number }> {
  const pool = createPool({ url: TEST_DATABASE_URL, max: 1 });
  const { rows: backends } = await pool.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE application_name = $1', [APP]);
  await pool.end();
  const postgres = backends.reduce((sum, { pid }) => {
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
      return sum + (Number(fields[11]) + Number(fields[12])) * 10;
    } catch {
      return sum;
    }
  }, 0);
  const { user, system } = process.cpuUsage();
  return { node: (user + system) / 1000, postgres };
}

async function answering(name: string, store: Store): Promise<void> {
  const at = new Date().toISOString();
  const members = await Promise.all(
    Array.from({ length: MEMBERS }, (_, i) => store.createVisitor({ visitor: { id: `m${i}`, name: `Penjawab ${i}`, createdAt: at, updatedAt: at, role: 'member' } })),
  );
  const service = new ConsultationService({ store, sites: SITES, tokens: new TokenSigner('d'.repeat(32), 3600), trust: RULES });
  const before = await cpuMs();
  const run = await load(ANSWERS, IN_FLIGHT, async (i) => {
    const { threadId, body } = post(i);
    const { duplicate } = await service.answer({ visitor: members[i % MEMBERS] }, threadId, { body, clientId: `domain-${i}` });
    if (duplicate) throw new Error(`answer ${i} came back as a duplicate`);
  });
  const after = await cpuMs();
  const us = (total: number) => `${Math.round((total * 1000) / ANSWERS)} µs`;
  rows.push([
    name,
    `${Math.round((ANSWERS * 1000) / run.ms).toLocaleString('en')} answers/s`,
    `p50 ${ms(pct(run.latencies, 50))}, p99 ${ms(pct(run.latencies, 99))}`,
    name === 'postgres' ? `node ${us(after.node - before.node)} + PostgreSQL ${us(after.postgres - before.postgres)}` : `node ${us(after.node - before.node)}`,
  ]);
  console.error(`  ${rows.at(-1)!.join(' | ')}`);
}

const root = mkdtempSync(path.join(os.tmpdir(), 'osg-bench-domain-'));
try {
  await ensurePostgres();
  const pgOptions = { url: `${TEST_DATABASE_URL}?application_name=${APP}`, schema: SCHEMA, eventRetention: RETENTION };
  console.error(`PostgreSQL: loading ${THREADS.toLocaleString('en')} threads into ${SCHEMA} ...`);
  {
    const store = new PgStore(pgOptions);
    await store.open();
    await store.close();
    const pool = createPool({ url: TEST_DATABASE_URL, schema: SCHEMA, max: 1 });
    await loadThreads(pool, THREADS, RETENTION);
    await pool.end();
    const opened = new PgStore(pgOptions);
    await opened.open();
    await answering('postgres', opened);
    await opened.close();
  }
  console.error(`JSON: seeding ${THREADS.toLocaleString('en')} threads ...`);
  {
    const dir = path.join(root, 'json');
    const seeding = new JsonStore({ dir });
    await seeding.open();
    await load(THREADS, 1000, (i) => seeding.createThread({ thread: thread(i) }));
    await seeding.close();
    const store = new JsonStore({ dir });
    await store.open();
    await answering('json', store);
    await store.close();
  }
  console.log(`\n${machine()}; load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} at the end\n`);
  console.log(table([`${ANSWERS.toLocaleString('en')} answers through the domain, ${IN_FLIGHT} in flight`, 'acknowledged', 'latency', 'CPU per answer'], rows));
} finally {
  await dropSchema(SCHEMA).catch((err: Error) => console.error(`could not drop schema ${SCHEMA}: ${err.message}`));
  rmSync(root, { recursive: true, force: true });
}
