/**
 * A thread with 200 answers, viewed by a member, on PostgreSQL: `node --import tsx bench/pg-thread-view.ts
 * [answers]` (default 200; under a minute). Needs the local PostgreSQL of the tests (DEVELOPERS.md); works
 * in a schema of its own, `osg_t_bench_view_<pid>`, dropped at the end.
 *
 * Baseline in the same run: the view as the domain read it before the batched reads (the thread, its
 * people, then the viewer's vote and flags one answer at a time), against `ConsultationService.getThread`
 * now. Counts the statements each sends to PostgreSQL and times both (alternating, median of 21).
 */
import type { Visitor } from '../server/domain/model.js';
import { ConsultationService } from '../server/domain/service.js';
import { DEMO_SITE } from '../server/domain/sites.js';
import { TokenSigner } from '../server/domain/tokens.js';
import { PgStore } from '../server/store/pg/pg-store.js';
import { dropSchema, ensurePostgres, TEST_DATABASE_URL } from '../test/support/postgres.js';
import { machine, table } from './lib/harness.js';

const ANSWERS = Number(process.argv[2] ?? 200);
const RUNS = 21;
const SCHEMA = `osg_t_bench_view_${process.pid}`;
const site = DEMO_SITE.id;
const at = (i: number) => new Date(Date.UTC(2026, 0, 1, 8, 0, i)).toISOString();

await ensurePostgres();
const store = new PgStore({ url: TEST_DATABASE_URL, schema: SCHEMA });
try {
  await store.open();
  const viewer: Visitor = await store.createVisitor({ visitor: { id: 'viewer', name: 'Sari', createdAt: at(0), updatedAt: at(0) } });
  for (let i = 0; i < 20; i++) await store.createVisitor({ visitor: { id: `author${i}`, name: `Penjawab ${i}`, createdAt: at(0), updatedAt: at(0) } });
  const { record: thread } = await store.createThread({
    thread: { id: 'thread', site, title: 'Kenaikan pangkat April', body: 'Kapan diproses?', category: 'kenaikan-pangkat', authorId: 'author0', authorName: 'Penjawab 0', clientId: 'c-thread', createdAt: at(0), lastActivityAt: at(0), answerCount: 0 },
  });
  const posts = await Promise.all(
    Array.from({ length: ANSWERS }, async (_, i) => {
      const author = `author${i % 20}`;
      const post = { id: `p${i}`, threadId: thread.id, site, body: `Jawaban ${i}`, authorId: author, authorName: author, clientId: `c${i}`, createdAt: at(i + 1) };
      return (await store.createPost({ post }))!.record;
    }),
  );
  // The viewer voted on every fourth answer and flagged every tenth.
  for (const [i, post] of posts.entries()) {
    if (i % 4 === 0) await store.putVote({ vote: { postId: post.id, threadId: thread.id, site, voterId: viewer.id, authorId: post.authorId, value: 1, castAt: at(i), counts: true } });
    if (i % 10 === 0) await store.addFlag({ flag: { postId: post.id, memberId: viewer.id, reason: 'spam', weight: 1, at: at(i) } });
  }

  const service = new ConsultationService({ store, sites: [DEMO_SITE], tokens: new TokenSigner('v'.repeat(32), 3600) });
  // Every statement the store sends through its pool (reads use pool.query).
  const pool = (store as unknown as { pool: { query: (...args: unknown[]) => unknown } }).pool;
  const query = pool.query.bind(pool);
  let statements = 0;
  pool.query = (...args: unknown[]) => {
    statements++;
    return query(...args);
  };

  /** The view as the domain read it before batched reads: two statements per answer. */
  async function perAnswer() {
    const found = (await store.getThread({ id: thread.id }))!;
    await service.members.summaries([found.thread.authorId, ...found.posts.map((p) => p.authorId)]);
    const myVotes: Record<string, 1 | -1> = {};
    const myFlags: string[] = [];
    for (const p of found.posts) {
      const vote = await store.getVote({ postId: p.id, voterId: viewer.id });
      if (vote) myVotes[p.id] = vote.value;
      if ((await store.flagsFor({ postId: p.id })).some((f) => f.memberId === viewer.id)) myFlags.push(p.id);
    }
    return { myVotes, myFlags };
  }
  const batched = () => service.getThread(thread.id, undefined, viewer);

  const check = [await perAnswer(), await batched()];
  if (JSON.stringify(check[0].myVotes) !== JSON.stringify(check[1].myVotes) || JSON.stringify(check[0].myFlags) !== JSON.stringify(check[1].myFlags)) {
    throw new Error('the two ways read different votes or flags');
  }
  const measure = { perAnswer: { times: [] as number[], statements: 0 }, batched: { times: [] as number[], statements: 0 } };
  for (let r = 0; r < RUNS; r++) {
    for (const [name, fn] of [['perAnswer', perAnswer], ['batched', batched]] as const) {
      statements = 0;
      const t0 = performance.now();
      await fn();
      measure[name].times.push(performance.now() - t0);
      measure[name].statements = statements;
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)].toFixed(1);
  console.log(`\n${machine()}\n`);
  console.log(
    table(
      ['thread view, member viewing', `statements to PostgreSQL`, `ms (median of ${RUNS})`],
      [
        [`before: vote and flags per answer (${ANSWERS} answers)`, measure.perAnswer.statements, median(measure.perAnswer.times)],
        [`now: ConsultationService.getThread (${ANSWERS} answers)`, measure.batched.statements, median(measure.batched.times)],
      ],
    ),
  );
} finally {
  await store.close().catch(() => {});
  await dropSchema(SCHEMA).catch((err: Error) => console.error(`could not drop schema ${SCHEMA}: ${err.message}`));
}
