import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HOUR, OFFICER_PASSWORD, refused, trustRig } from '../../support/trust-rig.js';

describe('endorsing answers', () => {
  it('gives +25 for an officer endorsement, shows "Dibenarkan petugas" first, and audits it', async (t) => {
    const { newMember, question, answer, officers, officer, service, reputation } = await trustRig(t);
    const a = await newMember('Sinta');
    const thread = await question(await newMember('Tono'));
    await answer(await newMember('Umar'), thread.id);
    const p = await answer(a, thread.id);
    const endorsed = await officers.endorse(officer, p.id, true);
    assert.equal(endorsed.endorsed?.by, 'Petugas Kanreg I');
    assert.equal(await reputation(a), 26);
    assert.equal((await service.getThread(thread.id)).posts[0]!.id, p.id);
    assert.equal((await officers.audit(a.id))[0]!.action, 'post.endorse');
    await officers.endorse(officer, p.id, false);
    assert.equal(await reputation(a), 1);
  });
});

describe('recomputing reputation', () => {
  it('marks officers\' answers official and can be recomputed from scratch to the same figures', async (t) => {
    const { newMember, participant, question, answer, officers, officer, trust, actor, advance } = await trustRig(t);
    const thread = await question(await newMember('Vina'));
    const p = await answer(officer, thread.id);
    assert.equal(p.official, true);
    assert.equal(p.author?.officer, true);
    const member = await answer(await newMember('Wulan'), thread.id);
    const voter = await participant('Xaverius');
    advance(25 * HOUR);
    await trust.vote(await actor(voter), member.id, 1);
    const result = await officers.recomputeAll(officer);
    assert.equal(result.changed, 0);
    assert.ok(result.members > 0);
  });
});

describe('verification decisions', () => {
  it('approve a request into a badge, publish it live, revoke it, and audit both', async (t) => {
    const { newMember, trust, actor, officers, officer, memberEvents, clock } = await trustRig(t);
    const a = await newMember('Analis');
    await trust.requestVerification(await actor(a), { nip: '19850312 201001 1 003', instansi: 'BKD Kab. Sleman', jabatan: 'Analis Kepegawaian' });
    const [request] = (await officers.listRequests('pending')).filter((r) => r.member.id === a.id);
    assert.equal(request!.nip, '198503122010011003');
    assert.equal(request!.nipInfo.gender, 'pria');
    memberEvents.length = 0;
    await officers.decide(officer, request!.id, 'approved', 'Sesuai data SIASN');
    const profile = await trust.profile(a.id);
    assert.deepEqual(profile.verified, { jabatan: 'Analis Kepegawaian', instansi: 'BKD Kab. Sleman', at: new Date(clock.now).toISOString() });
    assert.ok(memberEvents.some((m) => m.id === a.id && m.verified), 'a live member update was published');
    assert.ok(!JSON.stringify(profile).includes('198503122010011003'), 'no NIP in the profile');
    await refused(officers.decide(officer, request!.id, 'rejected'), 'request_decided');

    await officers.revoke(officer, a.id, 'Pindah instansi');
    assert.equal((await trust.profile(a.id)).verified, undefined);
    assert.deepEqual((await officers.audit(a.id)).map((e) => e.action), ['verification.revoke', 'verification.approve']);
  });
});

describe('a revoked badge', () => {
  it('shows in the member\'s own status as revoked, with the date and the officer\'s note, until they ask again', async (t) => {
    const { newMember, trust, actor, officers, officer, advance, clock } = await trustRig(t);
    const a = await newMember('Analis');
    await trust.requestVerification(await actor(a), { nip: '198503122010011003', instansi: 'BKD Kab. Sleman', jabatan: 'Analis Kepegawaian' });
    const [request] = await officers.listRequests('pending');
    await officers.decide(officer, request!.id, 'approved', 'Sesuai data SIASN');
    assert.equal((await trust.myVerification(await actor(a))).status, 'approved');
    advance(3 * 24 * HOUR);
    await officers.revoke(officer, a.id, 'Pindah instansi');
    const mine = await trust.myVerification(await actor(a));
    assert.equal(mine.status, 'revoked');
    assert.equal(mine.revokedAt, new Date(clock.now).toISOString());
    assert.equal(mine.revocationNote, 'Pindah instansi');
    assert.equal(mine.instansi, 'BKD Kab. Sleman');
    const again = await trust.requestVerification(await actor(a), { nip: '198503122010011003', instansi: 'BKD Kota Yogyakarta', jabatan: 'Analis Kepegawaian' });
    assert.deepEqual([again.status, again.revokedAt], ['pending', undefined]);
  });
});

describe('the audit log', () => {
  it('keeps the officer\'s note of every approval, rejection and revocation', async (t) => {
    const { newMember, trust, actor, officers, officer } = await trustRig(t);
    const a = await newMember('Analis Satu');
    const b = await newMember('Analis Dua');
    await trust.requestVerification(await actor(a), { nip: '198503122010011003', instansi: 'BKD Kab. Sleman', jabatan: 'Analis Kepegawaian' });
    await trust.requestVerification(await actor(b), { nip: '199001152015031002', instansi: 'BKD Kab. Bantul', jabatan: 'Pengelola Kepegawaian' });
    const requests = await officers.listRequests('pending');
    await officers.decide(officer, requests.find((r) => r.member.id === a.id)!.id, 'approved', 'Sesuai data SIASN');
    await officers.decide(officer, requests.find((r) => r.member.id === b.id)!.id, 'rejected', 'NIP tidak cocok');
    await officers.revoke(officer, a.id, 'Pindah instansi');
    const notes = async (id: string) => (await officers.audit(id)).map((e) => [e.action, e.details?.note]);
    assert.deepEqual(await notes(a.id), [['verification.revoke', 'Pindah instansi'], ['verification.approve', 'Sesuai data SIASN']]);
    assert.deepEqual(await notes(b.id), [['verification.reject', 'NIP tidak cocok']]);
  });
});

describe('officer tools', () => {
  it('reverse every vote of a member and recompute whom they touched', async (t) => {
    const { newMember, participant, question, answer, trust, actor, officers, officer, reputation, advance } = await trustRig(t);
    const ring = await participant('Cincin');
    const target = await newMember('Target');
    const thread = await question(await newMember('Penanya'));
    const p1 = await answer(target, thread.id);
    const p2 = await answer(target, thread.id);
    advance(25 * HOUR);
    await trust.vote(await actor(ring), p1.id, 1);
    await trust.vote(await actor(ring), p2.id, 1);
    assert.equal(await reputation(target), 21);
    assert.deepEqual(await officers.reverseVotes(officer, ring.id), { reversed: 2 });
    assert.equal(await reputation(target), 1);
    assert.equal((await officers.audit(ring.id))[0]!.details?.reversed, 2);
  });

  it('refuse a member token and a wrong password', async (t) => {
    const { service, officers } = await trustRig(t);
    const { token } = await service.registerVisitor({});
    await refused(officers.officer(token), 'forbidden');
    await refused(officers.login('petugas1', 'salah-sandi-123'), 'bad_credentials');
    await refused(officers.login('nobody', OFFICER_PASSWORD), 'bad_credentials');
    assert.equal((await officers.login('petugas1', OFFICER_PASSWORD)).officer.officer, true);
  });
});
