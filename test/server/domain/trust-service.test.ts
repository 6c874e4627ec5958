import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DomainError } from '../../../server/domain/errors.js';
import { DEFAULT_TRUST_RULES } from '../../../server/domain/trust.js';
import { HOUR, refused, trustRig } from '../../support/trust-rig.js';

describe('display names', () => {
  it('are refused when they are an officer\'s or claim a role, at registration and on every rename', async (t) => {
    const { service, trust, newMember, actor, officer } = await trustRig(t);
    await refused(service.registerVisitor({ name: 'Petugas Kanreg 1' }), 'name_reserved');
    await refused(service.registerVisitor({ name: 'PETUGAS  KANREG I' }), 'name_reserved');
    const m = await newMember('Budi');
    await refused(trust.updateProfile(await actor(m), { name: 'Pétugas Kanreg I' }), 'name_reserved');
    await refused(service.renameVisitor(await actor(m), 'Admin BKN'), 'name_reserved');
    await refused(trust.updateProfile(await actor(m), { name: '\u200B\u200B\u200B' }), 'invalid_text');
    assert.equal((await trust.updateProfile(await actor(m), { name: 'Budi Santoso' })).name, 'Budi Santoso');
    // Officers keep the name configuration gives them.
    assert.equal((await trust.updateProfile({ visitor: officer }, { name: 'Petugas Kanreg I', bidang: 'Mutasi' })).name, 'Petugas Kanreg I');
  });
});

describe('rating answers', () => {
  it('refuses a vote on one\'s own answer, and the same vote twice', async (t) => {
    const { newMember, question, answer, trust, actor } = await trustRig(t);
    const a = await newMember('Ani');
    const b = await newMember('Budi');
    const p = await answer(a, (await question(b)).id);
    await refused(trust.vote(await actor(a), p.id, 1), 'self_vote');
    await trust.vote(await actor(b), p.id, 1);
    await refused(trust.vote(await actor(b), p.id, 1), 'already_voted');
  });

  it('lets a member change or withdraw a vote within 5 minutes, then locks it unless the answer is edited', async (t) => {
    const { newMember, question, answer, trust, actor, service, advance } = await trustRig(t);
    const a = await newMember('Citra');
    const b = await newMember('Dedi');
    const p = await answer(a, (await question(b)).id);
    let r = await trust.vote(await actor(b), p.id, 1);
    assert.deepEqual([r.post.up, r.post.down, r.post.score], [1, 0, 1]);
    r = await trust.vote(await actor(b), p.id, -1);
    assert.deepEqual([r.post.up, r.post.down, r.post.score], [0, 1, -1]);
    advance(6 * 60_000);
    await refused(trust.vote(await actor(b), p.id, 0), 'vote_locked');
    await service.editPost(await actor(a), p.id, 'Jawaban yang sudah diperbaiki.');
    r = await trust.vote(await actor(b), p.id, 0);
    assert.deepEqual([r.post.up, r.post.down], [0, 0]);
    await refused(trust.vote(await actor(b), p.id, 0), 'already_voted');
  });

  it('shows votes of members with too little participation but does not let them move reputation', async (t) => {
    const { newMember, question, answer, trust, actor, reputation } = await trustRig(t);
    const a = await newMember('Eka');
    const p = await answer(a, (await question(await newMember('Fajar'))).id);
    const before = await reputation(a);
    const newcomer = await newMember('Gita'); // no posts, less than a day old
    const r = await trust.vote(await actor(newcomer), p.id, 1);
    assert.equal(r.post.up, 1);
    assert.equal(await reputation(a), before);
  });
});

