/**
 * Trust benchmark: votes per second through the domain with 10,000 members, and recomputing every
 * member's reputation from 100,000 stored votes. Baselines in the same run: the store's own putVote
 * (no rules) for votes, and the pure reputation formula over facts already in memory for recompute.
 *
 *   node --import tsx bench/trust.ts
 *   BENCH_TRUST_MEMBERS=10000 BENCH_TRUST_VOTES=100000 BENCH_TRUST_TIMED_VOTES=5000 (defaults)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Visitor } from '../server/domain/model.js';
import { ConsultationService } from '../server/domain/service.js';
import { DEMO_SITE } from '../server/domain/sites.js';
import { TokenSigner } from '../server/domain/tokens.js';
import { OfficerService } from '../server/domain/officer-service.js';
import { TrustService } from '../server/domain/trust-service.js';
import { computeReputation, DEFAULT_TRUST_RULES, memberFacts, type TrustRules } from '../server/domain/trust.js';
import { JsonStore } from '../server/store/json-store.js';
import { machine, percentile, table } from './lib/harness.js';

const MEMBERS = Number(process.env.BENCH_TRUST_MEMBERS ?? 10_000);
const VOTES = Number(process.env.BENCH_TRUST_VOTES ?? 100_000);
const TIMED = Number(process.env.BENCH_TRUST_TIMED_VOTES ?? 5_000);
const IN_FLIGHT = 50;
const wide = { capacity: 1e12, perMinute: 1e12 };
const RULES: TrustRules = {
  ...DEFAULT_TRUST_RULES,
  limits: {
    ...DEFAULT_TRUST_RULES.limits,
    post: { member: wide, newMember: wide, ip: wide },
    vote: { member: wide, newMember: wide, ip: wide, daily: 1e12, newMemberDaily: 1e12 },
  },
};

let clock = Date.parse('2026-11-01T00:00:00Z');
const dir = mkdtempSync(join(tmpdir(), 'osg-bench-trust-'));
const store = new JsonStore({ dir, snapshotEvery: 10_000_000 });
await store.open();
const tokens = new TokenSigner('b'.repeat(32), 86_400);
const service = new ConsultationService({ store, sites: [DEMO_SITE], tokens, now: () => clock, trust: RULES });
const trust = new TrustService({ store, consultation: service, now: () => clock });
const officers = new OfficerService({ store, consultation: service, tokens, now: () => clock });

async function pool<T>(items: T[], inFlight: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: inFlight }, async () => {
    while (next < items.length) await fn(items[next++]!);
  }));
}

console.log(`# Trust: ${MEMBERS.toLocaleString('en')} members, ${VOTES.toLocaleString('en')} votes (JSON store in ${dir})`);
console.log(`# ${machine()}`);
let t0 = performance.now();
const members: Visitor[] = [];
await pool(Array.from({ length: MEMBERS }, (_, i) => i), IN_FLIGHT, async (i) => {
  const { token } = await service.registerVisitor({ name: `Anggota ${i}` });
  members.push(await service.authenticate(token));
});
// Every member asks one question; one in five also answers someone else's: 2,000 answerers.
const threads: string[] = [];
await pool(members, IN_FLIGHT, async (m) => {
  const { thread } = await service.ask({ visitor: m }, 'kanreg1', { title: `Pertanyaan dari ${m.name}`, body: 'Isi pertanyaan untuk benchmark.', category: 'lainnya', clientId: `q-${m.id}` });
  threads.push(thread.id);
});
const answers: Array<{ id: string; authorId: string; threadId: string }> = [];
await pool(members.filter((_, i) => i % 5 === 0), IN_FLIGHT, async (m) => {
  for (let k = 0; k < 5; k++) {
    const threadId = threads[Math.floor(Math.random() * threads.length)]!;
    const { post } = await service.answer({ visitor: m }, threadId, { body: 'Jawaban untuk benchmark.', clientId: `a-${m.id}-${k}` });
    answers.push({ id: post.id, authorId: post.authorId, threadId });
  }
});
clock += 48 * 3_600_000; // every member is now old enough, with a post: their votes count
const fresh = new Map((await store.getMembers({ ids: members.map((m) => m.id) })).map((m) => [m.id, m]));
console.log(`seeded ${MEMBERS} members, ${threads.length} threads, ${answers.length} answers in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

// Distinct (voter, answer) pairs, none on one's own answer.
const pairs: Array<{ voter: Visitor; postId: string; threadId: string; authorId: string; value: 1 | -1 }> = [];
const seen = new Set<string>();
while (pairs.length < VOTES) {
  const voter = fresh.get(members[Math.floor(Math.random() * members.length)]!.id)!;
  const a = answers[Math.floor(Math.random() * answers.length)]!;
  const key = `${voter.id}:${a.id}`;
  if (a.authorId === voter.id || seen.has(key)) continue;
  seen.add(key);
  pairs.push({ voter, postId: a.id, threadId: a.threadId, authorId: a.authorId, value: Math.random() < 0.8 ? 1 : -1 });
}

async function timedVotes(batch: typeof pairs, cast: (p: (typeof pairs)[number]) => Promise<unknown>) {
  const lat: number[] = [];
  const start = performance.now();
  await pool(batch, IN_FLIGHT, async (p) => {
    const s = performance.now();
    await cast(p);
    lat.push(performance.now() - s);
  });
  const seconds = (performance.now() - start) / 1000;
  lat.sort((a, b) => a - b);
  return { perSecond: batch.length / seconds, p50: percentile(lat, 50), p99: percentile(lat, 99) };
}

const baseline = await timedVotes(pairs.slice(0, TIMED), (p) =>
  store.putVote({ vote: { postId: p.postId, threadId: p.threadId, site: 'kanreg1', voterId: `base-${p.voter.id}`, authorId: p.authorId, value: p.value, castAt: new Date(clock).toISOString(), counts: true } }),
);
// Remove the baseline's votes again so that the domain run starts from the same state.
await pool(pairs.slice(0, TIMED), IN_FLIGHT, async (p) => {
  await store.putVote({ remove: { postId: p.postId, voterId: `base-${p.voter.id}`, at: new Date(clock).toISOString() } });
});
const domain = await timedVotes(pairs.slice(0, TIMED), (p) => trust.vote({ visitor: p.voter }, p.postId, p.value));
t0 = performance.now();
await pool(pairs.slice(TIMED), IN_FLIGHT, async (p) => {
  await trust.vote({ visitor: p.voter }, p.postId, p.value);
});
console.log(`cast the remaining ${(VOTES - TIMED).toLocaleString('en')} votes in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

// Recompute: the pure formula over facts gathered in memory (lower bound), then the real thing.
const allVotes = await store.allVotes();
t0 = performance.now();
const byAuthor = new Map<string, typeof allVotes>();
for (const v of allVotes) {
  const list = byAuthor.get(v.authorId);
  if (list) list.push(v);
  else byAuthor.set(v.authorId, [v]);
}
let checksum = 0;
for (const votes of byAuthor.values()) {
  checksum += computeReputation({ votes: votes.filter((v) => v.counts).map((v) => ({ value: v.value, at: v.castAt })), accepted: [], endorsed: [], questionsHelped: [] }, RULES.reputation).reputation;
}
const pureMs = performance.now() - t0;
void memberFacts;
const full = await officers.recomputeAll();

console.log('');
console.log(table(
  ['measure', 'result', 'baseline', 'baseline result'],
  [
    [`votes/s, ${TIMED.toLocaleString('en')} votes, ${IN_FLIGHT} in flight`, `${Math.round(domain.perSecond)}/s (p50 ${domain.p50.toFixed(2)} ms, p99 ${domain.p99.toFixed(2)} ms)`, 'store.putVote alone', `${Math.round(baseline.perSecond)}/s (p50 ${baseline.p50.toFixed(2)} ms, p99 ${baseline.p99.toFixed(2)} ms)`],
    [`recompute all reputation, ${allVotes.length.toLocaleString('en')} votes, ${full.members.toLocaleString('en')} members`, `${full.ms} ms (changed ${full.changed})`, 'formula over in-memory facts', `${pureMs.toFixed(0)} ms (checksum ${checksum})`],
  ],
));
console.log(`Target: recompute under 1,000 ms: ${full.ms < 1000 ? 'met' : 'NOT met'}`);
await store.close();
rmSync(dir, { recursive: true, force: true });
