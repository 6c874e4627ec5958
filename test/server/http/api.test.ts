import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { WebSocket } from 'ws';
import { startTestServer, type TestServer } from '../../support/server.js';

let server: TestServer;
let api: ReturnType<typeof request>;
let token: string;
const ORIGIN = 'https://kanreg1.example.go.id';

before(async () => {
  server = await startTestServer();
  api = request(server.http);
  token = (await api.post('/api/visitors').send({}).expect(201)).body.token;
});
after(() => server.destroy());

const auth = () => ({ Authorization: `Bearer ${token}` });
let n = 0;
const newThread = (extra: Record<string, unknown> = {}) => ({
  title: 'Syarat kenaikan pangkat reguler',
  body: 'Apa saja berkas yang perlu disiapkan untuk kenaikan pangkat reguler?',
  category: 'kenaikan-pangkat',
  clientId: `client-${Date.now()}-${n++}`,
  ...extra,
});

describe('visitors', () => {
  it('get a token and a guest name', async () => {
    const res = await api.post('/api/visitors').send({}).expect(201);
    assert.match(res.body.visitor.name, /^Tamu-\d{4}$/);
    assert.match(res.body.token, /^v1\./);
    assert.ok(Date.parse(res.body.expiresAt) > Date.now());
  });

  it('can change their display name, and get their profile card back as API.md says', async () => {
    const res = await api.patch('/api/visitors/me').set(auth()).send({ name: 'Budi' }).expect(200);
    assert.equal(res.body.name, 'Budi');
    const me = (await api.get('/api/visitors/me').set(auth()).expect(200)).body;
    assert.equal(me.name, 'Budi');
    assert.deepEqual(res.body, me, 'PATCH and GET answer the same ProfileView');
    for (const key of ['id', 'name', 'reputation', 'level', 'officer', 'profile', 'stats', 'memberSince', 'activity', 'activeDays']) {
      assert.ok(key in res.body, key);
    }
  });

  it('may not take an officer\'s name or one made of invisible characters', async () => {
    const taken = await api.post('/api/visitors').send({ name: 'Petugas Kanreg 1' }).expect(409);
    assert.deepEqual([taken.body.error.code, taken.body.error.field], ['name_reserved', 'name']);
    assert.equal((await api.patch('/api/visitors/me').set(auth()).send({ name: 'petugas  kanreg i' }).expect(409)).body.error.code, 'name_reserved');
    assert.equal((await api.patch('/api/visitors/me').set(auth()).send({ name: '\u200B\u200D\u2060' }).expect(400)).body.error.code, 'invalid_text');
  });

  it('are refused with a forged or malformed token', async () => {
    const forged = token.slice(0, -2) + (token.endsWith('AA') ? 'BB' : 'AA');
    const res = await api.get('/api/visitors/me').set({ Authorization: `Bearer ${forged}` }).expect(401);
    assert.equal(res.body.error.code, 'unauthorized');
    await api.get('/api/visitors/me').set({ Authorization: 'Basic abc' }).expect(401);
    await api.get('/api/visitors/me').expect(401);
  });
});

describe('site settings', () => {
  it('lists the name, categories and limits', async () => {
    const res = await api.get('/api/sites/kanreg1').expect(200);
    assert.equal(res.body.name, 'Kanreg I Yogyakarta');
    assert.ok(res.body.categories.some((c: { id: string }) => c.id === 'pensiun'));
    assert.equal(res.body.limits.titleMax, 150);
  });

  it('answers 404 unknown_site for a site that is not configured', async () => {
    const res = await api.get('/api/sites/nowhere').expect(404);
    assert.equal(res.body.error.code, 'unknown_site');
  });
});

