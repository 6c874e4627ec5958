/**
 * The officers' follow-up queue over REST, on a real server with a real JSON store and an injected clock:
 * the asker's request, role and site checks on every officer route, transitions, collisions between two
 * officers, the asker's reply, and a restart. The clock pass is test/server/http/follow-up-clock.test.ts.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { officerAccounts, queueRig, type StoreKind } from '../../support/queue-rig.js';


/** The suite on one store; `officer-queue.test.ts` runs it on the JSON store, `officer-queue-pg.test.ts` on PostgreSQL. */
export function officerQueueSuite(kind: StoreKind): void {
  describe("the asker's request", () => {
    it('puts the thread in the queue: 201 with a tracking number, 200 with the same after; others get not_asker', async (t) => {
      const rig = await queueRig(t, kind);
      const asker = await rig.visitor();
      const thread = await rig.ask(asker.auth);
      const first = await rig.api.post(`/api/threads/${thread.id}/follow-up`).set(asker.auth).expect(201);
      assert.deepEqual(first.body, { followUp: { tracking: 'KR1-2026-000001', status: 'baru' } });
      const again = await rig.api.post(`/api/threads/${thread.id}/follow-up`).set(asker.auth).expect(200);
      assert.deepEqual(again.body, first.body);

      const other = await rig.visitor();
      assert.equal((await rig.api.post(`/api/threads/${thread.id}/follow-up`).set(other.auth).expect(403)).body.error.code, 'not_asker');
      assert.equal((await rig.api.post(`/api/threads/${thread.id}/follow-up`).expect(401)).body.error.code, 'unauthorized');
      assert.equal((await rig.api.post('/api/threads/tidak-ada/follow-up').set(asker.auth).expect(404)).body.error.code, 'thread_not_found');

      // Every visitor sees the public part, in the thread and in the list.
      assert.deepEqual((await rig.api.get(`/api/threads/${thread.id}`).expect(200)).body.thread.followUp, first.body.followUp);
      const listed = (await rig.api.get('/api/sites/kanreg1/threads').expect(200)).body.threads.find((x: { id: string }) => x.id === thread.id);
      assert.deepEqual(listed.followUp, first.body.followUp);

      // Numbered per site: kanreg2's first follow-up is KR2-2026-000001.
      const there = await rig.ask(asker.auth, 'kanreg2');
      assert.equal((await rig.request(asker.auth, there.id)).tracking, 'KR2-2026-000001');
      const second = await rig.ask(asker.auth);
      assert.equal((await rig.request(asker.auth, second.id)).tracking, 'KR1-2026-000002');
    });
  });

  describe('role and site checks', () => {
    it('refuses members and anonymous callers on every officer queue route', async (t) => {
      const rig = await queueRig(t, kind);
      const member = await rig.visitor();
      const thread = await rig.ask(member.auth);
      const routes = [
        () => rig.api.get('/api/officer/me'),
        () => rig.api.get('/api/officer/queue'),
        () => rig.api.get(`/api/officer/threads/${thread.id}`),
        () => rig.api.post(`/api/officer/threads/${thread.id}/status`).send({ status: 'diproses', version: 1 }),
        () => rig.api.post(`/api/officer/threads/${thread.id}/assign`).send({ officerId: null, version: 1 }),
        () => rig.api.post(`/api/officer/threads/${thread.id}/answers`).send({ body: 'Jawaban resmi petugas.', clientId: 'answer-xxxx-1' }),
        () => rig.api.get('/api/officer/notifications'),
        () => rig.api.post('/api/officer/notifications/read').send({ ids: ['x'] }),
      ];
      for (const [i, route] of routes.entries()) {
        const anonymous = await route();
        assert.equal(anonymous.status, 401, `route ${i}`);
        assert.equal(anonymous.headers['cache-control'], 'no-store');
        const refused = await route().set(member.auth);
        assert.equal(refused.status, 403, `route ${i}`);
        assert.equal(refused.body.error.code, 'forbidden');
      }
    });

    it("hides another site's thread from an officer on every route, and refuses another site's queue", async (t) => {
      const rig = await queueRig(t, kind);
      const asker = await rig.visitor();
      const thread = await rig.ask(asker.auth);
      await rig.request(asker.auth, thread.id);
      const budi = rig.officer.budi; // kanreg2 only
      const calls = [
        rig.api.get(`/api/officer/threads/${thread.id}`).set(budi),
        rig.api.post(`/api/officer/threads/${thread.id}/status`).set(budi).send({ status: 'diproses', version: 1 }),
        rig.api.post(`/api/officer/threads/${thread.id}/assign`).set(budi).send({ officerId: 'officer-budi', version: 1 }),
        rig.api.post(`/api/officer/threads/${thread.id}/answers`).set(budi).send({ body: 'Jawaban resmi petugas.', clientId: 'answer-xxxx-2', followUpVersion: 1 }),
      ];
      for (const call of calls) {
        const res = await call;
        assert.equal(res.status, 404);
        assert.equal(res.body.error.code, 'thread_not_found', 'the same as a thread that does not exist');
      }
      assert.equal((await rig.api.get('/api/officer/queue?site=kanreg1').set(budi).expect(403)).body.error.code, 'forbidden');
      const own = (await rig.api.get('/api/officer/queue').set(budi).expect(200)).body;
      assert.deepEqual(own.items, []);
      assert.equal(own.counts.byStatus.baru, 0, 'counts cover the officer’s sites only');
      // Nothing was stored by the refused writes.
      const seen = await rig.followUp(rig.officer.petugas1, thread.id);
      assert.equal(seen.version, 1);
      assert.equal(seen.assignee, undefined);
    });

    it('shows each officer their role, sites and colleagues; an admin has every site', async (t) => {
      const rig = await queueRig(t, kind);
      const me = (await rig.api.get('/api/officer/me').set(rig.officer.rina).expect(200)).body;
      assert.equal(me.role, 'supervisor');
      assert.deepEqual(me.sites.map((s: { id: string; timeZone: string }) => [s.id, s.timeZone]), [['kanreg1', 'Asia/Jakarta']]);
      assert.deepEqual(me.colleagues.map((c: { officer: { id: string } }) => c.officer.id).sort(), ['officer-kepala', 'officer-petugas1', 'officer-petugas2', 'officer-rina']);
      const admin = (await rig.api.get('/api/officer/me').set(rig.officer.kepala).expect(200)).body;
      assert.equal(admin.role, 'admin');
      assert.deepEqual(admin.sites.map((s: { id: string }) => s.id), ['kanreg1', 'kanreg2']);
    });

    it('lets an officer assign only themselves, a supervisor anyone of the site, and takes a change of sites at once', async (t) => {
      const rig = await queueRig(t, kind);
      const asker = await rig.visitor();
      const thread = await rig.ask(asker.auth);
      await rig.request(asker.auth, thread.id);
      const assign = (auth: Record<string, string>, officerId: string | null, version: number) =>
        rig.api.post(`/api/officer/threads/${thread.id}/assign`).set(auth).send({ officerId, version });

      assert.equal((await assign(rig.officer.petugas1, 'officer-petugas2', 1).expect(403)).body.error.code, 'forbidden');
      const self = (await assign(rig.officer.petugas1, 'officer-petugas1', 1).expect(200)).body;
      assert.equal(self.followUp.assignee.id, 'officer-petugas1');
      assert.equal(self.followUp.version, 2);
      assert.equal((await assign(rig.officer.petugas2, null, 2).expect(403)).body.error.code, 'forbidden', "not another officer's");
      const bad = (await assign(rig.officer.rina, 'officer-budi', 2).expect(400)).body.error;
      assert.deepEqual([bad.code, bad.field], ['bad_request', 'officerId'], 'budi does not work kanreg1');
      const moved = (await assign(rig.officer.rina, 'officer-petugas2', 2).expect(200)).body;
      assert.equal(moved.followUp.assignee.id, 'officer-petugas2');
      assert.equal((await assign(rig.officer.kepala, null, 3).expect(200)).body.followUp.assignee, undefined);

      const mine = (await rig.api.get('/api/officer/queue?assignee=none').set(rig.officer.petugas1).expect(200)).body;
      assert.deepEqual(mine.items.map((i: { thread: { id: string } }) => i.thread.id), [thread.id]);

      // petugas1 moves to kanreg2: the very next request sees it, without a restart or a new sign-in.
      const changed = (await officerAccounts()).map((a) => (a.username === 'petugas1' ? { ...a, sites: ['kanreg2'] } : a));
      await rig.server.officers.reloadAccounts(changed);
      assert.equal((await rig.api.get(`/api/officer/threads/${thread.id}`).set(rig.officer.petugas1).expect(404)).body.error.code, 'thread_not_found');
      assert.deepEqual((await rig.api.get('/api/officer/me').set(rig.officer.petugas1).expect(200)).body.sites.map((s: { id: string }) => s.id), ['kanreg2']);
    });
  });

  describe('statuses and versions', () => {
    it('moves by the lifecycle only, refusing a stale version with the current state and storing nothing', async (t) => {
      const rig = await queueRig(t, kind);
      const asker = await rig.visitor();
      const thread = await rig.ask(asker.auth);
      await rig.request(asker.auth, thread.id);
      const status = (status: string, version: number) => rig.api.post(`/api/officer/threads/${thread.id}/status`).set(rig.officer.petugas1).send({ status, version });

      assert.equal((await status('selesai', 1).expect(409)).body.error.code, 'invalid_transition', 'selesai needs an answer first');
      assert.equal((await status('tamat', 1).expect(400)).body.error.code, 'bad_request');
      const picked = (await status('diproses', 1).expect(200)).body;
      assert.deepEqual([picked.followUp.status, picked.followUp.version], ['diproses', 2]);
      assert.deepEqual(picked.followUp.allowedStatuses, [], 'waiting and resolving need an officer answer first');
      const stale = (await status('ditutup', 1).expect(409)).body.error;
      assert.equal(stale.code, 'stale_view');
      assert.equal(stale.current.followUp.version, 2);
      assert.equal(stale.current.followUp.status, 'diproses');
      assert.equal(stale.current.thread.id, thread.id);
      assert.equal((await rig.followUp(rig.officer.petugas1, thread.id)).version, 2);
      // The public status follows.
      assert.equal((await rig.api.get(`/api/threads/${thread.id}`).expect(200)).body.thread.followUp.status, 'diproses');

      const other = await rig.ask(asker.auth);
      assert.equal(
        (await rig.api.post(`/api/officer/threads/${other.id}/status`).set(rig.officer.petugas1).send({ status: 'diproses', version: 1 }).expect(404)).body.error.code,
        'follow_up_not_found',
      );
    });

    it("an officer's first answer moves baru to diproses, posted as official; a stale followUpVersion posts nothing", async (t) => {
      const rig = await queueRig(t, kind);
      const asker = await rig.visitor();
      const thread = await rig.ask(asker.auth);
      await rig.request(asker.auth, thread.id);
      const answer = (clientId: string, followUpVersion: number) =>
        rig.api.post(`/api/officer/threads/${thread.id}/answers`).set(rig.officer.petugas1).send({ body: 'Berkas diterima sampai 31 Januari.', clientId, followUpVersion });
      const first = (await answer('officer-answer-1', 1).expect(201)).body;
      assert.equal(first.post.official, true);
      assert.deepEqual([first.followUp.status, first.followUp.version], ['diproses', 2]);
      assert.ok(first.followUp.firstRespondedAt);
      assert.equal((await answer('officer-answer-1', 1).expect(200)).body.post.id, first.post.id, 'a retry is the same answer');
      const stale = (await answer('officer-answer-2', 1).expect(409)).body.error;
      assert.equal(stale.code, 'stale_view');
      assert.equal(stale.current.followUp.version, 2);
      const posts = (await rig.api.get(`/api/threads/${thread.id}`).expect(200)).body.posts;
      assert.equal(posts.length, 1, 'the stale answer was not posted');
      assert.deepEqual((await answer('officer-answer-3', 2).expect(201)).body.followUp.version, 3, 'each answer makes other views stale');
    });

    it('two officers answering or resolving from the same version: exactly one wins', async (t) => {
      const rig = await queueRig(t, kind);
      const asker = await rig.visitor();
      const thread = await rig.ask(asker.auth);
      await rig.request(asker.auth, thread.id);
      const answers = await Promise.all(
        (['petugas1', 'petugas2'] as const).map((who) =>
          rig.api.post(`/api/officer/threads/${thread.id}/answers`).set(rig.officer[who]).send({ body: `Jawaban dari ${who} untuk penanya.`, clientId: `race-${who}-1`, followUpVersion: 1 }),
        ),
      );
      assert.deepEqual(answers.map((r) => r.status).sort(), [201, 409]);
      assert.equal(answers.find((r) => r.status === 409)!.body.error.code, 'stale_view');
      assert.equal((await rig.api.get(`/api/threads/${thread.id}`).expect(200)).body.posts.length, 1);

      const { version } = await rig.followUp(rig.officer.petugas1, thread.id);
      const resolves = await Promise.all(
        (['petugas1', 'rina'] as const).map((who) => rig.api.post(`/api/officer/threads/${thread.id}/status`).set(rig.officer[who]).send({ status: 'selesai', version })),
      );
      assert.deepEqual(resolves.map((r) => r.status).sort(), [200, 409]);
      const after = await rig.followUp(rig.officer.petugas1, thread.id);
      assert.deepEqual([after.status, after.version], ['selesai', version + 1]);
      assert.equal((after.history as unknown[]).length, 3, 'opened, first answer, one resolution');
    });
  });

  describe("the asker's reply", () => {
    it('resumes a follow-up waiting for the asker and reopens a resolved one', async (t) => {
      const rig = await queueRig(t, kind);
      const asker = await rig.visitor();
      const thread = await rig.ask(asker.auth);
      await rig.request(asker.auth, thread.id);
      await rig.api.post(`/api/officer/threads/${thread.id}/answers`).set(rig.officer.petugas1).send({ body: 'Mohon kirim nomor SK Anda.', clientId: 'ask-back-1', followUpVersion: 1 }).expect(201);
      await rig.api.post(`/api/officer/threads/${thread.id}/status`).set(rig.officer.petugas1).send({ status: 'menunggu_penanya', version: 2 }).expect(200);
      assert.equal((await rig.followUp(rig.officer.petugas1, thread.id)).slaState, 'paused');

      rig.clock.now += 30 * 60_000;
      await rig.answer(asker.auth, thread.id, 'Nomor SK saya 800/123/2020.');
      await rig.server.followUps.settled();
      const resumed = await rig.followUp(rig.officer.petugas1, thread.id);
      assert.deepEqual([resumed.status, resumed.version], ['diproses', 4]);
      assert.notEqual(resumed.slaState, 'paused');

      await rig.api.post(`/api/officer/threads/${thread.id}/status`).set(rig.officer.petugas1).send({ status: 'selesai', version: 4 }).expect(200);
      // Another member's answer does not reopen it; the asker's does.
      await rig.answer((await rig.visitor()).auth, thread.id, 'Saya juga mengalami hal yang sama.');
      await rig.server.followUps.settled();
      assert.equal((await rig.followUp(rig.officer.petugas1, thread.id)).status, 'selesai');
      await rig.answer(asker.auth, thread.id, 'Maaf, masih ada yang belum jelas.');
      await rig.server.followUps.settled();
      assert.equal((await rig.followUp(rig.officer.petugas1, thread.id)).status, 'diproses');
      assert.equal((await rig.api.get(`/api/threads/${thread.id}`).expect(200)).body.thread.followUp.status, 'diproses');
    });
  });

  describe('the queue', () => {
    it('lists soonest due first with counts, filters by status, words and tracking, and pages with an opaque cursor', async (t) => {
      const rig = await queueRig(t, kind);
      const asker = await rig.visitor();
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) {
        const thread = await rig.ask(asker.auth);
        await rig.request(asker.auth, thread.id);
        ids.push(thread.id);
        rig.clock.now += 10 * 60_000;
      }
      const page = (query: string) => rig.api.get(`/api/officer/queue${query}`).set(rig.officer.petugas1).expect(200).then((r) => r.body);
      const first = await page('?limit=2');
      assert.deepEqual(first.items.map((i: { thread: { id: string } }) => i.thread.id), ids.slice(0, 2));
      assert.equal(first.counts.byStatus.baru, 3);
      assert.equal(first.counts.bySla.ok, 3);
      const second = await page(`?limit=2&cursor=${first.nextCursor}`);
      assert.deepEqual(second.items.map((i: { thread: { id: string } }) => i.thread.id), [ids[2]]);
      assert.equal(second.nextCursor, undefined);
      assert.equal((await rig.api.get('/api/officer/queue?cursor=bukan-kursor').set(rig.officer.petugas1).expect(400)).body.error.field, 'cursor');
      assert.equal((await rig.api.get('/api/officer/queue?status=tamat').set(rig.officer.petugas1).expect(400)).body.error.field, 'status');

      const byTracking = await page('?q=kr1-2026-000002');
      assert.deepEqual(byTracking.items.map((i: { followUp: { tracking: string } }) => i.followUp.tracking), ['KR1-2026-000002']);
      assert.equal((await page('?q=pangkat%20april')).items.length, 3);
      assert.equal((await page('?q=pangkat%00april')).items.length, 3, 'a control character separates words (PostgreSQL refuses a NUL)');
      assert.equal((await page('?status=diproses,selesai')).items.length, 0);
      const item = first.items[0];
      assert.equal(item.followUp.reason, 'asker_request');
      assert.equal(item.followUp.timeZone, 'Asia/Jakarta');
      assert.equal(item.followUp.minutesLeft, 240 - 30, 'first response: 240 working minutes from the request, 30 gone');
    });
  });

  describe('a restart', () => {
    it('keeps follow-ups, versions and the tracking count', async (t) => {
      const rig = await queueRig(t, kind);
      const asker = await rig.visitor();
      const thread = await rig.ask(asker.auth);
      await rig.request(asker.auth, thread.id);
      await rig.api.post(`/api/officer/threads/${thread.id}/assign`).set(rig.officer.petugas1).send({ officerId: 'officer-petugas1', version: 1 }).expect(200);
      const before = await rig.followUp(rig.officer.petugas1, thread.id);
      await rig.restart();
      assert.deepEqual(await rig.followUp(rig.officer.petugas1, thread.id), before);
      const next = await rig.ask(asker.auth);
      assert.equal((await rig.request(asker.auth, next.id)).tracking, 'KR1-2026-000002');
    });

    it('numbers follow-ups per site and year without gaps or repeats under concurrent requests, across a restart and into the new year in the site’s zone', async (t) => {
      const rig = await queueRig(t, kind);
      const asker = await rig.visitor();
      const askMany = async (site: string, count: number) => {
        const threads = [];
        for (let i = 0; i < count; i++) threads.push(await rig.ask(asker.auth, site));
        return threads;
      };
      const requestAll = async (threads: { id: string }[], auth = asker.auth) =>
        (await Promise.all(threads.map((th) => rig.request(auth, th.id)))).map((f) => f.tracking).sort();
      const numbers = (prefix: string, from: number, to: number) =>
        Array.from({ length: to - from + 1 }, (_, i) => `${prefix}-${String(from + i).padStart(6, '0')}`);

      const one = await askMany('kanreg1', 8);
      const two = await askMany('kanreg2', 4);
      const [first, second] = await Promise.all([requestAll(one), requestAll(two)]);
      assert.deepEqual(first, numbers('KR1-2026', 1, 8));
      assert.deepEqual(second, numbers('KR2-2026', 1, 4));
      // Asking again at once for the same threads hands out no new numbers.
      const again = await Promise.all(one.map((th) => rig.api.post(`/api/threads/${th.id}/follow-up`).set(asker.auth)));
      assert.deepEqual(again.map((r) => r.status), one.map(() => 200));
      assert.deepEqual(again.map((r) => r.body.followUp.tracking).sort(), first);
      await rig.restart();
      assert.deepEqual(await requestAll(await askMany('kanreg1', 4)), numbers('KR1-2026', 9, 12));

      // 31 December 17:30 UTC is already 1 January 00:30 in WIB: the count starts again for 2027.
      rig.clock.now = Date.parse('2026-12-31T17:30:00Z');
      const later = await rig.visitor();
      const threads = [];
      for (let i = 0; i < 3; i++) threads.push(await rig.ask(later.auth));
      assert.deepEqual(await requestAll(threads, later.auth), numbers('KR1-2027', 1, 3));
    });
  });
}
