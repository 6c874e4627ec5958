import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Post, Thread, Visitor, Vote } from '../../../server/domain/model.js';
import {
  activityStrip,
  computeReputation,
  countedAcceptances,
  DEFAULT_TRUST_RULES as R,
  levelOf,
  memberFacts,
  memberSummary,
  orderAnswers,
  touchActivity,
  voteCounts,
  voteLocked,
  wibDay,
  type AskerFacts,
} from '../../../server/domain/trust.js';
import type { PostView } from '../../../server/protocol.js';

const T0 = Date.parse('2026-11-20T03:00:00Z'); // 10:00 WIB
const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();
const DAY = 24 * 60;
const rep = (facts: Partial<Parameters<typeof computeReputation>[0]>) =>
  computeReputation({ votes: [], accepted: [], endorsed: [], questionsHelped: [], ...facts }, R.reputation).reputation;
const member = (extra: Partial<Visitor> = {}): Visitor => ({ id: 'm1', name: 'Sari', createdAt: at(-100 * DAY), updatedAt: at(0), ...extra });

describe('reputation', () => {
  it('starts at 1 and adds +10 per helpful vote, -2 per unhelpful vote', () => {
    assert.equal(rep({}), 1);
    assert.equal(rep({ votes: [{ value: 1, at: at(0) }, { value: 1, at: at(1) }, { value: -1, at: at(2) }] }), 1 + 20 - 2);
  });

  it('adds +15 for an accepted answer, +25 for an endorsement and +2 for a question that got a helpful answer', () => {
    assert.equal(rep({ accepted: [at(0)] }), 16);
    assert.equal(rep({ endorsed: [at(0)] }), 26);
    assert.equal(rep({ questionsHelped: [at(0)] }), 3);
  });

  it('caps reputation from votes and acceptances at 200 per WIB day, but not endorsement', () => {
    const votes = Array.from({ length: 30 }, (_, i) => ({ value: 1 as const, at: at(i) }));
    assert.equal(rep({ votes }), 1 + 200);
    assert.equal(rep({ votes, accepted: [at(5)], endorsed: [at(6)] }), 1 + 200 + 25);
    assert.equal(rep({ votes, accepted: [at(DAY + 5)] }), 1 + 200 + 15, 'another day');
    const twoDays = [...votes, ...votes.map((v) => ({ ...v, at: at(DAY + 1) }))];
    assert.equal(rep({ votes: twoDays }), 1 + 400);
    const r = computeReputation({ votes, accepted: [], endorsed: [], questionsHelped: [] }, R.reputation);
    assert.equal(r.capped, 100);
  });

  it('splits days at midnight WIB, not UTC', () => {
    assert.equal(wibDay('2026-11-20T16:59:00Z'), '2026-11-20');
    assert.equal(wibDay('2026-11-20T17:00:00Z'), '2026-11-21');
  });

  it('never falls below 1', () => {
    assert.equal(rep({ votes: Array.from({ length: 10 }, (_, i) => ({ value: -1 as const, at: at(i) })) }), 1);
  });
});