describe('asking a question over REST', () => {
  it('creates the thread with 201 and shows it in the list', async () => {
    const body = newThread({ title: 'Cara mengajukan cuti besar' });
    const res = await api.post('/api/sites/kanreg1/threads').set(auth()).send(body).expect(201);
    assert.equal(res.body.title, 'Cara mengajukan cuti besar');
    assert.equal(res.body.authorName, 'Budi');
    assert.equal(res.body.status, 'unanswered');
    const list = await api.get('/api/sites/kanreg1/threads').expect(200);
    assert.equal(list.body.threads[0].id, res.body.id);
    assert.ok(list.body.seq >= res.body.seq);
  });

  it('returns the original thread, not a second one, when the same clientId is sent again', async () => {
    const body = newThread();
    const first = await api.post('/api/sites/kanreg1/threads').set(auth()).send(body).expect(201);
    const again = await api.post('/api/sites/kanreg1/threads').set(auth()).send(body).expect(200);
    assert.equal(again.body.id, first.body.id);
    const list = await api.get('/api/sites/kanreg1/threads?limit=50').expect(200);
    assert.equal(list.body.threads.filter((t: { clientId: string }) => t.clientId === body.clientId).length, 1);
  });

  it('refuses bad input with a clear code and field', async () => {
    const cases: Array<[Record<string, unknown>, number, string, string?]> = [
      [newThread({ title: 'x' }), 400, 'too_short', 'title'],
      [newThread({ title: 'x'.repeat(151) }), 400, 'too_long', 'title'],
      [newThread({ body: 'y'.repeat(5001) }), 400, 'too_long', 'body'],
      [newThread({ category: 'astrology' }), 400, 'invalid_category', 'category'],
      [newThread({ clientId: 'short' }), 400, 'bad_request', 'clientId'],
      [newThread({ admin: true }), 400, 'bad_request'],
      [newThread({ title: 42 }), 400, 'bad_request', 'title'],
    ];
    for (const [body, status, code, field] of cases) {
      const res = await api.post('/api/sites/kanreg1/threads').set(auth()).send(body).expect(status);
      assert.equal(res.body.error.code, code, JSON.stringify(body).slice(0, 80));
      if (field) assert.equal(res.body.error.field, field);
      assert.equal(typeof res.body.error.message, 'string');
    }
  });

  it('refuses invalid JSON and oversize bodies', async () => {
    const bad = await api.post('/api/sites/kanreg1/threads').set(auth()).set('Content-Type', 'application/json').send('{"title":').expect(400);
    assert.equal(bad.body.error.code, 'bad_request');
    const big = await api.post('/api/sites/kanreg1/threads').set(auth()).send(newThread({ body: 'z'.repeat(70_000) })).expect(413);
    assert.equal(big.body.error.code, 'payload_too_large');
  });

  it('needs a token', async () => {
    const res = await api.post('/api/sites/kanreg1/threads').send(newThread()).expect(401);
    assert.equal(res.body.error.code, 'unauthorized');
  });
});

describe('answering over REST', () => {
  it('adds posts, several from the same member, and marks the thread answered', async () => {
    const thread = (await api.post('/api/sites/kanreg1/threads').set(auth()).send(newThread()).expect(201)).body;
    await api.post(`/api/threads/${thread.id}/posts`).set(auth()).send({ body: 'Jawaban pertama', clientId: `p-${Date.now()}-a` }).expect(201);
    await api.post(`/api/threads/${thread.id}/posts`).set(auth()).send({ body: 'Tambahan: lihat https://www.bkn.go.id', clientId: `p-${Date.now()}-b` }).expect(201);
    const res = await api.get(`/api/threads/${thread.id}`).expect(200);
    assert.equal(res.body.posts.length, 2);
    assert.equal(res.body.thread.answerCount, 2);
    assert.equal(res.body.thread.status, 'answered');
    const unanswered = await api.get('/api/sites/kanreg1/threads?status=unanswered&limit=50').expect(200);
    assert.ok(!unanswered.body.threads.some((t: { id: string }) => t.id === thread.id));
  });

  it('answers 404 for an unknown thread', async () => {
    const res = await api.post('/api/threads/nope/posts').set(auth()).send({ body: 'x', clientId: 'abcdefgh1' }).expect(404);
    assert.equal(res.body.error.code, 'thread_not_found');
    await api.get('/api/threads/nope').expect(404);
  });
});

describe('listing threads', () => {
  it('searches words in title and body, and pages with a cursor', async () => {
    for (let i = 0; i < 5; i++) {
      await api.post('/api/sites/kanreg2/threads').set(auth()).send(newThread({ title: `Pensiun dini nomor ${i}`, category: 'pensiun' })).expect(201);
    }
    await api.post('/api/sites/kanreg2/threads').set(auth()).send(newThread({ title: 'Mutasi antar instansi daerah', category: 'mutasi', body: 'Bagaimana prosedur mutasi dari kabupaten ke provinsi?' })).expect(201);
    const found = await api.get('/api/sites/kanreg2/threads').query({ q: 'PROSEDUR kabupaten' }).expect(200);
    assert.deepEqual(found.body.threads.map((t: { title: string }) => t.title), ['Mutasi antar instansi daerah']);
    const page1 = await api.get('/api/sites/kanreg2/threads?q=pensiun&limit=3').expect(200);
    assert.equal(page1.body.threads.length, 3);
    const page2 = await api.get(`/api/sites/kanreg2/threads?q=pensiun&limit=3&cursor=${page1.body.nextCursor}`).expect(200);
    assert.equal(page2.body.threads.length, 2);
    assert.equal(page2.body.nextCursor, undefined);
    const titles = [...page1.body.threads, ...page2.body.threads].map((t: { title: string }) => t.title);
    assert.deepEqual(titles, [4, 3, 2, 1, 0].map((i) => `Pensiun dini nomor ${i}`));
  });

  it('keeps sites apart', async () => {
    const list = await api.get('/api/sites/kanreg1/threads?q=pensiun+dini').expect(200);
    assert.equal(list.body.threads.length, 0);
  });

  it('refuses bad query parameters', async () => {
    assert.equal((await api.get('/api/sites/kanreg1/threads?limit=1000').expect(400)).body.error.code, 'bad_request');
    assert.equal((await api.get('/api/sites/kanreg1/threads?status=weird').expect(400)).body.error.code, 'bad_request');
    assert.equal((await api.get('/api/sites/kanreg1/threads?cursor=abc').expect(400)).body.error.code, 'bad_request');
    assert.equal((await api.get('/api/sites/kanreg1/threads?foo=1').expect(400)).body.error.code, 'bad_request');
  });
});

