/**
 * The behaviour every Store must have. Each implementation's test file calls runStoreContract with a
 * factory; `reopen` closes nothing itself: the suite closes the store first, then asks for a new
 * instance over the same data (same directory, same database).
 */
import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import type { AuditEntry, ChangeEvent, Flag, NewPost, NewThread, Post, VerificationRequest, Visitor, Vote } from '../../../server/domain/model.js';
import type { AuthorUpdate, Store } from '../../../server/store/store.js';
import { runOfficerSessionContract } from './contract-sessions.js';

export interface StoreFixture {
  store: Store;
  /** A fresh, opened store over the same data as `store` (which the suite has closed). */
  reopen: () => Promise<Store>;
  /** Removes the data; the suite has closed every store it opened. */
  cleanup: () => Promise<void>;
}

let counter = 0;
const unique = (prefix: string) => `${prefix}-${++counter}`;
const at = (minute: number) => new Date(Date.UTC(2025, 0, 1, 8, minute)).toISOString();

export function newThread(over: Partial<NewThread> = {}): NewThread {
  const id = unique('t');
  return {
    id,
    site: 'kanreg-1',
    title: `Kenaikan pangkat ${id}`,
    body: 'Kapan usulan kenaikan pangkat periode April diproses?',
    category: 'kenaikan-pangkat',
    authorId: 'v-ani',
    authorName: 'Ani',
    clientId: unique('c'),
    createdAt: at(0),
    lastActivityAt: at(0),
    answerCount: 0,
    ...over,
  };
}

export function newPost(threadId: string, over: Partial<NewPost> = {}): NewPost {
  return {
    id: unique('p'),
    threadId,
    site: 'kanreg-1',
    body: 'Usulan diproses setelah berkas lengkap di SIASN.',
    authorId: 'v-budi',
    authorName: 'Budi',
    clientId: unique('c'),
    createdAt: at(5),
    ...over,
  };
}

export function vote(post: Post, voterId: string, value: 1 | -1, over: Partial<Vote> = {}): Vote {
  return { postId: post.id, threadId: post.threadId, site: post.site, voterId, authorId: post.authorId, value, castAt: at(40), counts: true, ...over };
}

function visitor(over: Partial<Visitor> = {}): Visitor {
  return { id: unique('v'), name: 'Sari', createdAt: at(0), updatedAt: at(0), ...over };
}

/**
 * Writes one of every kind of trust record and returns the ids to read them back by: the shared
 * fixture for "survives reopen / crash" checks.
 */
export async function seedTrust(store: Store) {
  const officer = await store.createVisitor({ visitor: visitor({ name: 'Petugas', role: 'officer', username: 'petugas1' }) });
  const member = await store.createVisitor({ visitor: visitor({ name: 'Ani' }) });
  await store.updateMember({
    id: member.id,
    patch: { updatedAt: at(1), profile: { instansi: 'Pemkab Sleman', jabatan: 'Analis SDM', yearsExperience: 4 }, reputation: 12, activeDays: ['2025-01-01'] },
  });
  const { record: thread } = await store.createThread({ thread: newThread({ authorId: member.id }) });
  const answer = (await store.createPost({ post: newPost(thread.id, { authorId: officer.id, official: true }) }))!.record;
  const other = (await store.createPost({ post: newPost(thread.id, { authorId: 'v-budi' }) }))!.record;
  await store.putVote({ vote: vote(answer, member.id, 1) });
  await store.putVote({ vote: vote(answer, 'v-citra', 1) });
  await store.putVote({ vote: vote(other, member.id, -1) });
  await store.putVote({ vote: vote(other, 'v-dedi', 1) });
  await store.putVote({ remove: { postId: other.id, voterId: 'v-dedi', at: at(41) } });
  await store.updatePost({ id: answer.id, patch: { endorsedBy: officer.id, endorsedAt: at(42) } });
  await store.updatePost({ id: other.id, patch: { body: 'Diedit: berkas harus lengkap.', editedAt: at(43) } });
  await store.updatePost({ id: other.id, patch: { hidden: { reason: 'spam', at: at(44), status: 'pending' } } });
  await store.setAccepted({ threadId: thread.id, postId: answer.id, at: at(45) });
  await store.addFlag({ flag: { postId: other.id, memberId: member.id, reason: 'spam', weight: 1, at: at(44) } });
  await store.addFlag({ flag: { postId: answer.id, memberId: 'v-citra', reason: 'salah_informasi', weight: 2, at: at(44) } });
  await store.clearFlags({ postId: answer.id });
  const request = await store.createVerificationRequest({
    request: { id: unique('vr'), memberId: member.id, nip: '198001012005011001', instansi: 'Pemkab Sleman', jabatan: 'Analis SDM', status: 'pending', createdAt: at(46) },
  });
  await store.decideVerificationRequest({ id: request.id, status: 'approved', decidedAt: at(47), decidedBy: officer.id, decisionNote: 'NIP cocok' });
  await store.createVerificationRequest({
    request: { id: unique('vr'), memberId: 'v-budi', nip: '199001012015011002', instansi: 'BKN', jabatan: 'Pranata', status: 'pending', createdAt: at(48) },
  });
  await store.appendAudit({ entry: { id: unique('a'), at: at(47), officerId: officer.id, action: 'verification.approve', memberId: member.id, details: { requestId: request.id } } });
  await store.appendAudit({ entry: { id: unique('a'), at: at(49), officerId: officer.id, action: 'post.endorse', postId: answer.id } });
  return { officerId: officer.id, memberId: member.id, threadId: thread.id, postIds: [answer.id, other.id] };
}

/** Everything a reader could see of what seedTrust wrote. */
export async function readTrust(store: Store, seeded: Awaited<ReturnType<typeof seedTrust>>) {
  const { officerId, memberId, threadId, postIds } = seeded;
  return {
    members: await store.getMembers({ ids: [officerId, memberId] }),
    byUsername: await store.findMemberByUsername({ username: 'petugas1' }),
    activity: await store.activityOf({ memberId: officerId }),
    thread: await store.getThread({ id: threadId }),
    posts: await Promise.all(postIds.map((id) => store.getPost({ id }))),
    vote: await store.getVote({ postId: postIds[0], voterId: memberId }),
    votesFor: await store.votesFor({ authorId: officerId }),
    votesBy: await store.votesBy({ voterId: memberId }),
    votesInThreads: await store.votesInThreads({ threadIds: [threadId] }),
    allVotes: await store.allVotes(),
    flags: await Promise.all(postIds.map((postId) => store.flagsFor({ postId }))),
    hidden: await store.hiddenPosts({ status: 'pending', limit: 10 }),
    requests: await store.listVerificationRequests({ limit: 10 }),
    audit: await store.listAudit({ limit: 10 }),
    seq: await store.currentSeq({ site: 'kanreg-1' }),
    events: await store.eventsSince({ site: 'kanreg-1', afterSeq: 0, limit: 100 }),
  };
}

