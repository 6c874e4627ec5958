/**
 * The officers' live channel carrying the follow-up queue: real follow-ups opened through REST on a real server
 * (injected clock), real ws clients on loopback. `officer-queue-live.test.ts` runs it on the JSON store,
 * `officer-queue-live-pg.test.ts` on PostgreSQL. Sessions, presence and refusals are in officer-channel.test.ts.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { officerAccounts, queueRig, type QueueRig, type StoreKind } from '../../support/queue-rig.js';
import { TestClient } from '../../support/ws-client.js';

/** The suite on one store. */
export function officerQueueLiveSuite(kind: StoreKind): void {
  describe('the queue, live', () => {
    type Username = 'petugas1' | 'petugas2' | 'rina' | 'budi' | 'kepala';

    /** A queue-rig officer's socket, welcomed (kanreg1: petugas1, petugas2, rina supervisor; kanreg2: budi; kepala: admin). */
    async function queueSocket(q: QueueRig, username: Username): Promise<TestClient> {
      const ws = await TestClient.connect(`ws://127.0.0.1:${q.server.port}/ws`);
      ws.send({ type: 'officer-hello', v: 1, token: q.officer[username].Authorization!.slice('Bearer '.length) });
      await ws.waitFor('officer-welcome');
      return ws;
    }

    it('sends a follow-up opened through REST to the officers of its site and to an admin, and nothing to another site', async (t) => {
      const q = await queueRig(t, kind);
      const [petugas1, kepala, budi] = [await queueSocket(q, 'petugas1'), await queueSocket(q, 'kepala'), await queueSocket(q, 'budi')];
      assert.deepEqual(budi.of('officer-welcome')[0]!.sites, ['kanreg2']);
      const asker = await q.visitor();
      const thread = await q.ask(asker.auth);
      const { tracking } = await q.request(asker.auth, thread.id);

      const frame = await petugas1.waitFor('queue', (f) => f.item.thread.id === thread.id);
      assert.deepEqual([frame.item.followUp.tracking, frame.item.followUp.status, frame.item.followUp.site], [tracking, 'baru', 'kanreg1']);
      await kepala.waitFor('queue', (f) => f.item.followUp.tracking === tracking);
      // The change was sent to every socket in one pass, so anything for Budi precedes his pong.
      await budi.barrier();
      assert.equal(budi.of('queue').length, 0, 'an officer of kanreg2 hears nothing of kanreg1');

      // A change made by an officer reaches the others the same way.
      const version = frame.item.followUp.version;
      await q.api.post(`/api/officer/threads/${thread.id}/assign`).set(q.officer.petugas1).send({ officerId: 'officer-petugas1', version }).expect(200);
      const assigned = await kepala.waitFor('queue', (f) => f.item.followUp.assignee?.id === 'officer-petugas1');
      assert.equal(assigned.item.followUp.version, version + 1);
      await budi.barrier();
      assert.equal(budi.of('queue').length, 0);
      for (const ws of [petugas1, kepala, budi]) ws.close();
    });

    it('sends an escalation to the supervisor it is for, without the receiver id, and to nobody else', async (t) => {
      const q = await queueRig(t, kind);
      const [rina, petugas1] = [await queueSocket(q, 'rina'), await queueSocket(q, 'petugas1')];
      const asker = await q.visitor();
      const thread = await q.ask(asker.auth);
      const { tracking } = await q.request(asker.auth, thread.id);
      // Opened Monday 08:00 WIB with 240 working minutes to the first response: breached after 12:00 WIB.
      q.clock.now = Date.parse('2026-03-02T05:00:01Z');
      assert.equal((await q.server.followUps.clockPass()).breached, 1);

      const told = await rina.waitFor('notification');
      assert.deepEqual(
        { ...told.notification, id: 'x', at: 'x' },
        { id: 'x', at: 'x', kind: 'sla_breached', threadId: thread.id, tracking, site: 'kanreg1', target: 'first_response', read: false },
      );
      // The breach is a queue change for every officer of the site.
      await petugas1.waitFor('queue', (f) => f.item.followUp.slaState === 'breached');
      // Rina has it, and a notification goes to every socket in one pass: anything for Petugas Satu precedes his pong.
      await petugas1.barrier();
      assert.equal(petugas1.of('notification').length, 0, 'officers are not told');
      rina.close();
      petugas1.close();
    });

    it('gives the REST thread view the officers the channel knows to be on the thread', async (t) => {
      const q = await queueRig(t, kind);
      const asker = await q.visitor();
      const thread = await q.ask(asker.auth);
      await q.request(asker.auth, thread.id);
      // Petugas Satu watches the thread over her own socket: the frame telling her that Petugas Dua types is the
      // barrier after which the channel knows it (a ping would overtake the frames' asynchronous handling).
      const petugas1 = await queueSocket(q, 'petugas1');
      petugas1.send({ type: 'view', threadId: thread.id });
      const petugas2 = await queueSocket(q, 'petugas2');
      petugas2.send({ type: 'view', threadId: thread.id });
      petugas2.send({ type: 'typing', threadId: thread.id });
      await petugas1.waitFor('officer-presence', (f) => f.officers.some((o) => o.officer.name === 'Petugas Dua' && o.typing));
      const view = (await q.api.get(`/api/officer/threads/${thread.id}`).set(q.officer.petugas1).expect(200)).body;
      assert.deepEqual(
        view.officers.map((o: { officer: { name: string }; typing: boolean }) => [o.officer.name, o.typing]),
        [['Petugas Dua', true]],
      );
      // Petugas Dua's own view does not list her, only Petugas Satu, who is looking without typing.
      const own = (await q.api.get(`/api/officer/threads/${thread.id}`).set(q.officer.petugas2).expect(200)).body;
      assert.deepEqual(
        own.officers.map((o: { officer: { name: string }; typing: boolean }) => [o.officer.name, o.typing]),
        [['Petugas Satu', false]],
      );
      petugas1.close();
      petugas2.close();
    });

    it('takes a change of sites at once: a fresh welcome, the new site’s queue, and the old site’s thread left', async (t) => {
      const q = await queueRig(t, kind);
      const asker = await q.visitor();
      const there = await q.ask(asker.auth, 'kanreg2');
      const budi = await queueSocket(q, 'budi');
      const kepala = await queueSocket(q, 'kepala');
      budi.send({ type: 'view', threadId: there.id });
      kepala.send({ type: 'view', threadId: there.id });
      await kepala.waitFor('officer-presence', (f) => f.officers.length === 1);

      const before = q.server.officers.accountsVersion;
      const accounts = (await officerAccounts()).map((a) => (a.username === 'budi' ? { ...a, sites: ['kanreg1'] } : a));
      writeFileSync(join(q.dir, 'officers.json'), JSON.stringify(accounts));
      const welcome = await budi.waitFor('officer-welcome', (f) => f.sites.join() === 'kanreg1', 10_000);
      assert.equal(welcome.role, 'officer');
      await kepala.waitFor('officer-presence', (f) => f.officers.length === 0);
      assert.ok(q.server.officers.accountsVersion > before);

      const here = await q.ask(asker.auth);
      await q.request(asker.auth, here.id);
      await budi.waitFor('queue', (f) => f.item.thread.id === here.id);
      budi.close();
      kepala.close();
    });
  });
}
