/**
 * Follow-ups on a shared database (docs/STORAGE.md, "Follow-ups"): two store instances over one schema, as
 * two servers would be, numbering and changing follow-ups at the same time; the queue reading its indexes;
 * an unreachable database refusing follow-up reads and writes as unavailable.
 */
import assert from 'node:assert/strict';
import { after, describe, it, type TestContext } from 'node:test';
import { queueDueAt, type FollowUp, type NewFollowUp } from '../../../../server/domain/follow-up/model.js';
import type { Thread } from '../../../../server/domain/model.js';
import { PgStore } from '../../../../server/store/pg/pg-store.js';
import { StoreUnavailableError } from '../../../../server/store/store.js';
import { clientIn, dropTestSchemas, queryIn, TEST_DATABASE_URL, testSchema } from '../../../support/postgres.js';
import { TcpProxy } from '../../../support/tcp-proxy.js';
import { newThread } from '../contract.js';

after(dropTestSchemas);

const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1);
const iso = (minute: number) => new Date(Date.UTC(2026, 2, 2, 1, minute)).toISOString();

/** `count` stores over one fresh schema (two pools: two servers), closed and dropped when the test ends. */
async function instances(t: TestContext, count: number): Promise<{ stores: PgStore[]; schema: string }> {
  const schema = await testSchema();
  const stores = Array.from({ length: count }, () => new PgStore({ url: TEST_DATABASE_URL, schema: schema.name }));
  for (const store of stores) await store.open();
  t.after(async () => {
    for (const store of stores) await store.close();
    await schema.drop();
  });
  return { stores, schema: schema.name };
}

/** A follow-up as the lifecycle opens one (server/domain/follow-up/lifecycle.ts), due `dueMinute` minutes into the day. */
function newFollowUp(thread: Thread, over: Partial<NewFollowUp> & { dueMinute?: number } = {}): NewFollowUp {
  const { dueMinute = 240, ...rest } = over;
  return {
    threadId: thread.id,
    site: thread.site,
    category: thread.category,
    status: 'baru',
    reason: 'asker_request',
    createdAt: iso(0),
    updatedAt: iso(0),
    firstResponseMinutes: 240,
    resolutionMinutes: 2400,
    firstResponseDue: iso(dueMinute),
    resolutionDue: iso(2400),
    autoCloseWorkingDays: 10,
    pausedWorkingMinutes: 0,
    slaState: 'ok',
    version: 1,
    history: [{ at: iso(0), from: null, to: 'baru', cause: 'opened' }],
    ...rest,
  };
}

/** The next version of a follow-up as an officer's change makes it. */
function changed(followUp: FollowUp, over: Partial<FollowUp>): FollowUp {
  return { ...followUp, updatedAt: iso(10), version: followUp.version + 1, ...over };
}