describe('reputation from stored events', () => {
  it('adds +10 per counted helpful vote, −2 per unhelpful, and +2 to the asker', async (t) => {
    const { newMember, participant, question, answer, trust, actor, reputation, advance } = await trustRig(t);
    const a = await newMember('Hana');
    const asker = await newMember('Indra');
    const p = await answer(a, (await question(asker)).id);
    const voters = [await participant('V1'), await participant('V2'), await participant('V3')];
    advance(25 * HOUR);
    const askerBefore = await reputation(asker);
    await trust.vote(await actor(voters[0]!), p.id, 1);
    await trust.vote(await actor(voters[1]!), p.id, 1);
    await trust.vote(await actor(voters[2]!), p.id, -1);
    assert.equal(await reputation(a), 1 + 10 + 10 - 2);
    assert.equal(await reputation(asker), askerBefore + 2);
  });

  it('caps reputation from votes at 200 a day and never goes below 1', async (t) => {
    const { newMember, participant, question, answer, trust, actor, reputation, advance } = await trustRig(t);
    const star = await newMember('Joko');
    const posts = [];
    for (let i = 0; i < 25; i++) posts.push(await answer(star, (await question(await newMember(`Q${i}`))).id));
    const voter = await participant('Kartika');
    advance(25 * HOUR);
    for (const p of posts) await trust.vote(await actor(voter), p.id, 1);
    assert.equal(await reputation(star), 1 + 200);
    advance(24 * HOUR);
    const critic = await participant('Lukman');
    const target = await answer(await newMember('Mira'), (await question(star)).id);
    advance(25 * HOUR);
    await trust.vote(await actor(critic), target.id, -1);
    assert.equal(await reputation({ id: target.authorId }), 1);
  });

  it('gives +15 for the accepted answer, moves it when the asker changes it, and nothing for accepting oneself', async (t) => {
    const { newMember, participant, question, answer, trust, actor, reputation, advance } = await trustRig(t);
    const asker = await participant('Nina');
    const a = await newMember('Oki');
    const b = await newMember('Putri');
    advance(25 * HOUR); // the asker's acceptance counts like a vote: a day old and has posted
    const t1 = await question(asker);
    const pa = await answer(a, t1.id);
    const pb = await answer(b, t1.id);
    await refused(trust.accept(await actor(a), t1.id, pa.id), 'not_asker');
    await trust.accept(await actor(asker), t1.id, pa.id);
    assert.equal(await reputation(a), 16);
    const view = await trust.accept(await actor(asker), t1.id, pb.id);
    assert.equal(view.acceptedPostId, pb.id);
    assert.equal(await reputation(a), 1);
    assert.equal(await reputation(b), 16);
    const own = await answer(asker, t1.id);
    const before = await reputation(asker);
    await trust.accept(await actor(asker), t1.id, own.id);
    assert.equal(await reputation(asker), before);
    const other = await question(await newMember('Rudi'));
    await refused(trust.accept(await actor(asker), t1.id, (await answer(a, other.id)).id), 'not_an_answer');
  });
});

