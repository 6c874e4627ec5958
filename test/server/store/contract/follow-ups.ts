/**
 * The officers' follow-up queue (docs/FOLLOW-UP.md): numbered opening, compare-and-set updates, SLA states,
 * the queue query, counts, the active set, and officers' notifications.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { queueDueAt, type FollowUp, type NewFollowUp, type OfficerNotification } from '../../../../server/domain/follow-up/model.js';
import type { ChangeEvent, Thread } from '../../../../server/domain/model.js';
import type { FollowUpQuery } from '../../../../server/store/store.js';
import type { ContractContext } from './context.js';
import { at, newThread, unique } from './fixtures.js';

/** An instant `hours` after 2025-01-06 00:00 UTC: the due times the queue sorts by. */
const hour = (hours: number) => new Date(Date.UTC(2025, 0, 6) + hours * 3_600_000).toISOString();
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

/** A follow-up as the domain hands it to openFollowUp (lifecycle.ts openFollowUp, without the number). */
export function newFollowUp(thread: Thread, over: Partial<NewFollowUp> = {}): NewFollowUp {
  return {
    threadId: thread.id,
    site: thread.site,
    category: thread.category,
    status: 'baru',
    reason: 'asker_request',
    createdAt: at(10),
    updatedAt: at(10),
    firstResponseMinutes: 240,
    resolutionMinutes: 2400,
    firstResponseDue: hour(4),
    resolutionDue: hour(40),
    autoCloseWorkingDays: 10,
    pausedWorkingMinutes: 0,
    slaState: 'ok',
    version: 1,
    history: [{ at: at(10), from: null, to: 'baru', cause: 'opened' }],
    ...over,
  };
}

function notification(officerId: string, minute: number, over: Partial<OfficerNotification> = {}): OfficerNotification {
  return {
    id: unique('n'),
    officerId,
    at: at(minute),
    kind: 'sla_breached',
    threadId: 't-x',
    tracking: 'KR1-2025-000001',
    site: 'kanreg-1',
    target: 'first_response',
    read: false,
    ...over,
  };
}