describe('PostgreSQL store: follow-ups from two instances on one database', () => {
  it('number follow-ups opened at the same time on one site consecutively, each with its thread.updated in seq order', async (t) => {
    const { stores, schema } = await instances(t, 2);
    const threads = [];
    for (let i = 0; i < 24; i++) threads.push((await stores[i % 2].createThread({ thread: newThread() })).record);
    const opened = await Promise.all(threads.map((thread, i) => stores[(i + 1) % 2].openFollowUp({ followUp: newFollowUp(thread), prefix: 'KR1', year: 2026 })));
    const numbers = opened.map((r) => Number(r!.followUp.tracking.slice('KR1-2026-'.length))).sort((a, b) => a - b);
    assert.deepEqual(numbers, range(24), 'no gap, no repeat');
    assert.ok(opened.every((r) => r?.created && /^KR1-2026-\d{6}$/.test(r.followUp.tracking)));
    assert.deepEqual(await queryIn(schema, 'SELECT prefix, year, last FROM tracking_counters'), [{ prefix: 'KR1', year: 2026, last: 24 }]);
    // The events: seqs 25…48 after the 24 thread.created, each carrying its thread's public follow-up.
    const events = (await stores[0].eventsSince({ site: 'kanreg-1', afterSeq: 24, limit: 100 }))!;
    assert.deepEqual(events.map((e) => e.seq), range(24).map((n) => n + 24));
    for (const { followUp, event } of opened.map((r) => r!)) {
      assert.equal(event?.change.kind, 'thread.updated');
      assert.deepEqual(event?.change.kind === 'thread.updated' && event.change.thread.followUp, { tracking: followUp.tracking, status: 'baru' });
      assert.deepEqual((await stores[0].getThreadRecord({ id: followUp.threadId }))?.followUp, { tracking: followUp.tracking, status: 'baru' });
    }
  });

  it('open one follow-up for a thread opened through both at once; the counter moves once', async (t) => {
    const { stores, schema } = await instances(t, 2);
    const { record: thread } = await stores[0].createThread({ thread: newThread() });
    const both = await Promise.all(stores.map((s) => s.openFollowUp({ followUp: newFollowUp(thread), prefix: 'KR1', year: 2026 })));
    assert.deepEqual(both.map((r) => r?.created).sort(), [false, true]);
    assert.deepEqual(both[0]?.followUp, both[1]?.followUp);
    assert.equal(both.find((r) => !r?.created)?.event, undefined);
    assert.deepEqual(await queryIn(schema, 'SELECT last FROM tracking_counters'), [{ last: 1 }]);
    assert.equal(await stores[1].currentSeq({ site: 'kanreg-1' }), 2, 'one thread.updated');
  });

  it('let exactly one of two changes made on the same version win, from either instance', async (t) => {
    const { stores } = await instances(t, 2);
    for (let round = 0; round < 5; round++) {
      const { record: thread } = await stores[0].createThread({ thread: newThread() });
      const { followUp } = (await stores[0].openFollowUp({ followUp: newFollowUp(thread), prefix: 'KR1', year: 2026 }))!;
      const proposals = [changed(followUp, { status: 'diproses' }), changed(followUp, { assigneeId: 'v-officer-b' })];
      const results = await Promise.all(stores.map((s, i) => s.updateFollowUp({ followUp: proposals[i], expectedVersion: followUp.version })));
      const won = results.flatMap((r, i) => (r.ok ? [i] : []));
      assert.equal(won.length, 1, `round ${round}: exactly one wins`);
      const loser = results.find((r) => !r.ok);
      assert.deepEqual(loser && !loser.ok && loser.current, proposals[won[0]], 'the loser is shown the winner');
      assert.deepEqual(await stores[1 - won[0]].getFollowUp({ threadId: thread.id }), proposals[won[0]]);
      const thread2 = await stores[0].getThreadRecord({ id: thread.id });
      assert.equal(thread2?.followUp?.status, won[0] === 0 ? 'diproses' : 'baru', "the thread's public part follows the winner");
    }
  });

  it('keep counting across restarts, per prefix and year', async (t) => {
    const schema = await testSchema();
    t.after(schema.drop);
    const open = async () => {
      const store = new PgStore({ url: TEST_DATABASE_URL, schema: schema.name });
      await store.open();
      return store;
    };
    let store = await open();
    const openOne = async (site: string, prefix: string, year: number) => {
      const { record } = await store.createThread({ thread: newThread({ site }) });
      return (await store.openFollowUp({ followUp: newFollowUp(record), prefix, year }))!.followUp.tracking;
    };
    assert.equal(await openOne('kanreg-1', 'KR1', 2026), 'KR1-2026-000001');
    assert.equal(await openOne('kanreg-2', 'KR2', 2026), 'KR2-2026-000001');
    await store.close();
    store = await open();
    t.after(() => store.close());
    assert.equal(await openOne('kanreg-1', 'KR1', 2026), 'KR1-2026-000002');
    assert.equal(await openOne('kanreg-1', 'KR1', 2027), 'KR1-2027-000001');
  });

  it('store SLA states from the sweep without a version bump, while a change of the same follow-up commits', async (t) => {
    const { stores } = await instances(t, 2);
    const { record: thread } = await stores[0].createThread({ thread: newThread() });
    const { followUp } = (await stores[0].openFollowUp({ followUp: newFollowUp(thread), prefix: 'KR1', year: 2026 }))!;
    await stores[1].setSlaStates({ changes: [{ threadId: thread.id, slaState: 'warning' }, { threadId: 'no-such-thread', slaState: 'breached' }] });
    assert.deepEqual(await stores[0].getFollowUp({ threadId: thread.id }), { ...followUp, slaState: 'warning' });
    const [update] = await Promise.all([
      stores[0].updateFollowUp({ followUp: changed(followUp, { slaState: 'ok', status: 'diproses' }), expectedVersion: 1 }),
      stores[1].setSlaStates({ changes: [{ threadId: thread.id, slaState: 'breached' }] }),
    ]);
    assert.equal(update.ok, true, 'the SLA state is not part of the compare-and-set');
    const stored = await stores[1].getFollowUp({ threadId: thread.id });
    assert.equal(stored?.version, 2);
    assert.ok(stored?.slaState === 'ok' || stored?.slaState === 'breached', 'one of the two, whole');
  });
});