describe('acceptance and reputation farming', () => {
  it('earns nothing when the asker\'s votes would not count yet (a day old, has posted)', async (t) => {
    const { newMember, question, answer, trust, actor, reputation } = await trustRig(t);
    const answerer = await newMember('Penjawab Baru');
    for (let i = 0; i < 3; i++) {
      const asker = await newMember(`Penanya Baru ${i}`);
      const thread = await question(asker);
      await trust.accept(await actor(asker), thread.id, (await answer(answerer, thread.id)).id);
    }
    assert.equal(await reputation(answerer), 1);
    assert.equal((await trust.profile(answerer.id)).level, 'baru');
  });

  it('counts the same asker → answerer pair at most 3 times in 30 days', async (t) => {
    const { participant, newMember, question, answer, trust, actor, reputation, advance } = await trustRig(t);
    const asker = await participant('Penanya Lama');
    const answerer = await newMember('Penjawab');
    const other = await newMember('Penjawab Lain');
    advance(25 * HOUR);
    for (let i = 0; i < 5; i++) {
      const thread = await question(asker);
      await trust.accept(await actor(asker), thread.id, (await answer(answerer, thread.id)).id);
      advance(HOUR);
    }
    assert.equal(await reputation(answerer), 1 + 3 * 15);
    const thread = await question(asker);
    await trust.accept(await actor(asker), thread.id, (await answer(other, thread.id)).id);
    assert.equal(await reputation(other), 16, 'another answerer is another pair');
    advance(30 * 24 * HOUR);
    const later = await question(asker);
    await trust.accept(await actor(asker), later.id, (await answer(answerer, later.id)).id);
    assert.equal(await reputation(answerer), 1 + 4 * 15, 'the window moved on');
  });

  it('is recomputed from scratch (stored facts only) to the same figures as the incremental path', async (t) => {
    const { participant, newMember, question, answer, trust, actor, officers, officer, store, advance } = await trustRig(t);
    const people = [await participant('Ani'), await participant('Budi'), await participant('Citra'), await newMember('Dedi'), await newMember('Eka')];
    advance(25 * HOUR);
    for (let round = 0; round < 4; round++) {
      for (const [i, asker] of people.entries()) {
        const thread = await question(asker);
        const answers = [];
        for (const [j, answerer] of people.entries()) if (j !== i && (i + j + round) % 2 === 0) answers.push(await answer(answerer, thread.id));
        for (const [j, voter] of people.entries()) {
          const target = answers[(j + round) % Math.max(1, answers.length)];
          if (target && target.authorId !== voter.id) await trust.vote(await actor(voter), target.id, (i + j) % 3 === 0 ? -1 : 1);
        }
        if (answers[0]) await trust.accept(await actor(asker), thread.id, answers[0].id);
        if (answers[1] && round % 2 === 1) await officers.endorse(officer, answers[1].id, true);
      }
      advance(20 * HOUR);
    }
    const stored = async () => (await store.getMembers({ ids: people.map((p) => p.id) })).sort((a, b) => a.id.localeCompare(b.id)).map((m) => [m.id, m.reputation, m.stats]);
    const incremental = await stored();
    assert.ok(incremental.some(([, r]) => (r as number) > 100), 'the scenario earned reputation');
    assert.equal((await officers.recomputeAll(officer)).changed, 0);
    assert.deepEqual(await stored(), incremental);
    // Forget every cached figure: recomputing must rebuild all of them, not only those of members with votes.
    for (const p of people) await store.updateMember({ id: p.id, patch: { reputation: undefined, stats: undefined, updatedAt: new Date().toISOString() } });
    await officers.recomputeAll(officer);
    assert.deepEqual(await stored(), incremental);
  });

  it('is rebuilt by recomputeAll for a member whose reputation comes only from acceptance and endorsement', async (t) => {
    const { participant, newMember, question, answer, trust, actor, officers, officer, store, reputation, advance } = await trustRig(t);
    const asker = await participant('Penanya');
    const answerer = await newMember('Penjawab');
    advance(25 * HOUR);
    const thread = await question(asker);
    const p = await answer(answerer, thread.id);
    await trust.accept(await actor(asker), thread.id, p.id);
    await officers.endorse(officer, p.id, true);
    assert.equal(await reputation(answerer), 1 + 15 + 25);
    await store.updateMember({ id: answerer.id, patch: { reputation: undefined, updatedAt: new Date().toISOString() } });
    await officers.recomputeAll(officer);
    assert.equal(await reputation(answerer), 1 + 15 + 25);
  });
});