describe('facts from stored records', () => {
  const thread = (id: string, authorId: string, extra: Partial<Thread> = {}): Thread => ({
    id, site: 's', seq: 1, title: 't', body: 'b', category: 'c', authorId, authorName: 'x', clientId: `c-${id}`,
    createdAt: at(0), lastActivityAt: at(0), answerCount: 1, ...extra,
  });
  const post = (id: string, threadId: string, extra: Partial<Post> = {}): Post => ({
    id, threadId, site: 's', seq: 2, body: 'b', authorId: 'm1', authorName: 'Sari', clientId: `c-${id}`, createdAt: at(0), ...extra,
  });
  const vote = (postId: string, value: 1 | -1, counts = true, extra: Partial<Vote> = {}): Vote => ({
    postId, threadId: 't1', site: 's', voterId: `v-${Math.random()}`, authorId: 'm1', value, castAt: at(1), counts, ...extra,
  });

  it('counts only votes from participating voters, but the answer still shows them', () => {
    const { facts, stats } = memberFacts({
      memberId: 'm1', threads: [], posts: [post('p1', 't1', { up: 2 })], answerThreads: new Map([['t1', thread('t1', 'asker')]]),
      votesReceived: [vote('p1', 1), vote('p1', 1, false)], votesInOwnThreads: [], rules: R,
    });
    assert.equal(facts.votes.length, 1);
    assert.equal(stats.helpfulAnswers, 1);
  });

  const asker = (extra: Partial<AskerFacts> = {}): AskerFacts => ({ createdAt: at(-2 * DAY), officer: false, postTimes: [at(-DAY)], ...extra });

  it('gives acceptance only when someone else accepted', () => {
    const mine = thread('t2', 'm1', { acceptedPostId: 'p2', acceptedAt: at(3) });
    const theirs = thread('t1', 'asker', { acceptedPostId: 'p1', acceptedAt: at(2) });
    const { facts, stats } = memberFacts({
      memberId: 'm1', threads: [mine], posts: [post('p1', 't1'), post('p2', 't2')],
      answerThreads: new Map([['t1', theirs], ['t2', mine]]), askers: new Map([['asker', asker()]]), votesReceived: [], votesInOwnThreads: [], rules: R,
    });
    assert.deepEqual(facts.accepted, [at(2)]);
    assert.equal(stats.acceptedAnswers, 1);
  });

  it('counts an acceptance only if the asker was a day old and had posted when accepting, like a vote', () => {
    const accepted = [{ askerId: 'a', at: at(0), threadId: 't1' }];
    assert.deepEqual(countedAcceptances(accepted, new Map([['a', asker()]]), R), [at(0)]);
    assert.deepEqual(countedAcceptances(accepted, new Map([['a', asker({ createdAt: at(-60) })]]), R), [], 'an hour-old asker');
    assert.deepEqual(countedAcceptances(accepted, new Map([['a', asker({ postTimes: [at(5)] })]]), R), [], 'posted only afterwards');
    assert.deepEqual(countedAcceptances(accepted, new Map([['a', asker({ createdAt: at(-1), postTimes: [], officer: true })]]), R), [at(0)], 'officers count');
    assert.deepEqual(countedAcceptances(accepted, new Map(), R), [], 'unknown asker');
  });

  it('counts one asker → answerer pair at most maxPerPair times within pairDays, whatever the read order', () => {
    const times = [0, 1, 2, 3, 4].map((d) => at(d * DAY));
    const accepted = times.map((t, i) => ({ askerId: 'a', at: t, threadId: `t${i}` })).reverse();
    const askers = new Map([['a', asker()], ['b', asker()]]);
    assert.deepEqual(countedAcceptances(accepted, askers, R), times.slice(0, 3));
    const later = { askerId: 'a', at: at(30 * DAY + 1), threadId: 't9' };
    assert.deepEqual(countedAcceptances([...accepted, later], askers, R), [...times.slice(0, 3), later.at]);
    assert.deepEqual(countedAcceptances([...accepted, { askerId: 'b', at: at(5), threadId: 'tb' }], askers, R).length, 4);
    const strict = { ...R, acceptance: { maxPerPair: 1, pairDays: 7 } };
    assert.deepEqual(countedAcceptances(accepted, askers, strict), [times[0]]);
  });

  it('gives the asker +2 once per question that got a counted helpful vote on another member', () => {
    const mine = thread('t1', 'm1');
    const { facts } = memberFacts({
      memberId: 'm1', threads: [mine], posts: [], answerThreads: new Map(),
      votesReceived: [],
      votesInOwnThreads: [
        vote('p9', 1, true, { authorId: 'other', castAt: at(5) }),
        vote('p9', 1, true, { authorId: 'other', castAt: at(4) }),
        vote('p8', 1, false, { authorId: 'other', castAt: at(1) }),
      ],
      rules: R,
    });
    assert.deepEqual(facts.questionsHelped, [at(4)]);
  });

  it('ignores removed answers', () => {
    const { facts } = memberFacts({
      memberId: 'm1', threads: [], posts: [post('p1', 't1', { endorsedAt: at(1), hidden: { reason: 'spam', at: at(2), status: 'removed' } })],
      answerThreads: new Map(), votesReceived: [vote('p1', 1)], votesInOwnThreads: [], rules: R,
    });
    assert.deepEqual(facts, { votes: [], accepted: [], endorsed: [], questionsHelped: [] });
  });
});