export function followUpsContract(c: ContractContext): void {
  const thread = async (over: Partial<Thread> = {}) => (await c.store.createThread({ thread: newThread(over) })).record;
  const open = async (t: Thread, over: Partial<NewFollowUp> = {}, prefix = 'KR1', year = 2025) => {
    const opened = await c.store.openFollowUp({ followUp: newFollowUp(t, over), prefix, year });
    assert.ok(opened, `thread ${t.id} exists`);
    return opened;
  };
  /** A status change as the domain makes it: version + 1, history appended. */
  const moved = (f: FollowUp, to: FollowUp['status'], minute: number, over: Partial<FollowUp> = {}): FollowUp => ({
    ...f,
    status: to,
    updatedAt: at(minute),
    version: f.version + 1,
    history: [...f.history, { at: at(minute), from: f.status, to, cause: 'officer', by: 'officer-a' }],
    ...over,
  });

  describe('opening follow-ups', () => {
    it('numbers them PREFIX-YYYY-NNNNNN from 000001 per prefix and year, and sets the thread’s follow-up as one sequenced thread.updated', async (t) => {
      t.after(c.done);
      const [t1, t2, t3] = [await thread(), await thread(), await thread()];
      const t4 = await thread({ site: 'kanreg-2' });
      const heard: ChangeEvent[] = [];
      c.store.subscribe((e) => heard.push(e));

      const first = await open(t1);
      assert.equal(first.created, true);
      assert.deepEqual(first.followUp, { ...newFollowUp(t1), tracking: 'KR1-2025-000001' });
      const threadNow: Thread = { ...t1, followUp: { tracking: 'KR1-2025-000001', status: 'baru' } };
      assert.deepEqual(first.event, { site: 'kanreg-1', seq: 4, at: first.followUp.createdAt, change: { kind: 'thread.updated', thread: threadNow } });
      assert.deepEqual(heard, [first.event], 'subscribers heard it before openFollowUp resolved');
      assert.deepEqual(await c.store.eventsSince({ site: 'kanreg-1', afterSeq: 3, limit: 10 }), [first.event]);
      assert.equal(await c.store.currentSeq({ site: 'kanreg-1' }), 4);
      assert.deepEqual(await c.store.getThreadRecord({ id: t1.id }), threadNow);
      assert.deepEqual((await c.store.getThread({ id: t1.id }))?.thread, threadNow);
      const listed = await c.store.listThreads({ site: 'kanreg-1', filter: 'all', limit: 10 });
      assert.deepEqual(listed.threads.find((th) => th.id === t1.id), threadNow);
      assert.deepEqual(await c.store.getFollowUp({ threadId: t1.id }), first.followUp);

      assert.equal((await open(t2)).followUp.tracking, 'KR1-2025-000002');
      assert.equal((await open(t3, {}, 'KR1', 2026)).followUp.tracking, 'KR1-2026-000001', 'a new year counts from 1');
      const other = await open(t4, {}, 'KR2', 2025);
      assert.equal(other.followUp.tracking, 'KR2-2025-000001', 'each prefix counts on its own');
      assert.equal(other.event?.site, 'kanreg-2');
      assert.equal(other.event?.seq, 2);
      assert.equal(await c.store.getFollowUp({ threadId: 'no-such-thread' }), undefined);
    });

    it('answers another open of the same thread with the stored follow-up, writing nothing and moving no counter', async (t) => {
      t.after(c.done);
      const [t1, t2, t3, t4] = [await thread(), await thread(), await thread(), await thread()];
      const first = await open(t1);
      const seq = await c.store.currentSeq({ site: 'kanreg-1' });
      const heard: ChangeEvent[] = [];
      c.store.subscribe((e) => heard.push(e));

      const again = await open(t1, { reason: 'unanswered', createdAt: at(30), updatedAt: at(30) });
      assert.deepEqual(again, { followUp: first.followUp, created: false });
      assert.equal((await open(t2)).followUp.tracking, 'KR1-2025-000002');

      const racing = await Promise.all(range(1, 6).map(() => c.store.openFollowUp({ followUp: newFollowUp(t3), prefix: 'KR1', year: 2025 })));
      assert.equal(racing.filter((r) => r?.created).length, 1, 'one of the racing opens creates it');
      for (const r of racing) assert.equal(r?.followUp.tracking, 'KR1-2025-000003');
      assert.equal((await open(t4)).followUp.tracking, 'KR1-2025-000004', 'the racing opens took one number');
      assert.deepEqual(heard.map((e) => e.seq), [seq + 1, seq + 2, seq + 3]);
      assert.equal(await c.store.currentSeq({ site: 'kanreg-1' }), seq + 3);
    });

    it('gives 20 opens at once on different threads distinct, consecutive numbers and seqs', async (t) => {
      t.after(c.done);
      const threads = [];
      for (let i = 0; i < 20; i++) threads.push(await thread());
      const heard: number[] = [];
      c.store.subscribe((e) => heard.push(e.seq));
      const results = await Promise.all(threads.map((th) => open(th)));
      assert.deepEqual(results.map((r) => r.followUp.tracking).sort(), range(1, 20).map((n) => `KR1-2025-${String(n).padStart(6, '0')}`));
      assert.deepEqual(results.map((r) => r.event!.seq).sort((a, b) => a - b), range(21, 40));
      assert.deepEqual(heard, range(21, 40), 'subscribers hear them in seq order');
      for (const [i, th] of threads.entries()) {
        assert.deepEqual((await c.store.getThreadRecord({ id: th.id }))?.followUp, { tracking: results[i].followUp.tracking, status: 'baru' });
      }
    });

    it('is undefined for a thread that does not exist, and uses no number', async (t) => {
      t.after(c.done);
      const ghost = { ...(await thread()), id: 'no-such-thread' };
      assert.equal(await c.store.openFollowUp({ followUp: newFollowUp(ghost), prefix: 'KR1', year: 2025 }), undefined);
      assert.equal(await c.store.currentSeq({ site: 'kanreg-1' }), 1);
      assert.equal((await open(await thread())).followUp.tracking, 'KR1-2025-000001');
    });

    it('keeps follow-ups, SLA states, numbering and the threads’ follow-ups across close and reopen', async (t) => {
      t.after(c.done);
      const [t1, t2, t3] = [await thread(), await thread(), await thread()];
      const first = await open(t1);
      await open(t2);
      await open(t3, {}, 'KR1', 2026);
      const updated = await c.store.updateFollowUp({ followUp: moved(first.followUp, 'diproses', 20, { assigneeId: 'officer-a' }), expectedVersion: 1 });
      assert.ok(updated.ok);
      await c.store.setSlaStates({ changes: [{ threadId: t2.id, slaState: 'breached' }] });
      const before = {
        followUps: await c.store.getFollowUps({ threadIds: [t1.id, t2.id, t3.id] }),
        queue: await c.store.queryFollowUps({ sites: ['kanreg-1'], limit: 10 }),
        thread: await c.store.getThreadRecord({ id: t1.id }),
        events: await c.store.eventsSince({ site: 'kanreg-1', afterSeq: 0, limit: 100 }),
      };
      assert.equal(before.thread?.followUp?.status, 'diproses');

      const reopened = await c.reopen();
      const byId = (list: FollowUp[]) => [...list].sort((a, b) => a.tracking.localeCompare(b.tracking));
      assert.deepEqual(byId(await reopened.getFollowUps({ threadIds: [t1.id, t2.id, t3.id] })), byId(before.followUps));
      assert.equal((await reopened.getFollowUp({ threadId: t2.id }))?.slaState, 'breached');
      assert.deepEqual(await reopened.queryFollowUps({ sites: ['kanreg-1'], limit: 10 }), before.queue);
      assert.deepEqual(await reopened.getThreadRecord({ id: t1.id }), before.thread);
      assert.deepEqual(await reopened.eventsSince({ site: 'kanreg-1', afterSeq: 0, limit: 100 }), before.events);

      assert.deepEqual(await reopened.openFollowUp({ followUp: newFollowUp(t1), prefix: 'KR1', year: 2025 }), { followUp: updated.followUp, created: false });
      const t4 = await thread();
      assert.equal((await open(t4)).followUp.tracking, 'KR1-2025-000003', 'the count goes on after the restart');
      assert.equal((await open(await thread(), {}, 'KR1', 2026)).followUp.tracking, 'KR1-2026-000002');
      const stale = await reopened.updateFollowUp({ followUp: moved(updated.followUp, 'selesai', 30), expectedVersion: 1 });
      assert.deepEqual(stale, { ok: false, current: updated.followUp }, 'versions survive the restart');
    });
  });

  describe('updating follow-ups (compare-and-set)', () => {
    it('replaces the follow-up when the version matches, with a thread.updated only when the status changes', async (t) => {
      t.after(c.done);
      const th = await thread();
      const { followUp } = await open(th);
      const heard: ChangeEvent[] = [];
      c.store.subscribe((e) => heard.push(e));

      const working = moved(followUp, 'diproses', 20, { firstRespondedAt: at(20) });
      const r1 = await c.store.updateFollowUp({ followUp: working, expectedVersion: 1 });
      assert.ok(r1.ok);
      assert.deepEqual(r1.followUp, working);
      const threadNow: Thread = { ...th, followUp: { tracking: followUp.tracking, status: 'diproses' } };
      assert.deepEqual(r1.event, { site: 'kanreg-1', seq: 3, at: at(20), change: { kind: 'thread.updated', thread: threadNow } });
      assert.deepEqual(heard, [r1.event]);
      assert.deepEqual(await c.store.getThreadRecord({ id: th.id }), threadNow);
      assert.deepEqual(await c.store.getFollowUp({ threadId: th.id }), working);

      const assigned: FollowUp = { ...working, assigneeId: 'officer-a', updatedAt: at(21), version: 3 };
      const r2 = await c.store.updateFollowUp({ followUp: assigned, expectedVersion: 2 });
      assert.deepEqual(r2, { ok: true, followUp: assigned }, 'no event: the public part did not change');
      assert.equal(heard.length, 1);
      assert.equal(await c.store.currentSeq({ site: 'kanreg-1' }), 3);

      const stale = await c.store.updateFollowUp({ followUp: { ...working, version: 3, slaState: 'warning' }, expectedVersion: 2 });
      assert.deepEqual(stale, { ok: false, current: assigned });
      assert.deepEqual(await c.store.getFollowUp({ threadId: th.id }), assigned, 'a refused update writes nothing');

      const { assigneeId: _dropped, ...unassigned } = { ...assigned, updatedAt: at(22), version: 4 };
      const r3 = await c.store.updateFollowUp({ followUp: unassigned, expectedVersion: 3 });
      assert.ok(r3.ok);
      assert.deepEqual(await c.store.getFollowUp({ threadId: th.id }), unassigned, 'the record is replaced, not merged');

      const ghost = { ...unassigned, threadId: 'no-such-thread' };
      assert.deepEqual(await c.store.updateFollowUp({ followUp: ghost, expectedVersion: 4 }), { ok: false, current: undefined });
      assert.equal(heard.length, 1);
    });

    it('lets exactly one of several updates racing with the same expected version win; the others get the winner', async (t) => {
      t.after(c.done);
      const th = await thread();
      const { followUp } = await open(th);
      const heard: ChangeEvent[] = [];
      c.store.subscribe((e) => heard.push(e));
      const attempts = range(1, 10).map((i) =>
        c.store.updateFollowUp({ followUp: moved(followUp, i % 2 ? 'diproses' : 'ditutup', 20 + i, { assigneeId: `officer-${i}` }), expectedVersion: 1 }),
      );
      const results = await Promise.all(attempts);
      const winners = results.filter((r) => r.ok);
      assert.equal(winners.length, 1);
      const winner = winners[0] as Extract<(typeof results)[number], { ok: true }>;
      for (const r of results) if (!r.ok) assert.deepEqual(r.current, winner.followUp);
      assert.deepEqual(await c.store.getFollowUp({ threadId: th.id }), winner.followUp);
      assert.deepEqual(heard, [winner.event]);
      assert.equal((await c.store.getThreadRecord({ id: th.id }))?.followUp?.status, winner.followUp.status);
    });

    it('stores SLA states from the clock without bumping versions or sending events, skipping unknown threads', async (t) => {
      t.after(c.done);
      const [t1, t2] = [await thread(), await thread()];
      const a = (await open(t1)).followUp;
      await open(t2);
      const seq = await c.store.currentSeq({ site: 'kanreg-1' });
      await c.store.setSlaStates({
        changes: [
          { threadId: t1.id, slaState: 'warning' },
          { threadId: t2.id, slaState: 'breached' },
          { threadId: 'no-such-thread', slaState: 'ok' },
        ],
      });
      await c.store.setSlaStates({ changes: [] });
      assert.deepEqual(await c.store.getFollowUp({ threadId: t1.id }), { ...a, slaState: 'warning' });
      assert.equal((await c.store.getFollowUp({ threadId: t2.id }))?.slaState, 'breached');
      assert.equal(await c.store.currentSeq({ site: 'kanreg-1' }), seq);
      const r = await c.store.updateFollowUp({ followUp: moved({ ...a, slaState: 'warning' }, 'diproses', 30), expectedVersion: 1 });
      assert.ok(r.ok, 'the version the officer saw is still current');
    });

    it('hands out copies: changing a returned follow-up changes nothing stored', async (t) => {
      t.after(c.done);
      const th = await thread();
      const { followUp } = await open(th);
      followUp.history[0].to = 'ditutup';
      followUp.status = 'ditutup';
      const read = (await c.store.getFollowUp({ threadId: th.id }))!;
      read.history.push({ at: at(50), from: 'baru', to: 'ditutup', cause: 'officer' });
      (await c.store.getThreadRecord({ id: th.id }))!.followUp!.status = 'ditutup';
      assert.deepEqual(await c.store.getFollowUp({ threadId: th.id }), { ...newFollowUp(th), tracking: 'KR1-2025-000001' });
      assert.equal((await c.store.getThreadRecord({ id: th.id }))?.followUp?.status, 'baru');
    });
  });

  describe('the follow-up queue', () => {
    /**
     * a..f over three sites; due order (queueDueAt) f 1h, c 2h, b 3h, e 4h, a 5h, d 9h:
     * b is answered (resolution due counts), d is `selesai` (auto-close time), f is `ditutup` (closed time).
     */
    async function seed() {
      const make = async (site: string, title: string, over: Partial<NewFollowUp>) => {
        const th = await thread({ site, title, category: over.category ?? 'kenaikan-pangkat' });
        return (await open(th, over)).followUp;
      };
      const a = await make('kanreg-1', 'Kenaikan pangkat reguler', { firstResponseDue: hour(5) });
      const b = await make('kanreg-1', 'Cuti besar', { category: 'cuti', status: 'diproses', slaState: 'warning', assigneeId: 'officer-a', firstResponseDue: hour(1), firstRespondedAt: hour(0), resolutionDue: hour(3) });
      const c2 = await make('kanreg-2', 'Kenaikan pangkat pilihan', { status: 'baru', slaState: 'breached', firstResponseDue: hour(2) });
      const d = await make('kanreg-1', 'Cuti melahirkan', { category: 'cuti', status: 'selesai', slaState: 'met', assigneeId: 'officer-b', firstRespondedAt: hour(0), resolvedAt: hour(6), autoCloseAt: hour(9), firstResponseDue: hour(0.5) });
      const e = await make('kanreg-3', 'Pensiun dini', { category: 'pensiun', status: 'menunggu_penanya', slaState: 'paused', assigneeId: 'officer-a', firstResponseDue: hour(4) });
      const f = await make('kanreg-1', 'Mutasi', { status: 'ditutup', slaState: 'met', closedAt: hour(1), firstResponseDue: hour(0.25) });
      return { a, b, c: c2, d, e, f };
    }
    const ids = async (query: Omit<FollowUpQuery, 'limit'> & { limit?: number }) =>
      (await c.store.queryFollowUps({ limit: 50, ...query })).followUps.map((f) => f.threadId);

    it('sorts by due time (queueDueAt) and filters by sites, statuses, SLA states, categories and assignee', async (t) => {
      t.after(c.done);
      const { a, b, c: c2, d, e, f } = await seed();
      assert.deepEqual([f, c2, b, e, a, d].map(queueDueAt), [hour(1), hour(2), hour(3), hour(4), hour(5), hour(9)]);
      const page = await c.store.queryFollowUps({ sites: ['kanreg-1', 'kanreg-2'], limit: 50 });
      assert.deepEqual(page, { followUps: [f, c2, b, a, d] });
      assert.deepEqual(await ids({ sites: ['kanreg-1', 'kanreg-2', 'kanreg-3'] }), [f, c2, b, e, a, d].map((x) => x.threadId));
      assert.deepEqual(await ids({ sites: ['kanreg-2'] }), [c2.threadId]);
      assert.deepEqual(await ids({ sites: ['kanreg-9'] }), []);
      const two = ['kanreg-1', 'kanreg-2'];
      assert.deepEqual(await ids({ sites: two, statuses: ['baru'] }), [c2.threadId, a.threadId]);
      assert.deepEqual(await ids({ sites: two, statuses: ['baru', 'diproses'] }), [c2.threadId, b.threadId, a.threadId]);
      assert.deepEqual(await ids({ sites: two, slaStates: ['breached', 'warning'] }), [c2.threadId, b.threadId]);
      assert.deepEqual(await ids({ sites: two, categories: ['cuti'] }), [b.threadId, d.threadId]);
      assert.deepEqual(await ids({ sites: two, assignee: 'none' }), [f.threadId, c2.threadId, a.threadId]);
      assert.deepEqual(await ids({ sites: ['kanreg-1', 'kanreg-3'], assignee: { id: 'officer-a' } }), [b.threadId, e.threadId]);
      assert.deepEqual(await ids({ sites: two, statuses: ['baru'], categories: ['kenaikan-pangkat'], assignee: 'none' }), [c2.threadId, a.threadId]);
      assert.deepEqual(await ids({ sites: two, statuses: [], categories: [], slaStates: [] }), [f, c2, b, a, d].map((x) => x.threadId), 'an empty list filters nothing');
    });

    it('follows updates: a new due time or status moves the follow-up in the queue and in the counts', async (t) => {
      t.after(c.done);
      const { a, b, c: c2, d, f } = await seed();
      const two = ['kanreg-1', 'kanreg-2'];
      const answered = moved(a, 'diproses', 30, { firstRespondedAt: hour(0.5), resolutionDue: hour(0.75) });
      assert.ok((await c.store.updateFollowUp({ followUp: answered, expectedVersion: 1 })).ok);
      assert.deepEqual(await ids({ sites: two }), [a, f, c2, b, d].map((x) => x.threadId));
      assert.deepEqual(await ids({ sites: two, statuses: ['baru'] }), [c2.threadId]);
      await c.store.setSlaStates({ changes: [{ threadId: c2.threadId, slaState: 'ok' }] });
      assert.deepEqual(await ids({ sites: two, slaStates: ['breached'] }), []);
      assert.deepEqual(await c.store.countFollowUps({ sites: two }), {
        byStatus: { baru: 1, diproses: 2, menunggu_penanya: 0, selesai: 1, ditutup: 1 },
        bySla: { ok: 2, warning: 1, breached: 0, paused: 0, met: 0 },
      }, 'counts follow the changes');
    });

    it('follows assignments: taken, moved to another officer, due earlier, and given up', async (t) => {
      t.after(c.done);
      const { a, b, e } = await seed();
      const sites = ['kanreg-1', 'kanreg-2', 'kanreg-3'];
      const mine = (id: string) => ids({ sites, assignee: { id } });
      assert.deepEqual(await mine('officer-a'), [b.threadId, e.threadId]);
      // a (due at 5 h) taken by officer-a, then due at 0.5 h: it moves to the front of officer-a's queue.
      const taken = { ...a, assigneeId: 'officer-a', updatedAt: at(30), version: 2 };
      assert.ok((await c.store.updateFollowUp({ followUp: taken, expectedVersion: 1 })).ok);
      assert.deepEqual(await mine('officer-a'), [b.threadId, e.threadId, a.threadId]);
      const sooner = moved(taken, 'diproses', 31, { firstRespondedAt: hour(0.25), resolutionDue: hour(0.5) });
      assert.ok((await c.store.updateFollowUp({ followUp: sooner, expectedVersion: 2 })).ok);
      assert.deepEqual(await mine('officer-a'), [a.threadId, b.threadId, e.threadId]);
      // Moved to officer-c: gone from officer-a's queue, in officer-c's; then given up: in nobody's.
      const passed = { ...sooner, assigneeId: 'officer-c', updatedAt: at(32), version: 4 };
      assert.ok((await c.store.updateFollowUp({ followUp: passed, expectedVersion: 3 })).ok);
      assert.deepEqual([await mine('officer-a'), await mine('officer-c')], [[b.threadId, e.threadId], [a.threadId]]);
      const { assigneeId: _gone, ...dropped } = { ...passed, updatedAt: at(33), version: 5 };
      assert.ok((await c.store.updateFollowUp({ followUp: dropped, expectedVersion: 4 })).ok);
      assert.deepEqual(await mine('officer-c'), []);
      assert.ok((await ids({ sites, assignee: 'none' })).includes(a.threadId));
      // Across a reopen the assignees' queues are rebuilt from what is stored.
      await c.reopen();
      assert.deepEqual(await mine('officer-a'), [b.threadId, e.threadId]);
    });

    it('finds by words in the thread’s title or body (all of them, any case), or by a tracking number', async (t) => {
      t.after(c.done);
      const { a, b, c: c2, d } = await seed();
      const two = ['kanreg-1', 'kanreg-2'];
      assert.deepEqual(await ids({ sites: two, words: ['cuti'] }), [b.threadId, d.threadId]);
      assert.deepEqual(await ids({ sites: two, words: ['KENAIKAN', 'reguler'] }), [a.threadId]);
      assert.deepEqual(await ids({ sites: two, words: ['pangkat', 'siasn'] }), [], 'every word must appear');
      assert.deepEqual(await ids({ sites: two, words: ['periode', 'april'] }).then((x) => x.length), 5, 'the body counts too');
      assert.deepEqual(await ids({ sites: two, words: ['cuti'], statuses: ['selesai'] }), [d.threadId]);
      assert.deepEqual(await ids({ sites: two, words: [c2.tracking] }), [c2.threadId]);
      assert.deepEqual(await ids({ sites: two, words: [c2.tracking.toLowerCase()] }), [c2.threadId]);
      assert.deepEqual(await ids({ sites: ['kanreg-1'], words: [c2.tracking] }), [], 'only in the sites asked for');
      assert.deepEqual(await ids({ sites: two, words: ['KR1-2025-999999'] }), []);
    });

    it('finds a rare word far down a long queue, and pages through it, exactly as a plain walk would', async (t) => {
      t.after(c.done);
      // 320 follow-ups due one minute apart; "taspen" only in numbers 5, 290 and 300 (past the first 256).
      const rare = new Set([5, 290, 300]);
      const threads: string[] = [];
      for (let n = 0; n < 320; n++) {
        const th = await thread({ site: 'kanreg-9', title: `Pertanyaan umum ${n}`, body: rare.has(n) ? `Klaim TASPEN saya ${n} belum cair.` : `Pertanyaan nomor ${n} tentang cuti.` });
        await open(th, { firstResponseDue: hour(n / 60) }, 'KR9');
        threads.push(th.id);
      }
      const site = ['kanreg-9'];
      const first = await c.store.queryFollowUps({ sites: site, words: ['taspen'], limit: 2 });
      assert.deepEqual(first.followUps.map((f) => f.threadId), [threads[5], threads[290]]);
      assert.ok(first.next);
      const rest = await c.store.queryFollowUps({ sites: site, words: ['taspen'], limit: 2, after: first.next });
      assert.deepEqual([rest.followUps.map((f) => f.threadId), rest.next], [[threads[300]], undefined]);
      assert.deepEqual((await ids({ sites: site, words: ['cair', 'taspen', '300'] })), [threads[300]], 'every word, whichever the index is asked for');
      assert.deepEqual(await ids({ sites: site, words: ['tidak-ada-di-mana-mana'] }), []);
      assert.deepEqual(await ids({ sites: site, words: ['umum'], limit: 3 }), threads.slice(0, 3));
      assert.deepEqual(await ids({ sites: site, words: ['cuti.pertanyaan'] }), [], 'no match across two threads');
      // One opened after a search is found too, in its place by due time.
      const late = await thread({ site: 'kanreg-9', title: 'Taspen lagi', body: 'Masih soal klaim.' });
      await open(late, { firstResponseDue: hour(295 / 60) }, 'KR9');
      assert.deepEqual(await ids({ sites: site, words: ['taspen'] }), [threads[5], threads[290], late.id, threads[300]]);
    });

    it('pages with the cursor without gaps or repeats, also through equal due times, and says when more remain', async (t) => {
      t.after(c.done);
      const base = unique('q');
      const made: FollowUp[] = [];
      // 23 follow-ups on two sites; every third shares its due time with the one before.
      for (let i = 0; i < 23; i++) {
        const th = await thread({ id: `${base}-${String(i).padStart(2, '0')}`, site: i % 2 ? 'kanreg-1' : 'kanreg-2' });
        const dueHours = i % 3 === 2 ? i - 1 : i;
        made.push((await open(th, { firstResponseDue: hour(30 - dueHours), status: i % 4 === 0 ? 'diproses' : 'baru' })).followUp);
      }
      const expected = [...made].sort((x, y) => queueDueAt(x).localeCompare(queueDueAt(y)) || (x.threadId < y.threadId ? -1 : 1));
      const sites = ['kanreg-1', 'kanreg-2'];
      const all = await c.store.queryFollowUps({ sites, limit: 100 });
      assert.deepEqual(all.followUps.map((f) => f.threadId), expected.map((f) => f.threadId));
      assert.equal(all.next, undefined);

      for (const [limit, statuses] of [[5, undefined], [4, undefined], [3, ['baru']], [23, undefined]] as const) {
        const want = expected.filter((f) => !statuses || (statuses as readonly string[]).includes(f.status)).map((f) => f.threadId);
        const seen: string[] = [];
        let page = await c.store.queryFollowUps({ sites, limit, ...(statuses && { statuses: [...statuses] }) });
        let pages = 1;
        seen.push(...page.followUps.map((f) => f.threadId));
        while (page.next) {
          const last = page.followUps.at(-1)!;
          assert.deepEqual(page.next, { dueAt: queueDueAt(last), threadId: last.threadId }, 'the cursor is the last item’s sort key');
          assert.equal(page.followUps.length, limit, 'only a full page says more remain');
          page = await c.store.queryFollowUps({ sites, limit, after: page.next, ...(statuses && { statuses: [...statuses] }) });
          pages++;
          seen.push(...page.followUps.map((f) => f.threadId));
        }
        assert.deepEqual(seen, want, `limit ${limit}`);
        assert.equal(pages, Math.max(1, Math.ceil(want.length / limit)), 'the last page has no `next`, even when it is full');
      }
    });

    it('counts per status, and per SLA state among the open ones, for the sites asked for', async (t) => {
      t.after(c.done);
      await seed();
      assert.deepEqual(await c.store.countFollowUps({ sites: ['kanreg-1', 'kanreg-2'] }), {
        byStatus: { baru: 2, diproses: 1, menunggu_penanya: 0, selesai: 1, ditutup: 1 },
        bySla: { ok: 1, warning: 1, breached: 1, paused: 0, met: 0 },
      });
      assert.deepEqual(await c.store.countFollowUps({ sites: ['kanreg-3'] }), {
        byStatus: { baru: 0, diproses: 0, menunggu_penanya: 1, selesai: 0, ditutup: 0 },
        bySla: { ok: 0, warning: 0, breached: 0, paused: 1, met: 0 },
      });
      assert.deepEqual(await c.store.countFollowUps({ sites: ['kanreg-9'] }), {
        byStatus: { baru: 0, diproses: 0, menunggu_penanya: 0, selesai: 0, ditutup: 0 },
        bySla: { ok: 0, warning: 0, breached: 0, paused: 0, met: 0 },
      });
    });

    it('gives every follow-up whose clocks can still change (all but ditutup) as active, and the ones asked for by thread', async (t) => {
      t.after(c.done);
      const { a, b, c: c2, d, e, f } = await seed();
      const byThread = (list: FollowUp[]) => [...list].sort((x, y) => (x.threadId < y.threadId ? -1 : 1));
      assert.deepEqual(byThread(await c.store.activeFollowUps()), byThread([a, b, c2, d, e]));
      assert.deepEqual(byThread(await c.store.getFollowUps({ threadIds: [f.threadId, a.threadId, 'no-such-thread', a.threadId] })), byThread([a, f]));
      assert.deepEqual(await c.store.getFollowUps({ threadIds: [] }), []);
      await c.store.updateFollowUp({ followUp: moved(d, 'ditutup', 40, { closedAt: hour(10) }), expectedVersion: 1 });
      assert.deepEqual(byThread(await c.store.activeFollowUps()), byThread([a, b, c2, e]));
    });
  });

  describe('officers’ notifications', () => {
    it('lists an officer’s own, newest first, at most limit, and marks only their own read, across a reopen', async (t) => {
      t.after(c.done);
      const n1 = notification('officer-a', 1);
      const n2 = notification('officer-b', 2);
      const n3 = notification('officer-a', 3, { target: 'resolution' });
      const n4 = notification('officer-a', 2);
      await c.store.addNotifications({ notifications: [n1, n2] });
      await c.store.addNotifications({ notifications: [n3, n4] });
      await c.store.addNotifications({ notifications: [] });
      assert.deepEqual(await c.store.listNotifications({ officerId: 'officer-a', limit: 10 }), [n3, n4, n1]);
      assert.deepEqual(await c.store.listNotifications({ officerId: 'officer-a', limit: 2 }), [n3, n4]);
      assert.deepEqual(await c.store.listNotifications({ officerId: 'officer-c', limit: 10 }), []);

      await c.store.markNotificationsRead({ officerId: 'officer-a', ids: [n1.id, n2.id, 'no-such-notification'] });
      await c.store.markNotificationsRead({ officerId: 'officer-a', ids: [] });
      assert.deepEqual(await c.store.listNotifications({ officerId: 'officer-a', limit: 10 }), [n3, n4, { ...n1, read: true }]);
      assert.deepEqual(await c.store.listNotifications({ officerId: 'officer-b', limit: 10 }), [n2], 'another officer’s stays unread');

      const reopened = await c.reopen();
      assert.deepEqual(await reopened.listNotifications({ officerId: 'officer-a', limit: 10 }), [n3, n4, { ...n1, read: true }]);
      assert.deepEqual(await reopened.listNotifications({ officerId: 'officer-b', limit: 10 }), [n2]);
    });
  });
}
