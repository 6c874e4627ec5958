/**
 * Role and site checks on every officer queue route, as a matrix: officer, supervisor and admin, each on a
 * thread of their own site and of another site; then tokens that stopped being good (signed out, expired)
 * and an officer removed or moved while signed in. Access comes from the accounts in force, never the token.
 * Refused writes store nothing.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MINUTE, officerAccounts, queueRig, type Auth, type QueueRig } from '../../support/queue-rig.js';

type Who = 'petugas1' | 'budi' | 'rina' | 'kepala';

/** Each queue route an officer uses on one thread, sent with `auth`; `version` is the follow-up's now. */
function routes(rig: QueueRig, auth: Auth, threadId: string, site: string, version: number, me: string) {
  return {
    thread: () => rig.api.get(`/api/officer/threads/${threadId}`).set(auth),
    status: () => rig.api.post(`/api/officer/threads/${threadId}/status`).set(auth).send({ status: 'diproses', version }),
    assign: () => rig.api.post(`/api/officer/threads/${threadId}/assign`).set(auth).send({ officerId: me, version: version + 1 }),
    answers: () =>
      rig.api
        .post(`/api/officer/threads/${threadId}/answers`)
        .set(auth)
        .send({ body: 'Berkas Anda sedang kami periksa.', clientId: `matrix-${me}-${threadId}`, followUpVersion: version + 2 }),
    queue: () => rig.api.get(`/api/officer/queue?site=${site}`).set(auth),
  };
}

describe('role and site checks on every officer queue route', () => {
  it('lets officer, supervisor and admin work their own sites, and refuses another site’s thread as if it did not exist, storing nothing', async (t) => {
    const rig = await queueRig(t);
    const asker = await rig.visitor();
    // Who works which site: petugas1 (officer) and rina (supervisor) kanreg1, budi (officer) kanreg2, kepala (admin) both.
    const works: Record<Who, string[]> = { petugas1: ['kanreg1'], budi: ['kanreg2'], rina: ['kanreg1'], kepala: ['kanreg1', 'kanreg2'] };
    for (const who of Object.keys(works) as Who[]) {
      for (const site of ['kanreg1', 'kanreg2']) {
        const label = `${who} on ${site}`;
        const thread = await rig.ask(asker.auth, site);
        await rig.request(asker.auth, thread.id);
        const r = routes(rig, rig.officer[who], thread.id, site, 1, `officer-${who}`);
        if (works[who].includes(site)) {
          assert.equal((await r.thread()).status, 200, label);
          assert.equal((await r.status()).body.followUp?.status, 'diproses', label);
          assert.equal((await r.assign()).body.followUp?.assignee?.id, `officer-${who}`, label);
          const answered = await r.answers();
          assert.equal(answered.status, 201, label);
          assert.equal(answered.body.followUp.version, 4, label);
          assert.equal((await r.queue()).status, 200, label);
        } else {
          for (const [name, call] of Object.entries(r)) {
            const res = await call();
            if (name === 'queue') {
              assert.deepEqual([res.status, res.body.error.code, res.body.error.field], [403, 'forbidden', 'site'], `${label}: ${name}`);
            } else {
              assert.deepEqual([res.status, res.body.error.code], [404, 'thread_not_found'], `${label}: ${name}`);
            }
          }
          // Nothing stored: the admin sees the follow-up as opened, without an assignee or posts.
          const seen = await rig.api.get(`/api/officer/threads/${thread.id}`).set(rig.officer.kepala).expect(200);
          assert.deepEqual([seen.body.followUp.version, seen.body.followUp.status, seen.body.followUp.assignee], [1, 'baru', undefined], label);
          assert.equal(seen.body.posts.length, 0, label);
        }
      }
    }
    // The role checks within a site: only a supervisor or an admin assigns someone else.
    const thread = await rig.ask(asker.auth);
    await rig.request(asker.auth, thread.id);
    const assignOther = (who: Who, officer: string, version: number) =>
      rig.api.post(`/api/officer/threads/${thread.id}/assign`).set(rig.officer[who]).send({ officerId: `officer-${officer}`, version });
    assert.equal((await assignOther('petugas1', 'petugas2', 1).expect(403)).body.error.code, 'forbidden');
    assert.equal((await assignOther('rina', 'petugas2', 1).expect(200)).body.followUp.assignee.id, 'officer-petugas2');
    assert.equal((await assignOther('kepala', 'petugas1', 2).expect(200)).body.followUp.assignee.id, 'officer-petugas1');
  });

  it('refuses a signed-out and an expired token on every route, each with its code', async (t) => {
    const rig = await queueRig(t);
    const asker = await rig.visitor();
    const thread = await rig.ask(asker.auth);
    await rig.request(asker.auth, thread.id);
    const everyRoute = (auth: Auth) => [
      ...Object.values(routes(rig, auth, thread.id, 'kanreg1', 1, 'officer-petugas1')),
      () => rig.api.get('/api/officer/me').set(auth),
      () => rig.api.get('/api/officer/notifications').set(auth),
      () => rig.api.post('/api/officer/notifications/read').set(auth).send({ ids: ['x'] }),
    ];

    await rig.api.post('/api/officer/logout').set(rig.officer.petugas1).expect(204);
    for (const call of everyRoute(rig.officer.petugas1)) {
      const res = await call();
      assert.deepEqual([res.status, res.body.error.code, res.body.error.reason], [401, 'session_ended', 'logout']);
    }
    // The queue rig's sessions last at most 168 hours after sign-in.
    rig.clock.now += 169 * 60 * MINUTE;
    for (const call of everyRoute(rig.officer.petugas2)) {
      const res = await call();
      assert.deepEqual([res.status, res.body.error.code], [401, 'token_expired']);
    }
    await rig.signIn();
    assert.equal((await rig.followUp(rig.officer.kepala, thread.id)).version, 1, 'nothing stored');
  });

  it('refuses an officer removed while signed in, and a supervisor moved to another site, at the very next request', async (t) => {
    const rig = await queueRig(t);
    const asker = await rig.visitor();
    const thread = await rig.ask(asker.auth);
    await rig.request(asker.auth, thread.id);
    await rig.api.get(`/api/officer/threads/${thread.id}`).set(rig.officer.petugas2).expect(200);
    await rig.api.get(`/api/officer/threads/${thread.id}`).set(rig.officer.rina).expect(200);

    const accounts = (await officerAccounts())
      .filter((a) => a.username !== 'petugas2')
      .map((a) => (a.username === 'rina' ? { ...a, sites: ['kanreg2'] } : a));
    await rig.server.officers.reloadAccounts(accounts);

    for (const call of Object.values(routes(rig, rig.officer.petugas2, thread.id, 'kanreg1', 1, 'officer-petugas2'))) {
      const res = await call();
      assert.equal(res.status, 401);
      assert.deepEqual([res.body.error.code, res.body.error.reason], ['session_ended', 'account_removed']);
    }
    for (const [name, call] of Object.entries(routes(rig, rig.officer.rina, thread.id, 'kanreg1', 1, 'officer-rina'))) {
      const res = await call();
      assert.equal(res.status, name === 'queue' ? 403 : 404, name);
    }
    // A removed officer cannot be given work either.
    const res = await rig.api.post(`/api/officer/threads/${thread.id}/assign`).set(rig.officer.kepala).send({ officerId: 'officer-petugas2', version: 1 });
    assert.deepEqual([res.status, res.body.error.field], [400, 'officerId']);
    assert.equal((await rig.followUp(rig.officer.kepala, thread.id)).version, 1, 'nothing stored');
  });
});