describe('levels', () => {
  const now = T0;
  const stats = (posts: number) => ({ questions: 0, answers: posts, helpfulAnswers: 0, acceptedAnswers: 0, endorsedAnswers: 0 });
  it('rise with reputation and participation', () => {
    assert.equal(levelOf(member(), now, R), 'baru');
    assert.equal(levelOf(member({ reputation: 20, stats: stats(1) }), now, R), 'baru', 'reputation alone is not enough');
    assert.equal(levelOf(member({ reputation: 20, stats: stats(2) }), now, R), 'anggota');
    assert.equal(levelOf(member({ reputation: 150, stats: stats(12) }), now, R), 'aktif');
    assert.equal(levelOf(member({ reputation: 600, stats: stats(40), lastActiveAt: at(-DAY) }), now, R), 'terpercaya');
  });

  it('drop from the top level after the grace period without activity', () => {
    const top = member({ reputation: 600, stats: stats(40) });
    assert.equal(levelOf({ ...top, lastActiveAt: at(-59 * DAY) }, now, R), 'terpercaya');
    assert.equal(levelOf({ ...top, lastActiveAt: at(-61 * DAY) }, now, R), 'aktif');
  });

  it('show in the summary with badges from the server only', () => {
    const s = memberSummary(member({ role: 'officer', verified: { instansi: 'BKD Kab. Sleman', jabatan: 'Analis Kepegawaian', at: at(0), by: 'o', requestId: 'r' } }), now, R);
    assert.equal(s.officer, true);
    assert.deepEqual(s.verified, { instansi: 'BKD Kab. Sleman', jabatan: 'Analis Kepegawaian', at: at(0) });
    assert.equal(s.reputation, 1);
  });
});

describe('votes', () => {
  const post: Post = { id: 'p', threadId: 't', site: 's', seq: 1, body: 'b', authorId: 'a', authorName: 'A', clientId: 'c', createdAt: at(0) };
  const vote: Vote = { postId: 'p', threadId: 't', site: 's', voterId: 'v', authorId: 'a', value: 1, castAt: at(10), counts: true };

  it('lock 5 minutes after they are cast', () => {
    assert.equal(voteLocked(vote, post, T0 + 14 * 60_000, R), false);
    assert.equal(voteLocked(vote, post, T0 + 15 * 60_000, R), true);
  });

  it('unlock when the answer was edited after the vote', () => {
    assert.equal(voteLocked(vote, { ...post, editedAt: at(12) }, T0 + 60 * 60_000, R), false);
    assert.equal(voteLocked(vote, { ...post, editedAt: at(9) }, T0 + 60 * 60_000, R), true);
  });

  it('count only from members with some participation and a day of age', () => {
    const posts = (n: number) => ({ questions: n, answers: 0, helpfulAnswers: 0, acceptedAnswers: 0, endorsedAnswers: 0 });
    assert.equal(voteCounts(member({ stats: posts(1) }), T0, R), true);
    assert.equal(voteCounts(member({ stats: posts(0) }), T0, R), false);
    assert.equal(voteCounts(member({ stats: posts(3), createdAt: at(-60) }), T0, R), false);
  });
});

describe('answer order', () => {
  const p = (id: string, seq: number, extra: Partial<PostView> = {}): PostView => ({
    id, threadId: 't', site: 's', seq, body: '', authorId: 'a', authorName: 'A', clientId: id, createdAt: at(seq),
    official: false, up: 0, down: 0, score: 0, ...extra,
  });
  it('puts endorsed and official first, then accepted, then score, then time; hidden last', () => {
    const ordered = orderAnswers(
      [p('old', 1), p('hidden', 2, { hidden: { reason: 'spam', status: 'pending' }, score: 9 }), p('top', 3, { score: 5 }), p('acc', 4),
        p('end', 5, { endorsed: { at: at(1), by: 'x' } }), p('off', 6, { official: true }), p('new', 7)],
      'acc',
    );
    assert.deepEqual(ordered.map((x) => x.id), ['end', 'off', 'acc', 'top', 'old', 'new', 'hidden']);
  });
});

describe('activity', () => {
  it('keeps at most the last 100 WIB days and writes at most once an hour', () => {
    const old = Array.from({ length: 120 }, (_, i) => wibDay(T0 - (120 - i) * 86_400_000));
    const patch = touchActivity(member({ activeDays: old, lastActiveAt: at(-DAY) }), T0)!;
    assert.equal(patch.activeDays!.length, 100);
    assert.equal(patch.activeDays!.at(-1), wibDay(T0));
    assert.equal(touchActivity(member({ activeDays: patch.activeDays, lastActiveAt: at(-30) }), T0), undefined);
    const strip = activityStrip(patch.activeDays, T0);
    assert.equal(strip.length, 100);
    assert.equal(strip.filter(Boolean).length, 100);
  });
});