describe('editing an answer', () => {
  it('clears an officer\'s endorsement and the asker\'s acceptance, and the reputation they gave', async (t) => {
    const { participant, newMember, question, answer, trust, actor, service, officers, officer, reputation, advance } = await trustRig(t);
    const asker = await participant('Penanya');
    const author = await newMember('Penjawab');
    advance(25 * HOUR);
    const thread = await question(asker);
    const other = await answer(await newMember('Lain'), thread.id, 'Jawaban lain yang biasa saja.');
    const p = await answer(author, thread.id, 'Ajukan kenaikan pangkat lewat SIASN.');
    await officers.endorse(officer, p.id, true);
    await trust.accept(await actor(asker), thread.id, p.id);
    assert.equal(await reputation(author), 1 + 25 + 15);
    const before = await service.getThread(thread.id);
    assert.deepEqual([before.posts[0]!.id, before.thread.acceptedPostId], [p.id, p.id]);

    const edited = await service.editPost(await actor(author), p.id, 'Transfer Rp 500.000 ke rekening 123-456.');
    assert.equal(edited.endorsed, undefined);
    assert.ok(edited.editedAt);
    const after = await service.getThread(thread.id);
    assert.equal(after.thread.acceptedPostId, undefined);
    const shown = after.posts.find((x) => x.id === p.id)!;
    assert.deepEqual([shown.body, shown.endorsed], ['Transfer Rp 500.000 ke rekening 123-456.', undefined]);
    assert.equal(after.posts[0]!.id, other.id, 'no longer first');
    assert.equal(await reputation(author), 1);
    assert.equal((await trust.profile(author.id)).stats.endorsedAnswers, 0);
    assert.equal((await officers.recomputeAll(officer)).changed, 0);
  });

  it('keeps the marks when the text did not change, and on an answer that had none keeps the votes', async (t) => {
    const { participant, newMember, question, answer, trust, actor, service, officers, officer, reputation, advance } = await trustRig(t);
    const voter = await participant('Pemberi Nilai');
    const author = await newMember('Penjawab');
    advance(25 * HOUR);
    const p = await answer(author, (await question(await newMember('Penanya'))).id, 'Jawaban awal.');
    await officers.endorse(officer, p.id, true);
    const same = await service.editPost(await actor(author), p.id, '  Jawaban awal.  ');
    assert.deepEqual([same.endorsed?.by, same.editedAt], ['Petugas Kanreg I', undefined]);

    const plain = await answer(author, p.threadId, 'Jawaban kedua.');
    await trust.vote(await actor(voter), plain.id, 1);
    const edited = await service.editPost(await actor(author), plain.id, 'Jawaban kedua, diperbaiki.');
    assert.deepEqual([edited.score, edited.endorsed], [1, undefined]);
    assert.equal(await reputation(author), 1 + 25 + 10);
  });
});

