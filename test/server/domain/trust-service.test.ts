import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DomainError } from '../../../server/domain/errors.js';
import type { Visitor } from '../../../server/domain/model.js';
import { hashPassword } from '../../../server/domain/passwords.js';
import { ConsultationService, type Actor } from '../../../server/domain/service.js';
import { DEMO_SITE } from '../../../server/domain/sites.js';
import { TokenSigner } from '../../../server/domain/tokens.js';
import { OfficerService } from '../../../server/domain/officer-service.js';
import { TrustService } from '../../../server/domain/trust-service.js';
import { DEFAULT_TRUST_RULES, type TrustRules } from '../../../server/domain/trust.js';
import type { MemberSummary } from '../../../server/protocol.js';
import { JsonStore } from '../../../server/store/json-store.js';

const HOUR = 3_600_000;
const wide = { capacity: 1e9, perMinute: 1e9 };
const RULES: TrustRules = {
  ...DEFAULT_TRUST_RULES,
  limits: {
    ...DEFAULT_TRUST_RULES.limits,
    post: { member: wide, newMember: wide, ip: wide },
    vote: { member: wide, newMember: wide, ip: wide, daily: 1e9, newMemberDaily: 1e9 },
    flag: { member: wide, ip: wide, daily: 1e9 },
  },
};

