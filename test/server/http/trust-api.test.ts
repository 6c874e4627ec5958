import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { OFFICER, startTestServer, type TestServer } from '../../support/server.js';
import { TestClient } from '../../support/ws-client.js';

let server: TestServer;
let api: ReturnType<typeof request>;
let officerToken: string;
let n = 0;
const NIP = '198503122010012003';

before(async () => {
  server = await startTestServer();
  api = request(server.http);
  officerToken = (await api.post('/api/officer/login').send({ username: OFFICER.username, password: OFFICER.password }).expect(200)).body.token;
});
after(() => server.destroy());

async function visitor(name?: string) {
  const res = await api.post('/api/visitors').send(name ? { name } : {}).expect(201);
  return { token: res.body.token as string, id: res.body.visitor.id as string, auth: { Authorization: `Bearer ${res.body.token}` } };
}
async function thread(auth: Record<string, string>) {
  return (await api.post('/api/sites/kanreg1/threads').set(auth).send({ title: 'Cara menghitung masa kerja', body: 'Bagaimana menghitung masa kerja golongan?', category: 'kenaikan-pangkat', clientId: `t-${n++}-xxxxxx` }).expect(201)).body;
}
async function answer(auth: Record<string, string>, threadId: string) {
  return (await api.post(`/api/threads/${threadId}/posts`).set(auth).send({ body: 'Lihat SK terakhir.', clientId: `p-${n++}-xxxxxx` }).expect(201)).body;
}
const officer = () => ({ Authorization: `Bearer ${officerToken}` });

describe('officer API access', () => {
  it('refuses members and anonymous callers, and a wrong password', async () => {
    const m = await visitor();
    assert.equal((await api.get('/api/officer/verification-requests').set(m.auth).expect(403)).body.error.code, 'forbidden');
    assert.equal((await api.get('/api/officer/verification-requests').expect(401)).body.error.code, 'unauthorized');
    assert.equal((await api.post('/api/officer/login').send({ username: OFFICER.username, password: 'salah-sandi-123' }).expect(401)).body.error.code, 'bad_credentials');
  });

  it('refuses a token whose subject was changed to the officer', async () => {
    const m = await visitor();
    const [v, , sig] = m.token.split('.');
    const claims = Buffer.from(JSON.stringify({ sub: `officer-${OFFICER.username}`, iat: 0, exp: 9e9 })).toString('base64url');
    await api.get('/api/officer/audit').set({ Authorization: `Bearer ${v}.${claims}.${sig}` }).expect(401);
  });
});

describe('responses with personal data', () => {
  it('are never stored by caches: every officer response, and the member\'s own profile and verification', async () => {
    const m = await visitor();
    const officerPaths = ['/api/officer/verification-requests', `/api/officer/members/${m.id}`, '/api/officer/audit', '/api/officer/flagged'];
    for (const path of officerPaths) {
      assert.equal((await api.get(path).set(officer()).expect(200)).headers['cache-control'], 'no-store', path);
      assert.equal((await api.get(path).expect(401)).headers['cache-control'], 'no-store', `${path} refused`);
    }
    const login = await api.post('/api/officer/login').send({ username: OFFICER.username, password: OFFICER.password }).expect(200);
    assert.equal(login.headers['cache-control'], 'no-store');
    // A new sign-in ends the account's older session: the later tests use this one.
    officerToken = login.body.token;
    assert.equal((await api.get('/api/officer/nothing').set(officer()).expect(404)).headers['cache-control'], 'no-store');
    assert.equal((await api.get('/api/visitors/me/verification').set(m.auth).expect(200)).headers['cache-control'], 'no-store');
    assert.equal((await api.get('/api/visitors/me').set(m.auth).expect(200)).headers['cache-control'], 'no-store');
  });
});