describe('origins and CORS', () => {
  it('answers a listed origin with CORS headers, and a preflight with 204', async () => {
    const res = await api.get('/api/sites/kanreg1').set('Origin', ORIGIN).expect(200);
    assert.equal(res.headers['access-control-allow-origin'], ORIGIN);
    const pre = await api.options('/api/sites/kanreg1/threads').set('Origin', ORIGIN).set('Access-Control-Request-Method', 'POST').expect(204);
    assert.match(pre.headers['access-control-allow-headers'], /Authorization/);
  });

  it('refuses every request of an unlisted origin in a way the page can read, and lets no preflight pass', async () => {
    const evil = 'https://evil.example';
    // A simple GET needs no preflight: the browser shows the widget this 403 only with CORS headers on it.
    const res = await api.get('/api/sites/kanreg1').set('Origin', evil).expect(403);
    assert.equal(res.headers['access-control-allow-origin'], evil);
    assert.match(res.headers.vary ?? '', /Origin/);
    assert.equal(res.body.error.code, 'origin_not_allowed');
    // Also the routes that name no site: an unlisted origin gets nothing but the refusal.
    for (const path of ['/api/members/nobody', '/api/threads/nothing']) {
      const other = await api.get(path).set('Origin', evil).expect(403);
      assert.equal(other.body.error.code, 'origin_not_allowed', path);
      assert.equal(other.headers['access-control-allow-origin'], evil, path);
    }
    const write = await api.post('/api/visitors').set('Origin', evil).send({}).expect(403);
    assert.equal(write.body.error.code, 'origin_not_allowed');
    // A preflight is refused without the headers that would let the real request follow.
    const pre = await api.options('/api/visitors').set('Origin', evil).set('Access-Control-Request-Method', 'POST').expect(403);
    assert.equal(pre.headers['access-control-allow-methods'], undefined);
    assert.equal(pre.headers['access-control-allow-headers'], undefined);
  });

  it('refuses one site origin on another site', async () => {
    const res = await api.post('/api/sites/kanreg2/threads').set(auth()).set('Origin', ORIGIN).send(newThread()).expect(403);
    assert.equal(res.body.error.code, 'origin_not_allowed');
  });

  it('allows the server own origin (demo and admin pages)', async () => {
    const own = `http://127.0.0.1:${server.port}`;
    await api.get('/api/sites/kanreg2').set('Origin', own).set('Host', `127.0.0.1:${server.port}`).expect(200);
  });
});

describe('REST changes reach WebSocket subscribers', () => {
  it('pushes a thread created over REST as an event', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/ws`);
    const frames: any[] = [];
    ws.on('message', (d) => frames.push(JSON.parse(d.toString())));
    await new Promise((r) => ws.once('open', r));
    ws.send(JSON.stringify({ type: 'hello', v: 1, site: 'kanreg1' }));
    await waitFor(() => frames.some((f) => f.type === 'welcome'));
    const created = (await api.post('/api/sites/kanreg1/threads').set(auth()).send(newThread()).expect(201)).body;
    await waitFor(() => frames.some((f) => f.type === 'event' && f.event.change.thread?.id === created.id));
    const event = frames.find((f) => f.type === 'event').event;
    assert.equal(event.seq, created.seq);
    assert.equal(event.change.kind, 'thread.created');
    ws.close();
  });
});

describe('health and static files', () => {
  it('reports health', async () => {
    const res = await api.get('/healthz').expect(200);
    assert.equal(res.body.status, 'ok');
    assert.equal(res.body.store, 'json');
  });

  it('answers unknown API routes with a JSON 404', async () => {
    assert.equal((await api.get('/api/nothing').expect(404)).body.error.code, 'not_found');
  });

  it('answers 400 bad_request, not 500, to a path with broken percent-encoding', async () => {
    for (const path of ['/api/threads/%E0%A4%A', '/api/members/%', '/api/sites/%C3%28/threads']) {
      const res = await api.get(path).expect(400);
      assert.equal(res.body.error.code, 'bad_request', path);
    }
  });

  it('serves the demo page', async () => {
    const res = await api.get('/demo/').expect(200);
    assert.match(res.text, /osg-konsultasi/);
  });
});

async function waitFor(cond: () => boolean, ms = 2000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 10));
  }
}