let clock = Date.parse('2026-11-02T02:00:00Z'); // 09:00 WIB
let dir: string;
let store: JsonStore;
let service: ConsultationService;
let trust: TrustService;
let officers: OfficerService;
let officer: Visitor;
const memberEvents: MemberSummary[] = [];
let n = 0;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'osg-trust-'));
  store = new JsonStore({ dir });
  await store.open();
  const tokens = new TokenSigner('s'.repeat(32), 86_400);
  service = new ConsultationService({ store, sites: [DEMO_SITE], tokens, now: () => clock, trust: RULES });
  trust = new TrustService({ store, consultation: service, now: () => clock });
  officers = new OfficerService({
    store,
    consultation: service,
    tokens,
    now: () => clock,
    officers: [{ username: 'petugas1', name: 'Petugas Kanreg I', passwordHash: await hashPassword('rahasia-petugas-1') }],
  });
  await officers.syncOfficers();
  service.members.onChange((m) => memberEvents.push(m));
  officer = await service.authenticate((await officers.login('petugas1', 'rahasia-petugas-1')).token);
});
after(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const fresh = async (v: Visitor) => service.authenticateId(v.id);
const actor = async (v: Visitor): Promise<Actor> => ({ visitor: await fresh(v) });
async function newMember(name: string): Promise<Visitor> {
  const { token } = await service.registerVisitor({ name });
  return service.authenticate(token);
}
async function question(by: Visitor) {
  return (await service.ask(await actor(by), 'kanreg1', { title: `Pertanyaan uji ${n}`, body: 'Isi pertanyaan untuk uji kepercayaan.', category: 'lainnya', clientId: `q-${n++}-xxxxxx` })).thread;
}
async function answer(by: Visitor, threadId: string) {
  return (await service.answer(await actor(by), threadId, { body: 'Jawaban yang membantu.', clientId: `a-${n++}-xxxxxx` })).post;
}
/** A member who has posted once and is older than a day: their votes count. */
async function participant(name: string): Promise<Visitor> {
  const m = await newMember(name);
  await question(m);
  return m;
}
const reputation = async (v: Visitor) => (await trust.profile(v.id)).reputation;
const refused = async (p: Promise<unknown>, code: string) =>
  assert.rejects(p, (e: unknown) => e instanceof DomainError && e.code === code, code);

describe('rating answers', () => {
  it('refuses a vote on one\'s own answer, and the same vote twice', async () => {
    const a = await newMember('Ani');
    const b = await newMember('Budi');
    const t = await question(b);
    const p = await answer(a, t.id);
    await refused(trust.vote(await actor(a), p.id, 1), 'self_vote');
    await trust.vote(await actor(b), p.id, 1);
    await refused(trust.vote(await actor(b), p.id, 1), 'already_voted');
  });

  it('lets a member change or withdraw a vote within 5 minutes, then locks it unless the answer is edited', async () => {
    const a = await newMember('Citra');
    const b = await newMember('Dedi');
    const t = await question(b);
    const p = await answer(a, t.id);
    let r = await trust.vote(await actor(b), p.id, 1);
    assert.deepEqual([r.post.up, r.post.down, r.post.score], [1, 0, 1]);
    r = await trust.vote(await actor(b), p.id, -1);
    assert.deepEqual([r.post.up, r.post.down, r.post.score], [0, 1, -1]);
    clock += 6 * 60_000;
    await refused(trust.vote(await actor(b), p.id, 0), 'vote_locked');
    await service.editPost(await actor(a), p.id, 'Jawaban yang sudah diperbaiki.');
    r = await trust.vote(await actor(b), p.id, 0);
    assert.deepEqual([r.post.up, r.post.down], [0, 0]);
    await refused(trust.vote(await actor(b), p.id, 0), 'already_voted');
  });

  it('shows votes of members with too little participation but does not let them move reputation', async () => {
    const a = await newMember('Eka');
    const t = await question(await newMember('Fajar'));
    const p = await answer(a, t.id);
    const before = await reputation(a);
    const newcomer = await newMember('Gita'); // no posts, less than a day old
    const r = await trust.vote(await actor(newcomer), p.id, 1);
    assert.equal(r.post.up, 1);
    assert.equal(await reputation(a), before);
  });
});

describe('reputation from stored events', () => {
  it('adds +10 per counted helpful vote, −2 per unhelpful, and +2 to the asker', async () => {
    const a = await newMember('Hana');
    const asker = await newMember('Indra');
    const t = await question(asker);
    const p = await answer(a, t.id);
    const voters = [await participant('V1'), await participant('V2'), await participant('V3')];
    clock += 25 * HOUR;
    const askerBefore = await reputation(asker);
    await trust.vote(await actor(voters[0]!), p.id, 1);
    await trust.vote(await actor(voters[1]!), p.id, 1);
    await trust.vote(await actor(voters[2]!), p.id, -1);
    assert.equal(await reputation(a), 1 + 10 + 10 - 2);
    assert.equal(await reputation(asker), askerBefore + 2);
  });

  it('caps reputation from votes at 200 a day and never goes below 1', async () => {
    const star = await newMember('Joko');
    const posts = [];
    for (let i = 0; i < 25; i++) posts.push(await answer(star, (await question(await newMember(`Q${i}`))).id));
    const voter = await participant('Kartika');
    clock += 25 * HOUR;
    for (const p of posts) await trust.vote(await actor(voter), p.id, 1);
    assert.equal(await reputation(star), 1 + 200);
    clock += 24 * HOUR;
    const critic = await participant('Lukman');
    const target = await answer(await newMember('Mira'), (await question(star)).id);
    clock += 25 * HOUR;
    await trust.vote(await actor(critic), target.id, -1);
    assert.equal(await reputation({ id: target.authorId } as Visitor), 1);
  });

  it('gives +15 for the accepted answer, moves it when the asker changes it, and nothing for accepting oneself', async () => {
    const asker = await newMember('Nina');
    const a = await newMember('Oki');
    const b = await newMember('Putri');
    const t = await question(asker);
    const pa = await answer(a, t.id);
    const pb = await answer(b, t.id);
    await refused(trust.accept(await actor(a), t.id, pa.id), 'not_asker');
    await trust.accept(await actor(asker), t.id, pa.id);
    assert.equal(await reputation(a), 16);
    const view = await trust.accept(await actor(asker), t.id, pb.id);
    assert.equal(view.acceptedPostId, pb.id);
    assert.equal(await reputation(a), 1);
    assert.equal(await reputation(b), 16);
    const own = await answer(asker, t.id);
    const before = await reputation(asker);
    await trust.accept(await actor(asker), t.id, own.id);
    assert.equal(await reputation(asker), before);
    const other = await question(await newMember('Rudi'));
    await refused(trust.accept(await actor(asker), t.id, (await answer(a, other.id)).id), 'not_an_answer');
  });

  it('gives +25 for an officer endorsement, shows "Dibenarkan petugas" first, and audits it', async () => {
    const a = await newMember('Sinta');
    const t = await question(await newMember('Tono'));
    await answer(await newMember('Umar'), t.id);
    const p = await answer(a, t.id);
    const endorsed = await officers.endorse(officer, p.id, true);
    assert.equal(endorsed.endorsed?.by, 'Petugas Kanreg I');
    assert.equal(await reputation(a), 26);
    const thread = await service.getThread(t.id);
    assert.equal(thread.posts[0]!.id, p.id);
    const audit = await officers.audit(a.id);
    assert.equal(audit[0]!.action, 'post.endorse');
    await officers.endorse(officer, p.id, false);
    assert.equal(await reputation(a), 1);
  });

  it('marks officers\' answers official and can be recomputed from scratch to the same figures', async () => {
    const t = await question(await newMember('Vina'));
    const p = await answer(officer, t.id);
    assert.equal(p.official, true);
    assert.equal(p.author?.officer, true);
    const result = await officers.recomputeAll(officer);
    assert.equal(result.changed, 0);
    assert.ok(result.members > 0);
  });
});

describe('flags', () => {
  it('hide an answer once enough weight of distinct members reported it; the author sees why', async () => {
    const author = await newMember('Wawan');
    const t = await question(await newMember('Xena'));
    const p = await answer(author, t.id);
    const reporters = [await newMember('R1'), await newMember('R2'), await newMember('R3'), await newMember('R4'), await newMember('R5')];
    await refused(trust.flag(await actor(author), p.id, 'spam'), 'forbidden');
    // New members weigh 0.5 each: six flags would be needed; five are not enough.
    for (const r of reporters) assert.equal((await trust.flag(await actor(r), p.id, 'spam')).hidden, false);
    await refused(trust.flag(await actor(reporters[0]!), p.id, 'spam'), 'already_flagged');
    assert.equal((await trust.flag(await actor(await newMember('R6')), p.id, 'salah_informasi')).hidden, true);

    const publicView = (await service.getThread(t.id)).posts.find((x) => x.id === p.id)!;
    assert.equal(publicView.body, '');
    assert.deepEqual(publicView.hidden, { reason: 'spam', status: 'pending' });
    const authorView = (await service.getThread(t.id, undefined, await fresh(author))).posts.find((x) => x.id === p.id)!;
    assert.equal(authorView.body, 'Jawaban yang membantu.');
    await refused(trust.vote(await actor(reporters[0]!), p.id, 1), 'answer_hidden');

    const queue = await officers.flagged('pending');
    assert.ok(queue.some((f) => f.post.id === p.id && f.flags.length === 6));
    await officers.review(officer, p.id, 'restore');
    assert.equal((await service.getThread(t.id)).posts.find((x) => x.id === p.id)!.body, 'Jawaban yang membantu.');
    assert.deepEqual(await store.flagsFor({ postId: p.id }), []);
  });

  it('an officer\'s flag hides at once', async () => {
    const t = await question(await newMember('Yuni'));
    const p = await answer(await newMember('Zaki'), t.id);
    assert.equal((await trust.flag({ visitor: officer }, p.id, 'tidak_pantas')).hidden, true);
  });
});

describe('verification', () => {
  it('is requested with a valid NIP, approved by an officer, shown as a badge, revoked, and audited', async () => {
    const a = await newMember('Analis');
    await refused(trust.requestVerification(await actor(a), { nip: '19850230 201001 1 003', instansi: 'BKD Kab. Sleman', jabatan: 'Analis Kepegawaian' }), 'invalid_nip');
    const mine = await trust.requestVerification(await actor(a), { nip: '19850312 201001 1 003', instansi: 'BKD Kab. Sleman', jabatan: 'Analis Kepegawaian' });
    assert.equal(mine.status, 'pending');
    assert.equal(mine.nipMasked, '••••••••••••••1003');
    await refused(trust.requestVerification(await actor(a), { nip: '198503122010011003', instansi: 'BKD Kab. Sleman', jabatan: 'Analis' }), 'verification_pending');

    const [request] = (await officers.listRequests('pending')).filter((r) => r.member.id === a.id);
    assert.equal(request!.nip, '198503122010011003');
    assert.equal(request!.nipInfo.gender, 'pria');
    memberEvents.length = 0;
    await officers.decide(officer, request!.id, 'approved', 'Sesuai data SIASN');
    const profile = await trust.profile(a.id);
    assert.deepEqual(profile.verified, { jabatan: 'Analis Kepegawaian', instansi: 'BKD Kab. Sleman', at: new Date(clock).toISOString() });
    assert.ok(memberEvents.some((m) => m.id === a.id && m.verified), 'a live member update was published');
    assert.ok(!JSON.stringify(profile).includes('198503122010011003'), 'no NIP in the profile');
    await refused(officers.decide(officer, request!.id, 'rejected'), 'request_decided');

    await officers.revoke(officer, a.id, 'Pindah instansi');
    assert.equal((await trust.profile(a.id)).verified, undefined);
    const actions = (await officers.audit(a.id)).map((e) => e.action);
    assert.deepEqual(actions, ['verification.revoke', 'verification.approve']);
  });
});

describe('officer tools', () => {
  it('reverse every vote of a member and recompute whom they touched', async () => {
    const ring = await participant('Cincin');
    const target = await newMember('Target');
    const t = await question(await newMember('Penanya'));
    const p1 = await answer(target, t.id);
    const p2 = await answer(target, t.id);
    clock += 25 * HOUR;
    await trust.vote(await actor(ring), p1.id, 1);
    await trust.vote(await actor(ring), p2.id, 1);
    assert.equal(await reputation(target), 21);
    assert.deepEqual(await officers.reverseVotes(officer, ring.id), { reversed: 2 });
    assert.equal(await reputation(target), 1);
    assert.equal((await officers.audit(ring.id))[0]!.details?.reversed, 2);
  });

  it('refuses a member token and a wrong password', async () => {
    const { token } = await service.registerVisitor({});
    await refused(officers.officer(token), 'forbidden');
    await refused(officers.login('petugas1', 'salah-sandi-123'), 'bad_credentials');
    await refused(officers.login('nobody', 'rahasia-petugas-1'), 'bad_credentials');
  });
});

describe('levels and limits', () => {
  it('limit a brand-new member more tightly than others, with a retry time', async () => {
    const limited = new ConsultationService({ store, sites: [DEMO_SITE], tokens: new TokenSigner('s'.repeat(32), 86_400), now: () => clock });
    const { token } = await limited.registerVisitor({});
    const v = await limited.authenticate(token);
    const ask = (i: number) => limited.ask({ visitor: v }, 'kanreg1', { title: `Batas kiriman ${i}`, body: 'Uji batas kiriman anggota baru.', category: 'lainnya', clientId: `lim-${i}-xxxxxx` });
    for (let i = 0; i < DEFAULT_TRUST_RULES.limits.post.newMember.capacity; i++) await ask(i);
    await assert.rejects(ask(99), (e: unknown) => e instanceof DomainError && e.code === 'rate_limited' && (e.details.retryAfterMs ?? 0) > 0);
  });
});