describe('what clients cannot set', () => {
  it('refuses role, badge and reputation fields in profile updates and posts', async () => {
    const m = await visitor();
    for (const body of [{ role: 'officer' }, { reputation: 9999 }, { verified: { instansi: 'BKN' } }, { name: 'Ok', level: 'terpercaya' }]) {
      assert.equal((await api.patch('/api/visitors/me').set(m.auth).send(body).expect(400)).body.error.code, 'bad_request');
    }
    const t = await thread(m.auth);
    await api.post(`/api/threads/${t.id}/posts`).set(m.auth).send({ body: 'x', clientId: 'abcdefgh12', official: true }).expect(400);
    await api.post(`/api/threads/${t.id}/posts`).set(m.auth).send({ body: 'x', clientId: 'abcdefgh13', authorId: 'someone' }).expect(400);
    const profile = (await api.get(`/api/members/${m.id}`).expect(200)).body;
    assert.deepEqual([profile.officer, profile.reputation, profile.level, profile.verified], [false, 1, 'baru', undefined]);
  });

  it('refuses the same over WebSocket, and an officer badge comes only from the server', async () => {
    const m = await visitor();
    const t = await thread(m.auth);
    const c = await TestClient.connect(`ws://127.0.0.1:${server.port}/ws`);
    c.send({ type: 'hello', v: 1, site: 'kanreg1', token: m.token });
    await c.waitFor('welcome');
    c.send({ type: 'answer', clientId: 'ws-claim-xxxx', threadId: t.id, body: 'Saya petugas', official: true });
    assert.equal((await c.waitFor('error')).error.code, 'bad_request');
    c.send({ type: 'vote', postId: 'x', value: 5 });
    await c.waitFor('error', () => c.of('error').length === 2);
    c.send({ type: 'answer', clientId: 'ws-plain-xxxx', threadId: t.id, body: 'Jawaban biasa' });
    const ack = await c.waitFor('ack');
    assert.equal(ack.post!.official, false);
    assert.equal(ack.post!.author!.officer, false);
    c.close();
  });
});

describe('rating and accepting over the socket', () => {
  it('acks with done and pushes the new score to every client of the site', async () => {
    const asker = await visitor('Penanya');
    const helper = await visitor('Penjawab');
    const t = await thread(asker.auth);
    const p = await answer(helper.auth, t.id);
    const watcher = await TestClient.connect(`ws://127.0.0.1:${server.port}/ws`);
    watcher.send({ type: 'hello', v: 1, site: 'kanreg1' });
    await watcher.waitFor('welcome');
    const c = await TestClient.connect(`ws://127.0.0.1:${server.port}/ws`);
    c.send({ type: 'hello', v: 1, site: 'kanreg1', token: asker.token });
    await c.waitFor('welcome');
    c.send({ type: 'vote', postId: p.id, value: 1 });
    assert.equal((await c.waitFor('done')).ref, 'vote');
    const ev = await watcher.waitFor('event', (f) => f.event.change.kind === 'post.updated');
    assert.equal(ev.event.change.kind === 'post.updated' && ev.event.change.post.score, 1);
    c.send({ type: 'vote', postId: p.id, value: 1 });
    const err = await c.waitFor('error');
    assert.deepEqual([err.error.code, err.ref, err.postId], ['already_voted', 'vote', p.id]);
    c.send({ type: 'accept', threadId: t.id, postId: p.id });
    await c.waitFor('done', (f) => f.ref === 'accept');
    const accepted = await watcher.waitFor('event', (f) => f.event.change.kind === 'thread.updated');
    assert.equal(accepted.event.change.kind === 'thread.updated' && accepted.event.change.thread.acceptedPostId, p.id);
    const rest = (await api.get(`/api/threads/${t.id}`).set(asker.auth).expect(200)).body;
    assert.deepEqual(rest.myVotes, { [p.id]: 1 });
    assert.equal(rest.thread.acceptedPostId, p.id);
    c.close();
    watcher.close();
  });
});

describe('editing an endorsed and accepted answer', () => {
  it('takes both marks away, live, in every open widget', async () => {
    const asker = await visitor('Penanya Sunting');
    const helper = await visitor('Penjawab Sunting');
    const t = await thread(asker.auth);
    const p = await answer(helper.auth, t.id);
    await api.put(`/api/officer/posts/${p.id}/endorsement`).set(officer()).send({ endorsed: true }).expect(200);
    await api.put(`/api/threads/${t.id}/accepted`).set(asker.auth).send({ postId: p.id }).expect(200);
    const watcher = await TestClient.connect(`ws://127.0.0.1:${server.port}/ws`);
    watcher.send({ type: 'hello', v: 1, site: 'kanreg1' });
    await watcher.waitFor('welcome');

    const edited = (await api.patch(`/api/posts/${p.id}`).set(helper.auth).send({ body: 'Transfer Rp 500.000 ke rekening 123.' }).expect(200)).body;
    assert.equal(edited.endorsed, undefined);
    const cleared = await watcher.waitFor('event', (f) => f.event.change.kind === 'thread.updated' && f.event.change.thread.id === t.id);
    assert.equal(cleared.event.change.kind === 'thread.updated' && cleared.event.change.thread.acceptedPostId, undefined);
    const updated = await watcher.waitFor('event', (f) => f.event.change.kind === 'post.updated' && f.event.change.post.id === p.id);
    assert.ok(updated.event.change.kind === 'post.updated');
    assert.deepEqual([updated.event.change.post.endorsed, updated.event.change.post.body], [undefined, 'Transfer Rp 500.000 ke rekening 123.']);
    assert.ok(updated.event.change.post.editedAt);
    const after = (await api.get(`/api/threads/${t.id}`).expect(200)).body;
    assert.equal(after.thread.acceptedPostId, undefined);
    watcher.close();
  });
});