describe('flags', () => {
  it('hide an answer once enough weight of distinct members reported it; the author sees why', async (t) => {
    const { newMember, participant, question, answer, trust, actor, service, officers, officer, fresh, store, advance } = await trustRig(t);
    const author = await newMember('Wawan');
    const thread = await question(await newMember('Xena'));
    const p = await answer(author, thread.id);
    const reporters = [];
    for (let i = 1; i <= 6; i++) reporters.push(await participant(`R${i}`));
    advance(25 * HOUR); // their flags weigh once their votes would count
    await refused(trust.flag(await actor(author), p.id, 'spam'), 'forbidden');
    // Baru members weigh 0.5 each: six flags are needed; five are not enough.
    for (const r of reporters.slice(0, 5)) assert.equal((await trust.flag(await actor(r), p.id, 'spam')).hidden, false);
    await refused(trust.flag(await actor(reporters[0]!), p.id, 'spam'), 'already_flagged');
    assert.equal((await trust.flag(await actor(reporters[5]!), p.id, 'salah_informasi')).hidden, true);

    const publicView = (await service.getThread(thread.id)).posts.find((x) => x.id === p.id)!;
    assert.equal(publicView.body, '');
    assert.deepEqual(publicView.hidden, { reason: 'spam', status: 'pending' });
    const authorView = (await service.getThread(thread.id, undefined, await fresh(author))).posts.find((x) => x.id === p.id)!;
    assert.equal(authorView.body, 'Jawaban yang membantu.');
    await refused(trust.vote(await actor(reporters[0]!), p.id, 1), 'answer_hidden');

    const queue = await officers.flagged('pending');
    assert.ok(queue.some((f) => f.post.id === p.id && f.flags.length === 6));
    await officers.review(officer, p.id, 'restore');
    assert.equal((await service.getThread(thread.id)).posts.find((x) => x.id === p.id)!.body, 'Jawaban yang membantu.');
    assert.deepEqual(await store.flagsFor({ postId: p.id }), []);
  });

  it('from members whose votes would not count yet weigh nothing: six fresh identities hide nothing', async (t) => {
    const { newMember, question, answer, trust, actor, service, store } = await trustRig(t);
    const p = await answer(await newMember('Penjawab'), (await question(await newMember('Penanya'))).id);
    for (let i = 0; i < 8; i++) assert.equal((await trust.flag(await actor(await newMember(`Baru${i}`)), p.id, 'spam')).hidden, false);
    assert.deepEqual((await store.flagsFor({ postId: p.id })).map((f) => f.weight), Array(8).fill(0));
    assert.equal((await service.getThread(p.threadId)).posts[0]!.hidden, undefined);
  });

  it('never hide an officer\'s official answer; they put it on the officers\' review list instead', async (t) => {
    const { newMember, participant, question, answer, trust, actor, service, officers, officer, advance } = await trustRig(t);
    const thread = await question(await newMember('Penanya'));
    const official = await answer(officer, thread.id, 'Jawaban resmi: ajukan lewat SIASN.');
    const reporters = [];
    for (let i = 0; i < 4; i++) reporters.push(await participant(`Pelapor${i}`));
    advance(25 * HOUR);
    for (const r of reporters) assert.equal((await trust.flag(await actor(r), official.id, 'salah_informasi')).hidden, false);
    for (let i = 0; i < 6; i++) await trust.flag(await actor(await newMember(`Baru${i}`)), official.id, 'spam');
    const shown = (await service.getThread(thread.id)).posts.find((x) => x.id === official.id)!;
    assert.equal(shown.hidden, undefined);
    assert.equal(shown.body, 'Jawaban resmi: ajukan lewat SIASN.');

    const queue = await officers.flagged('pending');
    const entry = queue.find((f) => f.post.id === official.id);
    assert.ok(entry, 'the flagged official answer is on the review list');
    assert.equal(entry.post.hidden, undefined);
    assert.equal(entry.flags.length, 10);
    await officers.review(officer, official.id, 'restore');
    assert.equal((await officers.flagged('pending')).some((f) => f.post.id === official.id), false, 'reviewed: off the list');
  });

  it('an officer\'s flag hides at once', async (t) => {
    const { newMember, question, answer, trust, officer } = await trustRig(t);
    const p = await answer(await newMember('Zaki'), (await question(await newMember('Yuni'))).id);
    assert.equal((await trust.flag({ visitor: officer }, p.id, 'tidak_pantas')).hidden, true);
  });
});

describe('verification requests', () => {
  it('need a valid NIP, one at a time, and show the member their NIP masked', async (t) => {
    const { newMember, trust, actor } = await trustRig(t);
    const a = await newMember('Analis');
    await refused(trust.requestVerification(await actor(a), { nip: '19850230 201001 1 003', instansi: 'BKD Kab. Sleman', jabatan: 'Analis Kepegawaian' }), 'invalid_nip');
    const mine = await trust.requestVerification(await actor(a), { nip: '19850312 201001 1 003', instansi: 'BKD Kab. Sleman', jabatan: 'Analis Kepegawaian' });
    assert.equal(mine.status, 'pending');
    assert.equal(mine.nipMasked, '••••••••••••••1003');
    await refused(trust.requestVerification(await actor(a), { nip: '198503122010011003', instansi: 'BKD Kab. Sleman', jabatan: 'Analis' }), 'verification_pending');
  });
});

describe('levels and limits', () => {
  it('limit a brand-new member more tightly than others, with a retry time', async (t) => {
    const { service } = await trustRig(t, { rules: DEFAULT_TRUST_RULES });
    const { token } = await service.registerVisitor({});
    const v = await service.authenticate(token);
    const ask = (i: number) => service.ask({ visitor: v }, 'kanreg1', { title: `Batas kiriman ${i}`, body: 'Uji batas kiriman anggota baru.', category: 'lainnya', clientId: `lim-${i}-xxxxxx` });
    for (let i = 0; i < DEFAULT_TRUST_RULES.limits.post.newMember.capacity; i++) await ask(i);
    await assert.rejects(ask(99), (e: unknown) => e instanceof DomainError && e.code === 'rate_limited' && (e.details.retryAfterMs ?? 0) > 0);
  });
});
