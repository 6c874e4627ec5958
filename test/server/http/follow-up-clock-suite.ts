/**
 * What happens to follow-ups as time passes and as members vote and flag: the clock pass (SLA states, the
 * breach escalated to the site's supervisors once, auto-close, the timed queue rules) run by the test at
 * times of an injected clock, and the queue rules on votes and flags. Real server, real JSON store.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FollowUpChange } from '../../../server/domain/follow-up-service.js';
import { MINUTE, queueRig, rigSites, type StoreKind } from '../../support/queue-rig.js';

const at = (iso: string) => Date.parse(iso);


/** The suite on one store; `follow-up-clock.test.ts` runs it on the JSON store, `follow-up-clock-pg.test.ts` on PostgreSQL. */
export function followUpClockSuite(kind: StoreKind): void {
  describe('the clock pass', () => {
    it('turns the SLA state to warning at 75% and breached after the due time, telling the site’s supervisors once', async (t) => {
      const rig = await queueRig(t, kind);
      const heard: FollowUpChange[] = [];
      t.after(rig.server.followUps.subscribe((change) => heard.push(change)));
      const asker = await rig.visitor();
      const thread = await rig.ask(asker.auth);
      const { tracking } = await rig.request(asker.auth, thread.id);
      assert.equal(heard.filter((c) => c.kind === 'queue').length, 1, 'the new follow-up was announced');

      // Opened Monday 08:00 WIB with 240 working minutes: warning from 11:00, due at 12:00.
      rig.clock.now = at('2026-03-02T03:59:00Z');
      assert.deepEqual(await rig.server.followUps.clockPass(), { opened: 0, slaChanged: 0, breached: 0, autoClosed: 0 });
      rig.clock.now = at('2026-03-02T04:00:00Z');
      assert.equal((await rig.server.followUps.clockPass()).slaChanged, 1);
      const warned = (await rig.api.get('/api/officer/queue?sla=warning').set(rig.officer.petugas1).expect(200)).body;
      assert.deepEqual(warned.items.map((i: { followUp: { tracking: string } }) => i.followUp.tracking), [tracking]);
      assert.equal(warned.counts.bySla.warning, 1);

      rig.clock.now = at('2026-03-02T05:00:01Z');
      assert.deepEqual(await rig.server.followUps.clockPass(), { opened: 0, slaChanged: 1, breached: 1, autoClosed: 0 });
      assert.deepEqual(await rig.server.followUps.clockPass(), { opened: 0, slaChanged: 0, breached: 0, autoClosed: 0 }, 'once');
      const view = await rig.followUp(rig.officer.petugas1, thread.id);
      assert.deepEqual([view.slaState, view.version], ['breached', 1], 'the clock never makes a view stale');

      const rina = (await rig.api.get('/api/officer/notifications').set(rig.officer.rina).expect(200)).body;
      assert.equal(rina.unread, 1);
      assert.deepEqual(
        rina.notifications.map((n: Record<string, unknown>) => [n.kind, n.tracking, n.site, n.target, n.read]),
        [['sla_breached', tracking, 'kanreg1', 'first_response', false]],
      );
      assert.equal((await rig.api.get('/api/officer/notifications').set(rig.officer.petugas1).expect(200)).body.notifications.length, 0, 'officers are not told');
      assert.equal((await rig.api.get('/api/officer/notifications').set(rig.officer.budi).expect(200)).body.notifications.length, 0, 'nor another site');
      const told = heard.filter((c) => c.kind === 'notification');
      assert.deepEqual(told.map((c) => c.kind === 'notification' && c.notification.officerId), ['officer-rina']);

      await rig.api.post('/api/officer/notifications/read').set(rig.officer.rina).send({ ids: [rina.notifications[0].id] }).expect(204);
      assert.equal((await rig.api.get('/api/officer/notifications').set(rig.officer.rina).expect(200)).body.unread, 0);

      const audit = (await rig.api.get('/api/officer/audit').set(rig.officer.rina).expect(200)).body.entries;
      const escalation = audit.find((e: { action: string }) => e.action === 'followup.escalate');
      assert.deepEqual(escalation.details, { threadId: thread.id, tracking, site: 'kanreg1', target: 'first_response', notified: 1 });
    });

    it('closes a resolved follow-up at the end of the 10th working day after, unless the asker replied', async (t) => {
      const rig = await queueRig(t, kind);
      const asker = await rig.visitor();
      const [quiet, replied] = [await rig.ask(asker.auth), await rig.ask(asker.auth)];
      for (const thread of [quiet, replied]) {
        await rig.request(asker.auth, thread.id);
        await rig.api.post(`/api/officer/threads/${thread.id}/answers`).set(rig.officer.petugas1).send({ body: 'Sudah kami proses, silakan cek SIASN.', clientId: `done-${thread.id}`, followUpVersion: 1 }).expect(201);
        const resolved = (await rig.api.post(`/api/officer/threads/${thread.id}/status`).set(rig.officer.petugas1).send({ status: 'selesai', version: 2 }).expect(200)).body;
        // Resolved Monday 2 March: ten working days after is Monday 16 March, closing 16:00 WIB.
        assert.equal(resolved.followUp.autoCloseAt, '2026-03-16T09:00:00.000Z');
      }
      rig.clock.now = at('2026-03-09T02:00:00Z');
      await rig.answer(asker.auth, replied.id, 'Di SIASN belum berubah.');
      await rig.server.followUps.settled();

      rig.clock.now = at('2026-03-16T08:59:00Z');
      assert.equal((await rig.server.followUps.clockPass()).autoClosed, 0);
      rig.clock.now = at('2026-03-16T09:00:00Z');
      assert.equal((await rig.server.followUps.clockPass()).autoClosed, 1);
      await rig.signIn();
      const closed = await rig.followUp(rig.officer.petugas1, quiet.id);
      assert.deepEqual([closed.status, (closed.history as Array<{ cause: string }>).at(-1)!.cause], ['ditutup', 'auto_close']);
      assert.equal((await rig.api.get(`/api/threads/${quiet.id}`).expect(200)).body.thread.followUp.status, 'ditutup');
      assert.equal((await rig.followUp(rig.officer.petugas1, replied.id)).status, 'diproses', 'the reply reopened it');
    });

    it('puts a thread without answers in the queue after 120 working minutes (unanswered), and a restart keeps the clocks', async (t) => {
      const rig = await queueRig(t, kind);
      const asker = await rig.visitor();
      const silent = await rig.ask(asker.auth);
      const answered = await rig.ask(asker.auth);
      await rig.answer((await rig.visitor()).auth, answered.id);
      rig.clock.now += 119 * MINUTE;
      assert.equal((await rig.server.followUps.clockPass()).opened, 0);
      rig.clock.now += 1 * MINUTE;
      assert.equal((await rig.server.followUps.clockPass()).opened, 1);
      const queued = await rig.followUp(rig.officer.petugas1, silent.id);
      assert.equal(queued.reason, 'unanswered');
      assert.equal((await rig.api.get(`/api/officer/threads/${answered.id}`).set(rig.officer.petugas1).expect(200)).body.followUp, undefined);

      // The answered one has no officer answer: no_official_answer after 16 working hours (Tuesday 15:30 WIB).
      await rig.restart();
      rig.clock.now = at('2026-03-03T08:30:00Z');
      await rig.signIn();
      assert.equal((await rig.server.followUps.clockPass()).opened, 1, 'judged again after the restart');
      assert.equal((await rig.followUp(rig.officer.petugas1, answered.id)).reason, 'no_official_answer');
      const again = await rig.followUp(rig.officer.petugas1, silent.id);
      assert.equal(again.slaState, 'breached', 'the first response (due Monday 14:00) was missed while the server was down');
    });
  });

  describe('queue rules per site', () => {
    it('use each site’s own numbers, and a site that switched them off queues nothing by itself', async (t) => {
      const off = { queueRules: { unansweredMinutes: false, noOfficialAnswerHours: false, flagged: false, negativeScore: false } };
      const rig = await queueRig(t, kind, { sites: rigSites({ queueRules: { unansweredMinutes: 30, noOfficialAnswerHours: 1 } }, off) });
      const asker = await rig.visitor();
      const member = await rig.visitor();
      const voter = await rig.visitor();
      const threads: Record<string, { silent: string; answered: string; disliked: string }> = {};
      for (const site of ['kanreg1', 'kanreg2']) {
        const silent = (await rig.ask(asker.auth, site)).id;
        const answered = (await rig.ask(asker.auth, site)).id;
        await rig.answer(member.auth, answered);
        const disliked = (await rig.ask(asker.auth, site)).id;
        const answer = await rig.answer(member.auth, disliked);
        await rig.api.put(`/api/posts/${answer.id}/vote`).set(voter.auth).send({ value: -1 }).expect(200);
        threads[site] = { silent, answered, disliked };
      }
      await rig.server.followUps.settled();
      const reason = async (threadId: string) =>
        (await rig.api.get(`/api/officer/threads/${threadId}`).set(rig.officer.kepala).expect(200)).body.followUp?.reason as string | undefined;
      assert.equal(await reason(threads.kanreg1!.disliked), 'negative_score');
      assert.equal(await reason(threads.kanreg2!.disliked), undefined, 'negativeScore off on kanreg2');

      rig.clock.now += 29 * MINUTE;
      assert.equal((await rig.server.followUps.clockPass()).opened, 0);
      rig.clock.now += 1 * MINUTE;
      assert.equal((await rig.server.followUps.clockPass()).opened, 1);
      assert.equal(await reason(threads.kanreg1!.silent), 'unanswered');
      rig.clock.now += 30 * MINUTE;
      assert.equal((await rig.server.followUps.clockPass()).opened, 1);
      assert.equal(await reason(threads.kanreg1!.answered), 'no_official_answer');

      // A week of working days later kanreg2's threads are still out of the queue.
      rig.clock.now += 7 * 24 * 60 * MINUTE;
      await rig.signIn();
      assert.equal((await rig.server.followUps.clockPass()).opened, 0);
      for (const id of Object.values(threads.kanreg2!)) assert.equal(await reason(id), undefined);

      // The asker's flags count by now (they posted a week ago): a flag queues kanreg1's thread, not kanreg2's.
      for (const site of ['kanreg1', 'kanreg2']) {
        const thread = await rig.ask(member.auth, site);
        const answer = await rig.answer(voter.auth, thread.id);
        await rig.api.post(`/api/posts/${answer.id}/flags`).set(asker.auth).send({ reason: 'salah_informasi' }).expect(201);
        await rig.server.followUps.settled();
        assert.equal(await reason(thread.id), site === 'kanreg1' ? 'flagged' : undefined, site);
      }
    });
  });

  describe('queue rules on votes and flags', () => {
    it('queues a thread when an answer’s score goes below zero', async (t) => {
      const rig = await queueRig(t, kind);
      const asker = await rig.visitor();
      const thread = await rig.ask(asker.auth);
      const answer = await rig.answer((await rig.visitor()).auth, thread.id);
      await rig.api.put(`/api/posts/${answer.id}/vote`).set((await rig.visitor()).auth).send({ value: -1 }).expect(200);
      await rig.server.followUps.settled();
      assert.equal((await rig.followUp(rig.officer.petugas1, thread.id)).reason, 'negative_score');
    });

    it('queues a thread when a counted member flags an answer, even below the weight that hides it', async (t) => {
      const rig = await queueRig(t, kind);
      const asker = await rig.visitor();
      const flagger = await rig.visitor();
      await rig.ask(flagger.auth); // one post, and a day later the flagger's flags count
      const thread = await rig.ask(asker.auth);
      const answer = await rig.answer((await rig.visitor()).auth, thread.id);
      await rig.api.post(`/api/posts/${answer.id}/flags`).set((await rig.visitor()).auth).send({ reason: 'salah_informasi' }).expect(201);
      await rig.server.followUps.settled();
      assert.equal((await rig.api.get(`/api/officer/threads/${thread.id}`).set(rig.officer.petugas1).expect(200)).body.followUp, undefined, "a brand-new member's flag weighs nothing");

      rig.clock.now += 25 * 60 * MINUTE;
      await rig.signIn();
      const flagged = await rig.api.post(`/api/posts/${answer.id}/flags`).set(flagger.auth).send({ reason: 'salah_informasi' }).expect(201);
      assert.equal(flagged.body.hidden, false);
      await rig.server.followUps.settled();
      assert.equal((await rig.followUp(rig.officer.petugas1, thread.id)).reason, 'flagged');
    });
  });
}