describe('verification and the NIP', () => {
  it('shows the badge live to an open widget and never sends the NIP to anyone but officers', async () => {
    const a = await visitor('Analis Sleman');
    const t = await thread(a.auth);
    await answer(a.auth, t.id);
    const watcher = await TestClient.connect(`ws://127.0.0.1:${server.port}/ws`);
    watcher.send({ type: 'hello', v: 1, site: 'kanreg1' });
    await watcher.waitFor('welcome');

    const bad = await api.post('/api/visitors/me/verification').set(a.auth).send({ nip: '198503122010013003', instansi: 'BKD Kab. Sleman', jabatan: 'Analis Kepegawaian' }).expect(400);
    assert.deepEqual([bad.body.error.code, bad.body.error.field], ['invalid_nip', 'nip']);
    const mine = (await api.post('/api/visitors/me/verification').set(a.auth).send({ nip: NIP, instansi: 'BKD Kab. Sleman', jabatan: 'Analis Kepegawaian', note: 'Mohon diverifikasi' }).expect(201)).body;
    assert.equal(mine.status, 'pending');
    assert.ok(!JSON.stringify(mine).includes(NIP));

    const list = (await api.get('/api/officer/verification-requests?status=pending').set(officer()).expect(200)).body.requests;
    const req = list.find((r: { member: { id: string } }) => r.member.id === a.id);
    assert.equal(req.nip, NIP, 'officers see the NIP');
    await api.post(`/api/officer/verification-requests/${req.id}/approve`).set(officer()).send({ note: 'Sesuai SIASN' }).expect(200);

    const live = await watcher.waitFor('member', (f) => f.member.id === a.id && Boolean(f.member.verified));
    assert.deepEqual(live.member.verified!.jabatan, 'Analis Kepegawaian');

    const publicBodies = [
      (await api.get(`/api/members/${a.id}`).expect(200)).text,
      (await api.get(`/api/threads/${t.id}`).expect(200)).text,
      (await api.get('/api/sites/kanreg1/threads?limit=50').expect(200)).text,
      (await api.get('/api/visitors/me').set(a.auth).expect(200)).text,
      (await api.get('/api/visitors/me/verification').set(a.auth).expect(200)).text,
      JSON.stringify(watcher.frames),
    ];
    for (const body of publicBodies) assert.ok(!body.includes(NIP) && !body.includes('19850312'), `NIP leaked in ${body.slice(0, 80)}`);
    const audit = (await api.get(`/api/officer/audit?memberId=${a.id}`).set(officer()).expect(200)).body.entries;
    assert.equal(audit[0].action, 'verification.approve');
    watcher.close();
  });
});

describe('flags and review over REST', () => {
  it('hides an answer reported by an officer-weight flag and restores it on review', async () => {
    const a = await visitor();
    const t = await thread(a.auth);
    const p = await answer((await visitor()).auth, t.id);
    const r = (await api.post(`/api/posts/${p.id}/flags`).set(officer()).send({ reason: 'spam' }).expect(201)).body;
    assert.equal(r.hidden, true);
    const flagged = (await api.get('/api/officer/flagged').set(officer()).expect(200)).body.posts;
    assert.ok(flagged.some((f: { post: { id: string; body: string } }) => f.post.id === p.id && f.post.body === 'Lihat SK terakhir.'));
    await api.post(`/api/officer/posts/${p.id}/restore`).set(officer()).expect(200);
    const after = (await api.get(`/api/threads/${t.id}`).expect(200)).body.posts.find((x: { id: string }) => x.id === p.id);
    assert.equal(after.hidden, undefined);
    assert.equal((await api.post(`/api/posts/${p.id}/flags`).set(a.auth).send({ reason: 'lainnya' }).expect(400)).body.error.code, 'bad_request');
  });
});

describe('rate limits over REST', () => {
  it('answer 429 with a retry time, the same code as over WebSocket', async () => {
    const strict = await startTestServer({ OSG_TRUST: JSON.stringify({ limits: { visitor: { ip: { capacity: 2, perMinute: 1 } } } }) });
    try {
      const s = request(strict.http);
      await s.post('/api/visitors').send({}).expect(201);
      await s.post('/api/visitors').send({}).expect(201);
      const res = await s.post('/api/visitors').send({}).expect(429);
      assert.equal(res.body.error.code, 'rate_limited');
      assert.ok(res.body.error.retryAfterMs > 0);
    } finally {
      await strict.destroy();
    }
  });
});