export interface StoreFixtureOptions {
  /** Events kept per site for eventsSince; the implementation's default when absent. */
  eventRetention?: number;
}

export function runStoreContract(name: string, makeStore: (options?: StoreFixtureOptions) => Promise<StoreFixture>): void {
  runOfficerSessionContract(name, makeStore);
  describe(`${name} store contract`, () => {
    let fixture: StoreFixture;
    let store: Store;

    beforeEach(async () => {
      fixture = await makeStore();
      store = fixture.store;
    });

    // Each test closes what it opened through `done`, so a failing assertion still cleans up.
    async function done(): Promise<void> {
      await store.close();
      await fixture.cleanup();
    }

    async function reopen(): Promise<Store> {
      await store.close();
      store = await fixture.reopen();
      return store;
    }

    describe('visitors', () => {
      it('keeps a created visitor and returns undefined for an unknown id', async (t) => {
        t.after(done);
        const v = visitor({ name: 'Ani Lestari' });
        assert.deepEqual(await store.createVisitor({ visitor: v }), v);
        assert.deepEqual(await store.getVisitor({ id: v.id }), v);
        assert.equal(await store.getVisitor({ id: 'nobody' }), undefined);
      });

      it('renames a visitor and stamps updatedAt; renaming an unknown visitor gives undefined', async (t) => {
        t.after(done);
        const v = await store.createVisitor({ visitor: visitor() });
        const renamed = await store.renameVisitor({ id: v.id, name: 'Sari Dewi', at: at(9) });
        assert.deepEqual(renamed, { ...v, name: 'Sari Dewi', updatedAt: at(9) });
        assert.deepEqual(await store.getVisitor({ id: v.id }), renamed);
        assert.equal(await store.renameVisitor({ id: 'nobody', name: 'X', at: at(9) }), undefined);
      });
    });

    describe('creating threads', () => {
      it('assigns seq 1, 2, 3 per site, independently for each site', async (t) => {
        t.after(done);
        const a1 = await store.createThread({ thread: newThread({ site: 'kanreg-1' }) });
        const b1 = await store.createThread({ thread: newThread({ site: 'kanreg-2' }) });
        const a2 = await store.createThread({ thread: newThread({ site: 'kanreg-1' }) });
        const a3 = await store.createThread({ thread: newThread({ site: 'kanreg-1' }) });
        assert.deepEqual([a1.record.seq, a2.record.seq, a3.record.seq, b1.record.seq], [1, 2, 3, 1]);
        assert.equal(await store.currentSeq({ site: 'kanreg-1' }), 3);
        assert.equal(await store.currentSeq({ site: 'kanreg-2' }), 1);
        assert.equal(await store.currentSeq({ site: 'kanreg-9' }), 0);
      });

      it('returns the created thread with its event, and getThread finds it', async (t) => {
        t.after(done);
        const input = newThread();
        const result = await store.createThread({ thread: input });
        assert.equal(result.created, true);
        assert.deepEqual(result.record, { ...input, seq: 1 });
        assert.deepEqual(result.event, { site: input.site, seq: 1, at: input.createdAt, change: { kind: 'thread.created', thread: { ...input, seq: 1 } } });
        assert.deepEqual(await store.getThread({ id: input.id }), { thread: { ...input, seq: 1 }, posts: [] });
        assert.equal(await store.getThread({ id: 'missing' }), undefined);
      });

      it('gives the original back with created:false on a retry with the same clientId, writing nothing', async (t) => {
        t.after(done);
        const first = await store.createThread({ thread: newThread({ clientId: 'retry-1' }) });
        const retry = await store.createThread({ thread: newThread({ clientId: 'retry-1', title: 'second attempt' }) });
        assert.equal(retry.created, false);
        assert.equal(retry.event, undefined);
        assert.deepEqual(retry.record, first.record);
        assert.equal(await store.currentSeq({ site: 'kanreg-1' }), 1);
        assert.deepEqual(await store.eventsSince({ site: 'kanreg-1', afterSeq: 0, limit: 10 }), [first.event]);
        assert.deepEqual(await store.findByClientId({ authorId: first.record.authorId, clientId: 'retry-1' }), { thread: first.record });
      });

      it('treats a retry that arrives while the original is still being written as the same thread', async (t) => {
        t.after(done);
        const [a, b] = await Promise.all([
          store.createThread({ thread: newThread({ clientId: 'double-click' }) }),
          store.createThread({ thread: newThread({ clientId: 'double-click' }) }),
        ]);
        assert.deepEqual([a.created, b.created], [true, false]);
        assert.deepEqual(b.record, a.record);
        assert.equal(await store.currentSeq({ site: 'kanreg-1' }), 1);
      });

      it('keys idempotency on the author: another author may use the same clientId', async (t) => {
        t.after(done);
        await store.createThread({ thread: newThread({ authorId: 'v-1', clientId: 'same' }) });
        const other = await store.createThread({ thread: newThread({ authorId: 'v-2', clientId: 'same' }) });
        assert.equal(other.created, true);
        assert.equal(await store.findByClientId({ authorId: 'v-3', clientId: 'same' }), undefined);
      });
    });

    describe('posting answers', () => {
      it('bumps the answer count and last activity, and lists posts in seq order', async (t) => {
        t.after(done);
        const { record: thread } = await store.createThread({ thread: newThread() });
        const p1 = await store.createPost({ post: newPost(thread.id, { createdAt: at(10) }) });
        const p2 = await store.createPost({ post: newPost(thread.id, { createdAt: at(20) }) });
        assert.ok(p1 && p2);
        assert.deepEqual([p1.record.seq, p2.record.seq], [2, 3]);
        assert.deepEqual(p2.event?.change, { kind: 'post.created', post: p2.record, answerCount: 2, lastActivityAt: at(20) });
        const read = await store.getThread({ id: thread.id });
        assert.equal(read?.thread.answerCount, 2);
        assert.equal(read?.thread.lastActivityAt, at(20));
        assert.deepEqual(read?.posts, [p1.record, p2.record]);
        assert.deepEqual(await store.getThreadRecord({ id: thread.id }), read?.thread);
        assert.equal(await store.getThreadRecord({ id: 'missing' }), undefined);
      });

      it('counts answers right when many are posted at once', async (t) => {
        t.after(done);
        const { record: thread } = await store.createThread({ thread: newThread() });
        const results = await Promise.all(Array.from({ length: 20 }, () => store.createPost({ post: newPost(thread.id) })));
        assert.deepEqual(results.map((r) => r?.record.seq), Array.from({ length: 20 }, (_, i) => i + 2));
        assert.deepEqual(results.map((r) => (r?.event?.change as { answerCount: number }).answerCount), Array.from({ length: 20 }, (_, i) => i + 1));
        assert.equal((await store.getThread({ id: thread.id }))?.thread.answerCount, 20);
      });

      it('resolves undefined for an unknown thread and uses no seq', async (t) => {
        t.after(done);
        assert.equal(await store.createPost({ post: newPost('no-such-thread') }), undefined);
        assert.equal(await store.currentSeq({ site: 'kanreg-1' }), 0);
      });

      it('is idempotent on (authorId, clientId)', async (t) => {
        t.after(done);
        const { record: thread } = await store.createThread({ thread: newThread() });
        const first = await store.createPost({ post: newPost(thread.id, { clientId: 'answer-1' }) });
        const retry = await store.createPost({ post: newPost(thread.id, { clientId: 'answer-1' }) });
        assert.equal(retry?.created, false);
        assert.equal(retry?.event, undefined);
        assert.deepEqual(retry?.record, first?.record);
        assert.equal((await store.getThread({ id: thread.id }))?.thread.answerCount, 1);
        assert.deepEqual(await store.findByClientId({ authorId: 'v-budi', clientId: 'answer-1' }), { post: first?.record });
      });
    });

    describe('listing threads', () => {
      async function seed(): Promise<string[]> {
        const ids: string[] = [];
        const titles = ['Cuti besar PNS', 'Gaji PPPK terlambat', 'Mutasi antar instansi', 'Cuti melahirkan PPPK', 'Pensiun dini'];
        for (const title of titles) ids.push((await store.createThread({ thread: newThread({ title, body: 'Mohon penjelasan.' }) })).record.id);
        await store.createPost({ post: newPost(ids[1]) }); // "Gaji PPPK terlambat" is answered
        await store.createThread({ thread: newThread({ site: 'kanreg-2', title: 'Cuti di situs lain' }) });
        return ids;
      }

      it('lists a site newest first, with filters for unanswered and answered', async (t) => {
        t.after(done);
        const ids = await seed();
        const all = await store.listThreads({ site: 'kanreg-1', filter: 'all', limit: 10 });
        assert.deepEqual(all.threads.map((th) => th.id), [...ids].reverse());
        assert.equal(all.nextBeforeSeq, undefined);
        const answered = await store.listThreads({ site: 'kanreg-1', filter: 'answered', limit: 10 });
        assert.deepEqual(answered.threads.map((th) => th.title), ['Gaji PPPK terlambat']);
        assert.equal(answered.threads[0].answerCount, 1);
        const unanswered = await store.listThreads({ site: 'kanreg-1', filter: 'unanswered', limit: 10 });
        assert.deepEqual(unanswered.threads.map((th) => th.title), ['Pensiun dini', 'Cuti melahirkan PPPK', 'Mutasi antar instansi', 'Cuti besar PNS']);
      });

      it('keeps threads whose title or body has every word, ignoring case', async (t) => {
        t.after(done);
        await seed();
        const pppk = await store.listThreads({ site: 'kanreg-1', filter: 'all', limit: 10, words: ['pppk'] });
        assert.deepEqual(pppk.threads.map((th) => th.title), ['Cuti melahirkan PPPK', 'Gaji PPPK terlambat']);
        const both = await store.listThreads({ site: 'kanreg-1', filter: 'all', limit: 10, words: ['CUTI', 'pppk'] });
        assert.deepEqual(both.threads.map((th) => th.title), ['Cuti melahirkan PPPK']);
        const inBody = await store.listThreads({ site: 'kanreg-1', filter: 'all', limit: 10, words: ['penjelasan'] });
        assert.equal(inBody.threads.length, 5);
        const none = await store.listThreads({ site: 'kanreg-1', filter: 'all', limit: 10, words: ['cuti', 'gaji'] });
        assert.deepEqual(none.threads, []);
      });

      it('pages with beforeSeq and says when more remain', async (t) => {
        t.after(done);
        const ids = await seed();
        const seen: string[] = [];
        let page = await store.listThreads({ site: 'kanreg-1', filter: 'all', limit: 2 });
        const pages = [page.threads.length];
        seen.push(...page.threads.map((th) => th.id));
        while (page.nextBeforeSeq !== undefined) {
          page = await store.listThreads({ site: 'kanreg-1', filter: 'all', limit: 2, beforeSeq: page.nextBeforeSeq });
          pages.push(page.threads.length);
          seen.push(...page.threads.map((th) => th.id));
        }
        assert.deepEqual(pages, [2, 2, 1]);
        assert.deepEqual(seen, [...ids].reverse());
      });

      it('gives an empty page for a site without threads', async (t) => {
        t.after(done);
        assert.deepEqual(await store.listThreads({ site: 'nowhere', filter: 'all', limit: 10 }), { threads: [] });
      });
    });

    describe('events since a seq', () => {
      it('returns the events after afterSeq in order, at most limit, and [] when up to date', async (t) => {
        t.after(done);
        const { record: thread } = await store.createThread({ thread: newThread() });
        for (let i = 0; i < 4; i++) await store.createPost({ post: newPost(thread.id) });
        const events = await store.eventsSince({ site: 'kanreg-1', afterSeq: 0, limit: 100 });
        assert.deepEqual(events?.map((e) => e.seq), [1, 2, 3, 4, 5]);
        assert.equal(events?.[0].change.kind, 'thread.created');
        assert.deepEqual((await store.eventsSince({ site: 'kanreg-1', afterSeq: 2, limit: 2 }))?.map((e) => e.seq), [3, 4]);
        assert.deepEqual(await store.eventsSince({ site: 'kanreg-1', afterSeq: 5, limit: 10 }), []);
        assert.deepEqual(await store.eventsSince({ site: 'kanreg-3', afterSeq: 0, limit: 10 }), []);
      });

      it('gives undefined once the events after afterSeq are no longer retained, also after a reopen', async (t) => {
        t.after(done);
        const small = await makeStore({ eventRetention: 3 });
        let s = small.store;
        t.after(async () => {
          await s.close();
          await small.cleanup();
        });
        const { record: thread } = await s.createThread({ thread: newThread() });
        for (let i = 0; i < 5; i++) await s.createPost({ post: newPost(thread.id) });
        // Seqs 1..6 were committed; 4, 5, 6 are retained.
        for (let round = 0; round < 2; round++) {
          assert.deepEqual((await s.eventsSince({ site: 'kanreg-1', afterSeq: 3, limit: 10 }))?.map((e) => e.seq), [4, 5, 6]);
          assert.deepEqual((await s.eventsSince({ site: 'kanreg-1', afterSeq: 4, limit: 1 }))?.map((e) => e.seq), [5]);
          assert.equal(await s.eventsSince({ site: 'kanreg-1', afterSeq: 2, limit: 10 }), undefined);
          assert.equal(await s.eventsSince({ site: 'kanreg-1', afterSeq: 0, limit: 10 }), undefined);
          assert.deepEqual(await s.eventsSince({ site: 'kanreg-1', afterSeq: 6, limit: 10 }), []);
          await s.close();
          s = await small.reopen();
        }
      });
    });

    describe('subscribers', () => {
      it('hear every event in seq order, before the commit resolves, and stop after unsubscribing', async (t) => {
        t.after(done);
        const heard: ChangeEvent[] = [];
        const unsubscribe = store.subscribe((e) => heard.push(e));
        const { record: thread, event } = await store.createThread({ thread: newThread() });
        assert.deepEqual(heard, [event], 'the listener ran before createThread resolved');
        const posts = await Promise.all(Array.from({ length: 10 }, () => store.createPost({ post: newPost(thread.id) })));
        assert.deepEqual(heard.map((e) => e.seq), Array.from({ length: 11 }, (_, i) => i + 1));
        assert.deepEqual(heard.slice(1), posts.map((p) => p?.event));
        unsubscribe();
        await store.createThread({ thread: newThread() });
        assert.equal(heard.length, 11);
      });

      it('hear nothing for an idempotent retry', async (t) => {
        t.after(done);
        await store.createThread({ thread: newThread({ clientId: 'once' }) });
        const heard: ChangeEvent[] = [];
        store.subscribe((e) => heard.push(e));
        await store.createThread({ thread: newThread({ clientId: 'once' }) });
        assert.deepEqual(heard, []);
      });
    });

    describe('members (trust fields)', () => {
      it('patches a member, keeps untouched fields, removes a field given as undefined, and persists it', async (t) => {
        t.after(done);
        const v = await store.createVisitor({ visitor: visitor({ name: 'Ani' }) });
        const verified = { instansi: 'BKN', jabatan: 'Analis', at: at(2), by: 'v-officer', requestId: 'vr-1' };
        const first = await store.updateMember({
          id: v.id,
          patch: { updatedAt: at(2), profile: { instansi: 'BKN', bidang: 'kepegawaian' }, verified, reputation: 15, stats: { questions: 1, answers: 2, helpfulAnswers: 1, acceptedAnswers: 0, endorsedAnswers: 0 } },
        });
        assert.deepEqual(first, { ...v, updatedAt: at(2), profile: { instansi: 'BKN', bidang: 'kepegawaian' }, verified, reputation: 15, stats: { questions: 1, answers: 2, helpfulAnswers: 1, acceptedAnswers: 0, endorsedAnswers: 0 } });
        const revoked = await store.updateMember({ id: v.id, patch: { updatedAt: at(3), verified: undefined, lastActiveAt: at(3), activeDays: ['2025-01-01'] } });
        assert.equal(revoked?.verified, undefined);
        assert.equal('verified' in revoked!, false, 'the field is gone, not kept as undefined');
        assert.equal(revoked?.reputation, 15);
        assert.deepEqual(revoked?.activeDays, ['2025-01-01']);
        assert.deepEqual(await store.getVisitor({ id: v.id }), revoked);
        assert.equal(await store.updateMember({ id: 'nobody', patch: { updatedAt: at(3), reputation: 5 } }), undefined);

        const reopened = await reopen();
        assert.deepEqual(await reopened.getVisitor({ id: v.id }), revoked);
      });

      it('finds an officer by username, and no longer by a username that was changed', async (t) => {
        t.after(done);
        const officer = await store.createVisitor({ visitor: visitor({ role: 'officer', username: 'siti' }) });
        await store.createVisitor({ visitor: visitor() });
        assert.deepEqual(await store.findMemberByUsername({ username: 'siti' }), officer);
        const renamed = await store.updateMember({ id: officer.id, patch: { updatedAt: at(5), username: 'siti.rahma' } });
        assert.equal(await store.findMemberByUsername({ username: 'siti' }), undefined);
        assert.deepEqual(await store.findMemberByUsername({ username: 'siti.rahma' }), renamed);
        assert.equal(await store.findMemberByUsername({ username: 'nobody' }), undefined);
        await reopen();
        assert.deepEqual(await store.findMemberByUsername({ username: 'siti.rahma' }), renamed);
        assert.equal(await store.findMemberByUsername({ username: 'siti' }), undefined);
      });

      it('gets the members that exist, skipping unknown ids, as copies', async (t) => {
        t.after(done);
        const a = await store.createVisitor({ visitor: visitor({ profile: { instansi: 'BKN' } }) });
        const b = await store.createVisitor({ visitor: visitor() });
        const got = await store.getMembers({ ids: ['nobody', a.id, b.id, 'ghost'] });
        assert.deepEqual([...got].sort((x, y) => x.id.localeCompare(y.id)), [a, b].sort((x, y) => x.id.localeCompare(y.id)));
        assert.deepEqual(await store.getMembers({ ids: [] }), []);
        got.find((m) => m.id === a.id)!.profile!.instansi = 'changed by caller';
        assert.equal((await store.getVisitor({ id: a.id }))?.profile?.instansi, 'BKN');
      });

      it('lists the threads and posts a member wrote, in seq order', async (t) => {
        t.after(done);
        const mine1 = await store.createThread({ thread: newThread({ authorId: 'v-me' }) });
        const theirs = await store.createThread({ thread: newThread({ authorId: 'v-other' }) });
        const p1 = await store.createPost({ post: newPost(theirs.record.id, { authorId: 'v-me' }) });
        await store.createPost({ post: newPost(theirs.record.id, { authorId: 'v-other' }) });
        const mine2 = await store.createThread({ thread: newThread({ authorId: 'v-me' }) });
        const p2 = await store.createPost({ post: newPost(mine1.record.id, { authorId: 'v-me' }) });
        const activity = await store.activityOf({ memberId: 'v-me' });
        assert.deepEqual(activity.threads.map((th) => th.id), [mine1.record.id, mine2.record.id]);
        assert.deepEqual(activity.posts, [p1!.record, p2!.record]);
        assert.equal(activity.threads[0].answerCount, 1, 'threads as they are now');
        assert.deepEqual(await store.activityOf({ memberId: 'v-nobody' }), { threads: [], posts: [] });
        activity.posts[0].body = 'changed by caller';
        assert.notEqual((await store.getPost({ id: p1!.record.id }))?.body, 'changed by caller');
      });
    });

    describe("the author's record, committed with the post", () => {
      const stats = (author: Visitor) => ({ questions: 0, answers: 0, helpfulAnswers: 0, acceptedAnswers: 0, endorsedAnswers: 0, ...author.stats });
      const countQuestion: AuthorUpdate = (author) => ({ updatedAt: at(30), stats: { ...stats(author), questions: stats(author).questions + 1 } });
      const countAnswer: AuthorUpdate = (author) => ({ updatedAt: at(31), stats: { ...stats(author), answers: stats(author).answers + 1 }, lastActiveAt: at(31) });

      it('applies the update with the post, worked out from the author with the writes in flight, and keeps it across reopen', async (t) => {
        t.after(done);
        const author = await store.createVisitor({ visitor: visitor({ name: 'Dewi' }) });
        const asked = await store.createThread({ thread: newThread({ authorId: author.id }), authorUpdate: countQuestion });
        assert.equal(asked.author?.stats?.questions, 1);
        const answers = await Promise.all(
          Array.from({ length: 10 }, () => store.createPost({ post: newPost(asked.record.id, { authorId: author.id }), authorUpdate: countAnswer })),
        );
        assert.deepEqual(answers.map((a) => a?.author?.stats?.answers).sort((x, y) => x! - y!), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 'each saw the ones before it');
        const stored = await store.getVisitor({ id: author.id });
        assert.deepEqual(stored?.stats, { questions: 1, answers: 10, helpfulAnswers: 0, acceptedAnswers: 0, endorsedAnswers: 0 });
        assert.equal(stored?.lastActiveAt, at(31));

        const retry = await store.createPost({ post: newPost(asked.record.id, { authorId: author.id, clientId: answers[0]!.record.clientId }), authorUpdate: countAnswer });
        assert.equal(retry?.created, false);
        assert.equal(retry?.author, undefined);
        const unchanged = await store.createPost({ post: newPost(asked.record.id, { authorId: author.id }), authorUpdate: () => undefined });
        assert.equal(unchanged?.author, undefined, 'an update with nothing to change writes nothing');
        assert.deepEqual(await store.getVisitor({ id: author.id }), stored);

        const reopened = await reopen();
        assert.deepEqual(await reopened.getVisitor({ id: author.id }), stored);
      });

      it('changes nothing when the post is not made (unknown thread) or the author is unknown', async (t) => {
        t.after(done);
        const author = await store.createVisitor({ visitor: visitor() });
        let asked = 0;
        assert.equal(await store.createPost({ post: newPost('no-such-thread', { authorId: author.id }), authorUpdate: () => (asked++, { updatedAt: at(9), reputation: 99 }) }), undefined);
        assert.equal(asked, 0);
        assert.deepEqual(await store.getVisitor({ id: author.id }), author);
        const ghost = await store.createThread({ thread: newThread({ authorId: 'v-ghost' }), authorUpdate: countQuestion });
        assert.equal(ghost.created, true);
        assert.equal(ghost.author, undefined);
        assert.equal(await store.getVisitor({ id: 'v-ghost' }), undefined);
      });
    });

    describe('votes', () => {
      async function answer(): Promise<Post> {
        const { record: thread } = await store.createThread({ thread: newThread() });
        return (await store.createPost({ post: newPost(thread.id) }))!.record;
      }

      it('adds, changes and removes a vote, keeping counts and sending one post.updated each with the next seq', async (t) => {
        t.after(done);
        const post = await answer(); // seqs 1, 2
        const heard: ChangeEvent[] = [];
        store.subscribe((e) => heard.push(e));

        const added = await store.putVote({ vote: vote(post, 'v-x', 1) });
        assert.deepEqual([added?.post.up, added?.post.down], [1, 0]);
        assert.deepEqual(added?.event, { site: 'kanreg-1', seq: 3, at: at(40), change: { kind: 'post.updated', post: added?.post } });
        assert.deepEqual(await store.getVote({ postId: post.id, voterId: 'v-x' }), vote(post, 'v-x', 1));

        const changed = await store.putVote({ vote: vote(post, 'v-x', -1, { castAt: at(41) }) });
        assert.deepEqual([changed?.post.up, changed?.post.down], [0, 1]);
        assert.equal(changed?.event.seq, 4);
        assert.equal((await store.getVote({ postId: post.id, voterId: 'v-x' }))?.value, -1);

        await store.putVote({ vote: vote(post, 'v-y', -1) });
        const removed = await store.putVote({ remove: { postId: post.id, voterId: 'v-x', at: at(42) } });
        assert.deepEqual([removed?.post.up, removed?.post.down], [0, 1]);
        assert.equal(removed?.event.seq, 6);
        assert.equal(removed?.event.at, at(42));
        assert.equal(await store.getVote({ postId: post.id, voterId: 'v-x' }), undefined);

        assert.deepEqual(heard.map((e) => [e.seq, e.change.kind]), [[3, 'post.updated'], [4, 'post.updated'], [5, 'post.updated'], [6, 'post.updated']]);
        assert.deepEqual(heard.at(-1), removed?.event);
        assert.deepEqual((await store.eventsSince({ site: 'kanreg-1', afterSeq: 2, limit: 10 }))?.map((e) => e.seq), [3, 4, 5, 6]);
        const stored = await store.getPost({ id: post.id });
        assert.deepEqual(stored, removed?.post);
        assert.deepEqual((await store.getThread({ id: post.threadId }))?.posts, [stored]);
      });

      it('keeps counts equal to the stored votes when one voter changes their vote many times at once', async (t) => {
        t.after(done);
        const post = await answer();
        const values: Array<1 | -1 | 0> = [1, -1, 1, 0, -1, -1, 0, 1, 1, -1];
        const results = await Promise.all(
          values.map((value, i) =>
            value === 0 ? store.putVote({ remove: { postId: post.id, voterId: 'v-x', at: at(i) } }) : store.putVote({ vote: vote(post, 'v-x', value, { castAt: at(i) }) }),
          ),
        );
        assert.deepEqual(results.map((r) => r?.event.seq), values.map((_, i) => i + 3));
        assert.deepEqual(results.map((r) => [r?.post.up, r?.post.down]), values.map((v) => [v === 1 ? 1 : 0, v === -1 ? 1 : 0]));
        const final = await store.getPost({ id: post.id });
        assert.deepEqual([final?.up, final?.down], [0, 1]);
        assert.equal((await store.getVote({ postId: post.id, voterId: 'v-x' }))?.value, -1);
        const reopened = await reopen();
        assert.deepEqual([(await reopened.getPost({ id: post.id }))?.up, (await reopened.getPost({ id: post.id }))?.down], [0, 1]);
      });

      it('counts many voters voting at once', async (t) => {
        t.after(done);
        const post = await answer();
        await Promise.all(Array.from({ length: 30 }, (_, i) => store.putVote({ vote: vote(post, `v-${i}`, i % 3 === 0 ? -1 : 1) })));
        const stored = await store.getPost({ id: post.id });
        assert.deepEqual([stored?.up, stored?.down], [20, 10]);
        assert.equal((await store.votesInThreads({ threadIds: [post.threadId] })).length, 30);
      });

      it('lists votes by author of the post, by voter, by thread and all of them', async (t) => {
        t.after(done);
        const { record: t1 } = await store.createThread({ thread: newThread() });
        const { record: t2 } = await store.createThread({ thread: newThread() });
        const a1 = (await store.createPost({ post: newPost(t1.id, { authorId: 'v-author' }) }))!.record;
        const a2 = (await store.createPost({ post: newPost(t2.id, { authorId: 'v-author' }) }))!.record;
        const b1 = (await store.createPost({ post: newPost(t1.id, { authorId: 'v-other' }) }))!.record;
        const votes = [vote(a1, 'v-x', 1), vote(a2, 'v-x', -1, { counts: false }), vote(b1, 'v-y', 1), vote(a1, 'v-y', 1)];
        for (const v of votes) await store.putVote({ vote: v });
        await store.putVote({ vote: vote(a2, 'v-z', 1) });
        await store.putVote({ remove: { postId: a2.id, voterId: 'v-z', at: at(50) } });
        const sorted = (list: Vote[]) => [...list].sort((x, y) => `${x.postId}/${x.voterId}`.localeCompare(`${y.postId}/${y.voterId}`));
        assert.deepEqual(sorted(await store.votesFor({ authorId: 'v-author' })), sorted([votes[0], votes[1], votes[3]]));
        assert.deepEqual(sorted(await store.votesBy({ voterId: 'v-x' })), sorted([votes[0], votes[1]]));
        assert.deepEqual(sorted(await store.votesInThreads({ threadIds: [t1.id] })), sorted([votes[0], votes[2], votes[3]]));
        assert.deepEqual(sorted(await store.votesInThreads({ threadIds: [t1.id, t2.id, t1.id, 'no-thread'] })), sorted(votes));
        assert.deepEqual(sorted(await store.allVotes()), sorted(votes));
        assert.deepEqual(await store.votesBy({ voterId: 'v-z' }), []);
        assert.deepEqual(await store.votesFor({ authorId: 'v-nobody' }), []);
        (await store.allVotes())[0].value = -1;
        assert.deepEqual(sorted(await store.allVotes()), sorted(votes), 'callers get copies');
      });

      it('resolves undefined for a vote on an unknown post and uses no seq', async (t) => {
        t.after(done);
        const post = await answer();
        assert.equal(await store.putVote({ vote: vote({ ...post, id: 'no-such-post' }, 'v-x', 1) }), undefined);
        assert.equal(await store.putVote({ remove: { postId: 'no-such-post', voterId: 'v-x', at: at(1) } }), undefined);
        assert.equal(await store.currentSeq({ site: 'kanreg-1' }), 2);
        assert.deepEqual(await store.allVotes(), []);
        assert.equal(await store.getVote({ postId: 'no-such-post', voterId: 'v-x' }), undefined);
      });
    });

    describe('updating posts and accepting answers', () => {
      it('edits, endorses and hides a post, and null clears endorsement and hidden state', async (t) => {
        t.after(done);
        const { record: thread } = await store.createThread({ thread: newThread() });
        const post = (await store.createPost({ post: newPost(thread.id) }))!.record;
        const heard: ChangeEvent[] = [];
        store.subscribe((e) => heard.push(e));

        const edited = await store.updatePost({ id: post.id, patch: { body: 'Jawaban yang diperbaiki.', editedAt: at(30) } });
        assert.deepEqual(edited?.post, { ...post, body: 'Jawaban yang diperbaiki.', editedAt: at(30) });
        assert.deepEqual(edited?.event, { site: 'kanreg-1', seq: 3, at: at(30), change: { kind: 'post.updated', post: edited?.post } });

        const endorsed = await store.updatePost({ id: post.id, patch: { endorsedBy: 'v-officer', endorsedAt: at(31) } });
        assert.deepEqual(endorsed?.post, { ...edited?.post, endorsedBy: 'v-officer', endorsedAt: at(31) });
        const unendorsed = await store.updatePost({ id: post.id, patch: { endorsedBy: null, endorsedAt: null } });
        assert.deepEqual(unendorsed?.post, edited?.post);

        const hidden = { reason: 'spam' as const, at: at(33), status: 'pending' as const };
        const hid = await store.updatePost({ id: post.id, patch: { hidden } });
        assert.deepEqual(hid?.post.hidden, hidden);
        assert.deepEqual(await store.hiddenPosts({ status: 'pending', limit: 10 }), [hid?.post]);
        const removed = await store.updatePost({ id: post.id, patch: { hidden: { ...hidden, status: 'removed', by: 'v-officer' } } });
        assert.deepEqual(await store.hiddenPosts({ status: 'pending', limit: 10 }), []);
        assert.deepEqual(await store.hiddenPosts({ status: 'removed', limit: 10 }), [removed?.post]);
        const restored = await store.updatePost({ id: post.id, patch: { hidden: null } });
        assert.deepEqual(restored?.post, edited?.post);
        assert.deepEqual(await store.hiddenPosts({ status: 'removed', limit: 10 }), []);

        assert.deepEqual(heard.map((e) => e.seq), [3, 4, 5, 6, 7, 8]);
        assert.deepEqual(heard.map((e) => e.change.kind), Array(6).fill('post.updated'));
        assert.deepEqual(await store.getPost({ id: post.id }), restored?.post);
        assert.deepEqual((await store.getThread({ id: thread.id }))?.posts, [restored?.post]);
        assert.deepEqual((await store.findByClientId({ authorId: post.authorId, clientId: post.clientId }))?.post, restored?.post);
        const created = (await store.eventsSince({ site: 'kanreg-1', afterSeq: 1, limit: 1 }))?.[0];
        assert.deepEqual(created?.change, { kind: 'post.created', post, answerCount: 1, lastActivityAt: post.createdAt }, 'earlier events stay as they were');
      });

      it('resolves undefined for an unknown post or thread, using no seq', async (t) => {
        t.after(done);
        const { record: thread } = await store.createThread({ thread: newThread() });
        assert.equal(await store.getPost({ id: 'missing' }), undefined);
        assert.equal(await store.updatePost({ id: 'missing', patch: { body: 'x', editedAt: at(1) } }), undefined);
        assert.equal(await store.setAccepted({ threadId: 'missing', postId: null, at: at(1) }), undefined);
        assert.equal(await store.setAccepted({ threadId: thread.id, postId: 'missing', at: at(1) }), undefined);
        const { record: other } = await store.createThread({ thread: newThread() });
        const elsewhere = (await store.createPost({ post: newPost(other.id) }))!.record;
        assert.equal(await store.setAccepted({ threadId: thread.id, postId: elsewhere.id, at: at(1) }), undefined, 'an answer of another thread');
        assert.equal(await store.currentSeq({ site: 'kanreg-1' }), 3);
      });

      it('sets, changes and clears the accepted answer as thread.updated changes', async (t) => {
        t.after(done);
        const { record: thread } = await store.createThread({ thread: newThread() });
        const p1 = (await store.createPost({ post: newPost(thread.id, { createdAt: at(10) }) }))!.record;
        const p2 = (await store.createPost({ post: newPost(thread.id, { createdAt: at(11) }) }))!.record;
        const before = (await store.getThreadRecord({ id: thread.id }))!;

        const first = await store.setAccepted({ threadId: thread.id, postId: p1.id, at: at(20) });
        assert.deepEqual(first?.thread, { ...before, acceptedPostId: p1.id, acceptedAt: at(20) });
        assert.deepEqual(first?.event, { site: 'kanreg-1', seq: 4, at: at(20), change: { kind: 'thread.updated', thread: first?.thread } });
        const second = await store.setAccepted({ threadId: thread.id, postId: p2.id, at: at(21) });
        assert.deepEqual(second?.thread, { ...before, acceptedPostId: p2.id, acceptedAt: at(21) });
        assert.equal(second?.event.seq, 5);
        const cleared = await store.setAccepted({ threadId: thread.id, postId: null, at: at(22) });
        assert.deepEqual(cleared?.thread, before);
        assert.equal(cleared?.event.seq, 6);
        assert.deepEqual(await store.getThreadRecord({ id: thread.id }), before);

        await store.setAccepted({ threadId: thread.id, postId: p2.id, at: at(23) });
        const p3 = await store.createPost({ post: newPost(thread.id, { createdAt: at(24) }) });
        const read = await store.getThread({ id: thread.id });
        assert.deepEqual(read?.thread, { ...before, answerCount: 3, lastActivityAt: at(24), acceptedPostId: p2.id, acceptedAt: at(23) });
        assert.equal(read?.posts.length, 3);
        assert.equal(p3?.record.seq, 8);
        const listed = await store.listThreads({ site: 'kanreg-1', filter: 'all', limit: 1 });
        assert.deepEqual(listed.threads, [read?.thread]);
      });

      it('keeps accepting and answering consistent when they are in flight together', async (t) => {
        t.after(done);
        const { record: thread } = await store.createThread({ thread: newThread() });
        const p1 = (await store.createPost({ post: newPost(thread.id) }))!.record;
        const [, accepted, , edited] = await Promise.all([
          store.createPost({ post: newPost(thread.id, { createdAt: at(30) }) }),
          store.setAccepted({ threadId: thread.id, postId: p1.id, at: at(31) }),
          store.putVote({ vote: vote(p1, 'v-x', 1) }),
          store.updatePost({ id: p1.id, patch: { endorsedBy: 'v-officer', endorsedAt: at(32) } }),
        ]);
        assert.equal(accepted?.thread.answerCount, 2, 'the accepted thread includes the answer queued before it');
        assert.equal(edited?.post.up, 1, 'the edit includes the vote queued before it');
        const read = await store.getThread({ id: thread.id });
        assert.deepEqual([read?.thread.answerCount, read?.thread.acceptedPostId], [2, p1.id]);
        assert.deepEqual(read?.posts[0], edited?.post);
        assert.equal(await store.currentSeq({ site: 'kanreg-1' }), 6);
      });
    });

    describe('flags', () => {
      async function answer(): Promise<Post> {
        const { record: thread } = await store.createThread({ thread: newThread() });
        return (await store.createPost({ post: newPost(thread.id) }))!.record;
      }
      const flag = (postId: string, memberId: string, over: Partial<Flag> = {}): Flag => ({ postId, memberId, reason: 'spam', weight: 1, at: at(50), ...over });

      it('keeps one flag per member and post, and returns all the post\'s flags', async (t) => {
        t.after(done);
        const post = await answer();
        assert.deepEqual(await store.addFlag({ flag: flag(post.id, 'v-a') }), [flag(post.id, 'v-a')]);
        assert.deepEqual(await store.addFlag({ flag: flag(post.id, 'v-a', { reason: 'tidak_pantas', at: at(51) }) }), [flag(post.id, 'v-a')]);
        const both = await store.addFlag({ flag: flag(post.id, 'v-b', { weight: 3 }) });
        assert.deepEqual(both, [flag(post.id, 'v-a'), flag(post.id, 'v-b', { weight: 3 })]);
        assert.deepEqual(await store.flagsFor({ postId: post.id }), both);
        assert.deepEqual(await store.flagsFor({ postId: 'other' }), []);
        assert.equal(await store.currentSeq({ site: 'kanreg-1' }), 2, 'flags are not sequenced changes');
      });

      it('keeps one flag when the same member flags twice at once', async (t) => {
        t.after(done);
        const post = await answer();
        const [a, b] = await Promise.all([store.addFlag({ flag: flag(post.id, 'v-a') }), store.addFlag({ flag: flag(post.id, 'v-a', { at: at(51) }) })]);
        assert.deepEqual(a, [flag(post.id, 'v-a')]);
        assert.deepEqual(b, [flag(post.id, 'v-a')]);
      });

      it('clears every flag of a post, after which the post can be flagged again', async (t) => {
        t.after(done);
        const post = await answer();
        const other = await answer();
        await store.addFlag({ flag: flag(post.id, 'v-a') });
        await store.addFlag({ flag: flag(post.id, 'v-b') });
        await store.addFlag({ flag: flag(other.id, 'v-a') });
        await store.clearFlags({ postId: post.id });
        assert.deepEqual(await store.flagsFor({ postId: post.id }), []);
        assert.deepEqual(await store.flagsFor({ postId: other.id }), [flag(other.id, 'v-a')]);
        await store.clearFlags({ postId: post.id });
        assert.deepEqual(await store.addFlag({ flag: flag(post.id, 'v-a', { at: at(55) }) }), [flag(post.id, 'v-a', { at: at(55) })]);
        await reopen();
        assert.deepEqual(await store.flagsFor({ postId: post.id }), [flag(post.id, 'v-a', { at: at(55) })]);
        assert.deepEqual(await store.flagsFor({ postId: other.id }), [flag(other.id, 'v-a')]);
      });

      it('lists hidden posts by status, most recently hidden first, at most limit', async (t) => {
        t.after(done);
        const posts = [await answer(), await answer(), await answer(), await answer()];
        const hide = (i: number, minute: number, status: 'pending' | 'removed') =>
          store.updatePost({ id: posts[i].id, patch: { hidden: { reason: 'spam', at: at(minute), status } } });
        await hide(0, 10, 'pending');
        await hide(1, 30, 'pending');
        await hide(2, 20, 'pending');
        await hide(3, 15, 'removed');
        const ids = async (status: 'pending' | 'removed', limit: number) => (await store.hiddenPosts({ status, limit })).map((p) => p.id);
        assert.deepEqual(await ids('pending', 10), [posts[1].id, posts[2].id, posts[0].id]);
        assert.deepEqual(await ids('pending', 2), [posts[1].id, posts[2].id]);
        assert.deepEqual(await ids('removed', 10), [posts[3].id]);
        await hide(1, 40, 'removed');
        assert.deepEqual(await ids('pending', 10), [posts[2].id, posts[0].id]);
        assert.deepEqual(await ids('removed', 10), [posts[1].id, posts[3].id]);
        await reopen();
        assert.deepEqual(await ids('pending', 10), [posts[2].id, posts[0].id]);
        assert.deepEqual(await ids('removed', 10), [posts[1].id, posts[3].id]);
      });
    });

    describe('verification requests', () => {
      const request = (memberId: string, minute: number): VerificationRequest => ({
        id: unique('vr'),
        memberId,
        nip: '198001012005011001',
        instansi: 'Pemkab Bantul',
        jabatan: 'Analis Kepegawaian',
        status: 'pending',
        createdAt: at(minute),
      });

      it('creates, decides and lists requests newest first, by status and by member', async (t) => {
        t.after(done);
        const r1 = await store.createVerificationRequest({ request: request('v-a', 1) });
        const r2 = await store.createVerificationRequest({ request: { ...request('v-b', 2), note: 'SK terlampir' } });
        const r3 = await store.createVerificationRequest({ request: request('v-a', 3) });
        assert.deepEqual(r2.note, 'SK terlampir');

        const approved = await store.decideVerificationRequest({ id: r1.id, status: 'approved', decidedAt: at(5), decidedBy: 'v-officer', decisionNote: 'cocok' });
        assert.deepEqual(approved, { ...r1, status: 'approved', decidedAt: at(5), decidedBy: 'v-officer', decisionNote: 'cocok' });
        const rejected = await store.decideVerificationRequest({ id: r3.id, status: 'rejected', decidedAt: at(6), decidedBy: 'v-officer' });
        assert.deepEqual(rejected, { ...r3, status: 'rejected', decidedAt: at(6), decidedBy: 'v-officer' });
        assert.deepEqual(await store.getVerificationRequest({ id: r1.id }), approved);
        assert.deepEqual(await store.getVerificationRequest({ id: r2.id }), r2);
        assert.equal(await store.getVerificationRequest({ id: 'missing' }), undefined);
        assert.equal(await store.decideVerificationRequest({ id: 'missing', status: 'approved', decidedAt: at(6), decidedBy: 'v-officer' }), undefined);

        const ids = async (req: { status?: VerificationRequest['status']; memberId?: string; limit: number }) =>
          (await store.listVerificationRequests(req)).map((r) => r.id);
        assert.deepEqual(await ids({ limit: 10 }), [r3.id, r2.id, r1.id]);
        assert.deepEqual(await ids({ limit: 2 }), [r3.id, r2.id]);
        assert.deepEqual(await ids({ status: 'pending', limit: 10 }), [r2.id]);
        assert.deepEqual(await ids({ status: 'approved', limit: 10 }), [r1.id]);
        assert.deepEqual(await ids({ memberId: 'v-a', limit: 10 }), [r3.id, r1.id]);
        assert.deepEqual(await ids({ memberId: 'v-a', status: 'rejected', limit: 10 }), [r3.id]);
        assert.deepEqual(await ids({ memberId: 'v-none', limit: 10 }), []);
        assert.deepEqual(await store.listVerificationRequests({ status: 'approved', limit: 10 }), [approved]);

        await reopen();
        assert.deepEqual(await ids({ limit: 10 }), [r3.id, r2.id, r1.id]);
        assert.deepEqual(await store.listVerificationRequests({ memberId: 'v-a', limit: 10 }), [rejected, approved]);
      });
    });

    describe('audit log', () => {
      it('lists entries newest first, at most limit, optionally for one member', async (t) => {
        t.after(done);
        const entries: AuditEntry[] = [
          { id: 'a1', at: at(1), officerId: 'v-o', action: 'verification.approve', memberId: 'v-a', details: { requestId: 'vr-1' } },
          { id: 'a2', at: at(2), officerId: 'v-o', action: 'post.remove', postId: 'p-1' },
          { id: 'a3', at: at(3), officerId: 'v-o', action: 'verification.revoke', memberId: 'v-a' },
          { id: 'a4', at: at(4), officerId: 'v-o', action: 'votes.reverse', memberId: 'v-b', details: { votes: 3, reason: 'sockpuppets' } },
        ];
        for (const entry of entries) await store.appendAudit({ entry });
        assert.deepEqual(await store.listAudit({ limit: 10 }), [...entries].reverse());
        assert.deepEqual((await store.listAudit({ limit: 2 })).map((e) => e.id), ['a4', 'a3']);
        assert.deepEqual((await store.listAudit({ memberId: 'v-a', limit: 10 })).map((e) => e.id), ['a3', 'a1']);
        assert.deepEqual(await store.listAudit({ memberId: 'v-z', limit: 10 }), []);
        (await store.listAudit({ limit: 1 }))[0].details!.votes = 99;
        assert.deepEqual((await store.listAudit({ limit: 1 }))[0], entries[3], 'callers get copies');
        await reopen();
        assert.deepEqual(await store.listAudit({ limit: 10 }), [...entries].reverse());
      });
    });

    describe('closing', () => {
      it('waits for queued writes, then refuses new ones', async (t) => {
        t.after(done);
        const { record: thread } = await store.createThread({ thread: newThread() });
        const writes = Array.from({ length: 10 }, () => store.createPost({ post: newPost(thread.id) }));
        await store.close();
        const results = await Promise.all(writes);
        assert.ok(results.every((r) => r?.created));
        await assert.rejects(store.createThread({ thread: newThread() }));
        await assert.rejects(store.createVisitor({ visitor: visitor() }));
      });

      it('keeps everything across close and reopen', async (t) => {
        t.after(done);
        const v = await store.createVisitor({ visitor: visitor() });
        await store.renameVisitor({ id: v.id, name: 'Renamed', at: at(30) });
        const { record: thread } = await store.createThread({ thread: newThread({ clientId: 'persist' }) });
        const post = await store.createPost({ post: newPost(thread.id, { clientId: 'persist-answer' }) });
        await store.createThread({ thread: newThread({ site: 'kanreg-2' }) });
        const before = {
          visitor: await store.getVisitor({ id: v.id }),
          thread: await store.getThread({ id: thread.id }),
          list: await store.listThreads({ site: 'kanreg-1', filter: 'all', limit: 10 }),
          events: await store.eventsSince({ site: 'kanreg-1', afterSeq: 0, limit: 10 }),
        };

        const reopened = await reopen();
        assert.deepEqual(await reopened.getVisitor({ id: v.id }), before.visitor);
        assert.equal(before.visitor?.name, 'Renamed');
        assert.deepEqual(await reopened.getThread({ id: thread.id }), before.thread);
        assert.deepEqual(await reopened.listThreads({ site: 'kanreg-1', filter: 'all', limit: 10 }), before.list);
        assert.deepEqual(await reopened.eventsSince({ site: 'kanreg-1', afterSeq: 0, limit: 10 }), before.events);
        assert.equal(await reopened.currentSeq({ site: 'kanreg-2' }), 1);

        const retry = await reopened.createPost({ post: newPost(thread.id, { clientId: 'persist-answer' }) });
        assert.deepEqual(retry, { record: post?.record, created: false });
        const next = await reopened.createThread({ thread: newThread() });
        assert.equal(next.record.seq, 3, 'seq continues where it stopped');
      });

      it('keeps every trust record across close and reopen, and counts votes on from the stored ones', async (t) => {
        t.after(done);
        const seeded = await seedTrust(store);
        const before = await readTrust(store, seeded);
        assert.deepEqual(before.posts.map((p) => [p?.up, p?.down]), [[2, 0], [0, 1]]);
        assert.equal(before.thread?.thread.acceptedPostId, seeded.postIds[0]);
        assert.equal(before.byUsername?.id, seeded.officerId);
        assert.equal(before.requests.length, 2);

        const reopened = await reopen();
        assert.deepEqual(await readTrust(reopened, seeded), before);
        const changed = await reopened.putVote({ vote: vote(before.posts[0]!, seeded.memberId, -1) });
        assert.deepEqual([changed?.post.up, changed?.post.down], [1, 1]);
        assert.equal(changed?.event.seq, before.seq + 1);
      });
    });
  });
}