describe('PostgreSQL store: the follow-up queue', () => {
  it('reads a page per site from the (site, due_at, thread_id) index and merges the sites', async (t) => {
    const { stores, schema } = await instances(t, 1);
    const [store] = stores;
    const made: FollowUp[] = [];
    for (let i = 0; i < 30; i++) {
      const site = i % 3 === 0 ? 'kanreg-2' : 'kanreg-1';
      const { record } = await store.createThread({ thread: newThread({ site, title: i % 5 === 0 ? `Mutasi PNS ${i}` : `Pensiun dini ${i}` }) });
      const prefix = site === 'kanreg-1' ? 'KR1' : 'KR2';
      made.push((await store.openFollowUp({ followUp: newFollowUp(record, { dueMinute: (i * 7) % 30 }), prefix, year: 2026 }))!.followUp);
    }
    const order = (list: FollowUp[]) => [...list].sort((a, b) => queueDueAt(a).localeCompare(queueDueAt(b)) || (a.threadId < b.threadId ? -1 : a.threadId > b.threadId ? 1 : 0));
    const pages: FollowUp[][] = [];
    let after;
    do {
      const page = await store.queryFollowUps({ sites: ['kanreg-1', 'kanreg-2'], limit: 7, ...(after && { after }) });
      pages.push(page.followUps);
      after = page.next;
    } while (after);
    assert.deepEqual(pages.map((p) => p.length), [7, 7, 7, 7, 2]);
    assert.deepEqual(pages.flat(), order(made));

    const mutasi = await store.queryFollowUps({ sites: ['kanreg-1', 'kanreg-2'], words: ['MUTASI', 'pns'], limit: 50 });
    assert.deepEqual(mutasi.followUps.map((f) => f.threadId).sort(), made.filter((_, i) => i % 5 === 0).map((f) => f.threadId).sort());
    const byTracking = await store.queryFollowUps({ sites: ['kanreg-1', 'kanreg-2'], words: [made[4].tracking.toLowerCase()], limit: 50 });
    assert.deepEqual(byTracking.followUps, [made[4]]);

    // The plan, with the planner told that the table is large (on 30 rows it would rightly scan it).
    const client = await clientIn(schema);
    t.after(() => client.end());
    await client.query('SET enable_seqscan = off');
    const plan = await client.query<{ 'QUERY PLAN': string }>(
      `EXPLAIN SELECT * FROM follow_ups WHERE site = 'kanreg-1' AND (due_at, thread_id) > ('2026-03-02T01:05:00Z', 'x') ORDER BY due_at, thread_id LIMIT 8`,
    );
    assert.match(plan.rows.map((r) => r['QUERY PLAN']).join('\n'), /Index Scan using follow_ups_queue/);
  });
});

describe('PostgreSQL store: follow-ups when the database cannot be reached', () => {
  it('refuses follow-up and notification reads and writes as unavailable', async (t) => {
    const schema = await testSchema();
    t.after(schema.drop);
    const target = new URL(TEST_DATABASE_URL);
    const proxy = new TcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
    await proxy.start();
    t.after(() => proxy.stop());
    const url = new URL(TEST_DATABASE_URL);
    url.host = `127.0.0.1:${proxy.port}`;
    const store = new PgStore({ url: url.toString(), schema: schema.name, healthCacheMs: 0 });
    await store.open();
    t.after(() => store.close());
    const { record: thread } = await store.createThread({ thread: newThread() });
    const { followUp } = (await store.openFollowUp({ followUp: newFollowUp(thread), prefix: 'KR1', year: 2026 }))!;

    await proxy.stop();
    const unavailable = (err: unknown) => err instanceof StoreUnavailableError && err.reason === 'database_unavailable';
    await assert.rejects(store.getFollowUp({ threadId: thread.id }), unavailable);
    await assert.rejects(store.queryFollowUps({ sites: ['kanreg-1'], limit: 10 }), unavailable);
    await assert.rejects(store.updateFollowUp({ followUp: changed(followUp, { status: 'diproses' }), expectedVersion: 1 }), unavailable);
    await assert.rejects(store.listNotifications({ officerId: 'v-s', limit: 10 }), unavailable);
    await assert.rejects(
      store.addNotifications({
        notifications: [{ id: 'n-1', officerId: 'v-s', at: iso(5), kind: 'sla_breached', threadId: thread.id, tracking: followUp.tracking, site: 'kanreg-1', target: 'first_response', read: false }],
      }),
      unavailable,
    );
    await proxy.start();
    assert.deepEqual(await store.getFollowUp({ threadId: thread.id }), followUp, 'and kept nothing');
  });
});
