import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { MemberSummary } from '../../../server/protocol.js';
import { OFFICER, startTestServer, type TestServer } from '../../support/server.js';
import { TestClient } from '../../support/ws-client.js';

let server: TestServer;
let url: string;
let token: string;
let clientSeq = 0;
const cid = () => `ws-${Date.now().toString(36)}-${clientSeq++}`;
const question = () => ({
  type: 'ask',
  clientId: cid(),
  title: 'Berapa lama proses mutasi?',
  body: 'Saya ingin pindah dari Sleman ke Bantul, berapa lama prosesnya?',
  category: 'mutasi',
});

before(async () => {
  server = await startTestServer({ OSG_HEARTBEAT_MS: '1000' });
  url = `ws://127.0.0.1:${server.port}/ws`;
  const res = await fetch(`http://127.0.0.1:${server.port}/api/visitors`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
  token = (await res.json()).token;
});
after(() => server.destroy());

async function joined(site = 'kanreg1', lastSeq?: number, withToken = true, on = server) {
  const c = await TestClient.connect(`ws://127.0.0.1:${on.port}/ws`);
  c.send({ type: 'hello', v: 1, site, ...(withToken ? { token } : {}), ...(lastSeq === undefined ? {} : { lastSeq }) });
  await c.waitFor('welcome');
  return c;
}

/** A JSON call to the REST API of `on`; throws on an unexpected status. */
async function rest<T = any>(on: TestServer, method: string, path: string, body?: unknown, bearer?: string, status = 200): Promise<T> {
  const res = await fetch(`http://127.0.0.1:${on.port}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await res.json();
  assert.equal(res.status, status, `${method} ${path}: ${JSON.stringify(json)}`);
  return json;
}

/** A new member who asked a question on kanreg1, so widgets of that site show them. */
async function asker(on: TestServer): Promise<{ id: string; token: string }> {
  const { token, visitor } = await rest(on, 'POST', '/api/visitors', { name: 'Analis Sleman' }, undefined, 201);
  await rest(on, 'POST', '/api/sites/kanreg1/threads', { ...question(), type: undefined }, token, 201);
  return { id: visitor.id, token };
}

const NIP = '198503122010012003';

/** The member asks for the badge and an officer approves it, over the officer API. */
async function verify(on: TestServer, member: { id: string; token: string }): Promise<void> {
  await rest(on, 'POST', '/api/visitors/me/verification', { nip: NIP, instansi: 'BKD Kab. Sleman', jabatan: 'Analis Kepegawaian' }, member.token, 201);
  const officer = (await rest(on, 'POST', '/api/officer/login', { username: OFFICER.username, password: OFFICER.password })).token;
  const { requests } = await rest(on, 'GET', '/api/officer/verification-requests?status=pending', undefined, officer);
  const request = requests.find((r: { member: { id: string } }) => r.member.id === member.id);
  await rest(on, 'POST', `/api/officer/verification-requests/${request.id}/approve`, { note: 'Sesuai SIASN' }, officer);
}

async function revoke(on: TestServer, memberId: string): Promise<void> {
  const officer = (await rest(on, 'POST', '/api/officer/login', { username: OFFICER.username, password: OFFICER.password })).token;
  await rest(on, 'POST', `/api/officer/members/${memberId}/revoke-verification`, { note: 'Pindah jabatan' }, officer);
}

const about = (c: TestClient, memberId: string): MemberSummary[] => c.of('member').flatMap((f) => (f.member.id === memberId ? [f.member] : []));

describe('live delivery', () => {
  it('sends a new thread and its answer to every client of the site, and acks the poster after', async () => {
    const a = await joined();
    const b = await joined();
    const other = await joined('kanreg2');
    const ask = question();
    a.send(ask);
    const ack = await a.waitFor('ack', (f) => f.clientId === ask.clientId);
    assert.equal(ack.duplicate, false);
    const seen = await b.waitFor('event', (f) => f.event.change.kind === 'thread.created' && f.event.change.thread.id === ack.thread!.id);
    assert.equal(seen.event.seq, ack.thread!.seq);

    const answer = { type: 'answer', clientId: cid(), threadId: ack.thread!.id, body: 'Biasanya 2-4 minggu.' };
    b.send(answer);
    const event = await a.waitFor('event', (f) => f.event.change.kind === 'post.created');
    assert.equal(event.event.change.kind === 'post.created' && event.event.change.post.body, 'Biasanya 2-4 minggu.');
    assert.equal(event.event.change.kind === 'post.created' && event.event.change.thread.answerCount, 1);
    // The broadcast reached `a`, so it was sent to every socket already: anything for `other` precedes its pong.
    await other.barrier();
    assert.equal(other.of('event').length, 0, 'another site sees nothing');
    for (const c of [a, b, other]) c.close();
  });

  it('counts the viewers of a thread', async () => {
    const a = await joined();
    a.send(question());
    const thread = (await a.waitFor('ack')).thread!;
    const b = await joined();
    a.send({ type: 'watch', threadId: thread.id });
    await a.waitFor('presence', (f) => f.viewers === 1);
    b.send({ type: 'watch', threadId: thread.id });
    await a.waitFor('presence', (f) => f.viewers === 2);
    b.close();
    await a.waitFor('presence', (f) => f.viewers === 1 && a.of('presence').length >= 3);
    a.close();
  });
});

describe('resuming after a reconnect', () => {
  it('replays exactly the missed events, in order, without gaps or duplicates', async () => {
    const a = await joined();
    const lastSeq = a.of('welcome')[0]!.seq;
    a.close();
    const poster = await joined();
    const acks: Array<{ thread?: { seq: number } }> = [];
    for (let i = 0; i < 5; i++) {
      const q = question();
      poster.send(q);
      acks.push(await poster.waitFor('ack', (f) => f.clientId === q.clientId));
    }
    const back = await joined('kanreg1', lastSeq);
    const welcome = back.of('welcome')[0]!;
    assert.equal(welcome.resync, false);
    await back.waitFor('event', (f) => f.event.seq === acks[4]!.thread!.seq);
    const seqs = back.of('event').map((f) => f.event.seq);
    const expected = Array.from({ length: welcome.seq - lastSeq }, (_, i) => lastSeq + 1 + i);
    assert.deepEqual(seqs, expected);
    poster.close();
    back.close();
  });

  it('asks for a full resync when the client is too far behind or unknown', async () => {
    const c = await joined('kanreg1', 999_999);
    assert.equal(c.of('welcome')[0]!.resync, true);
    c.close();
    const fresh = await joined('kanreg1');
    assert.equal(fresh.of('welcome')[0]!.resync, true);
    fresh.close();
  });
});

describe('resuming after a member changed', () => {
  it('sends the current summary of a member verified while the client was away, after the missed events', async () => {
    const a = await asker(server);
    const away = await joined();
    const lastSeq = away.of('welcome')[0]!.seq;
    away.close();
    await verify(server, a);
    const poster = await joined();
    const ask = question();
    poster.send(ask);
    await poster.waitFor('ack', (f) => f.clientId === ask.clientId);
    poster.close();

    const back = await joined('kanreg1', lastSeq);
    assert.equal(back.of('welcome')[0]!.resync, false);
    const badge = await back.waitFor('member', (f) => f.member.id === a.id);
    assert.deepEqual(badge.member, {
      id: a.id,
      name: 'Analis Sleman',
      reputation: badge.member.reputation,
      level: badge.member.level,
      officer: false,
      verified: { jabatan: 'Analis Kepegawaian', instansi: 'BKD Kab. Sleman', at: badge.member.verified!.at },
    });
    const order = back.frames.map((f) => f.type);
    assert.ok(order.lastIndexOf('event') < order.indexOf('member'), `the member frames follow the replayed events: ${order}`);
    assert.ok(!JSON.stringify(back.frames).includes(NIP.slice(0, 8)), 'no NIP in any frame');
    back.close();
    await revoke(server, a.id);
  });

  it('tells clients of every site, also a site where nothing happened meanwhile', async () => {
    const a = await asker(server);
    await verify(server, a);
    const away = await joined('kanreg2');
    const lastSeq = away.of('welcome')[0]!.seq;
    away.close();
    await revoke(server, a.id);

    const back = await joined('kanreg2', lastSeq);
    assert.equal(back.of('welcome')[0]!.resync, false);
    assert.equal(back.of('welcome')[0]!.seq, lastSeq, 'no event of kanreg2 happened');
    const revoked = await back.waitFor('member', (f) => f.member.id === a.id);
    assert.equal(revoked.member.verified, undefined);
    back.close();
  });

  it('does not repeat a change the client saw before a later event it also saw', async () => {
    const a = await asker(server);
    const c = await joined();
    await rest(server, 'PATCH', '/api/visitors/me', { name: 'Analis Bantul' }, a.token);
    await c.waitFor('member', (f) => f.member.id === a.id && f.member.name === 'Analis Bantul');
    const ask = question();
    c.send(ask);
    const seq = (await c.waitFor('ack', (f) => f.clientId === ask.clientId)).thread!.seq;
    await c.waitFor('event', (f) => f.event.seq === seq);
    c.close();

    const back = await joined('kanreg1', seq);
    assert.equal(back.of('welcome')[0]!.resync, false);
    // Replayed events and member frames are sent right after `welcome`, before the pong.
    await back.barrier();
    assert.deepEqual(about(back, a.id), []);
    back.close();
  });
});

describe('resuming across a server restart', () => {
  const dir = mkdtempSync(join(tmpdir(), 'osg-hub-restart-'));
  let running: TestServer | undefined;
  after(async () => {
    await running?.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('asks for a resync when a member may have changed before the restart, then resumes with member frames again', async () => {
    running = await startTestServer({}, dir);
    const a = await asker(running);
    const away = await joined('kanreg1', undefined, false, running);
    const lastSeq = away.of('welcome')[0]!.seq;
    away.close();
    await verify(running, a);
    await running.destroy();

    running = await startTestServer({}, dir);
    const back = await joined('kanreg1', lastSeq, false, running);
    const welcome = back.of('welcome')[0]!;
    assert.equal(welcome.seq, lastSeq, 'the sequence continues from the store');
    assert.equal(welcome.resync, true, 'the restarted server cannot know what changed before it started');
    // What the widget reloads on resync shows the badge.
    const { threads } = await rest(running, 'GET', '/api/sites/kanreg1/threads?limit=50');
    assert.ok(threads.some((t: { author?: MemberSummary }) => t.author?.id === a.id && t.author.verified));
    back.close();

    // Past the seq it started at, the restarted server remembers again.
    const b = await rest(running, 'POST', '/api/visitors', {}, undefined, 201);
    const ack = await rest(running, 'POST', '/api/sites/kanreg1/threads', { ...question(), type: undefined }, b.token, 201);
    await revoke(running, a.id);
    const resumed = await joined('kanreg1', ack.seq, false, running);
    assert.equal(resumed.of('welcome')[0]!.resync, false);
    assert.equal((await resumed.waitFor('member', (f) => f.member.id === a.id)).member.verified, undefined);
    resumed.close();
  });
});

describe('idempotent posts', () => {
  it('creates one post for a clientId sent twice and acks both', async () => {
    const a = await joined();
    const q = question();
    a.send(q);
    a.send(q);
    // The two acks may come in either order: the retry does not wait for the first one's bookkeeping.
    await a.waitFor('ack', (f) => f.clientId === q.clientId && f.duplicate);
    await a.waitFor('ack', (f) => f.clientId === q.clientId && !f.duplicate);
    const acks = a.of('ack').filter((f) => f.clientId === q.clientId);
    assert.equal(acks.length, 2);
    assert.equal(acks[0]!.thread!.id, acks[1]!.thread!.id);
    // A second thread would have been broadcast before its ack; both acks are in, so the pong follows any such event.
    await a.barrier();
    assert.equal(a.of('event').filter((f) => f.event.change.kind === 'thread.created' && f.event.change.thread.clientId === q.clientId).length, 1);
    a.close();
  });
});

describe('bad frames', () => {
  it('answers each with an error code and keeps the connection open', async () => {
    const c = await joined();
    const bad: Array<[unknown, string]> = [
      ['not json', 'bad_request'],
      [{ type: 'launch' }, 'bad_request'],
      [{ ...question(), role: 'officer' }, 'bad_request'],
      [{ ...question(), title: 123 }, 'bad_request'],
      [{ ...question(), clientId: 'x' }, 'bad_request'],
      [{ ...question(), title: 'pendek' }, 'too_short'],
      [{ ...question(), category: 'nope' }, 'invalid_category'],
      [{ type: 'answer', clientId: cid(), threadId: 'missing', body: 'hi' }, 'thread_not_found'],
      [{ type: 'hello', v: 1, site: 'kanreg1' }, 'bad_request'],
    ];
    for (const [frame, code] of bad) {
      const before = c.of('error').length;
      c.send(frame);
      await c.waitFor('error', () => c.of('error').length > before);
      const err = c.of('error').at(-1)!;
      assert.equal(err.error.code, code, JSON.stringify(frame).slice(0, 60));
    }
    c.ws.send(Buffer.from([1, 2, 3]), { binary: true });
    await c.waitFor('error', () => c.of('error').length > bad.length);
    c.send({ type: 'ping', id: 7 });
    assert.equal((await c.waitFor('pong')).id, 7);
    c.close();
  });

  it('refuses posting before hello and without a token', async () => {
    const c = await TestClient.connect(url);
    c.send(question());
    assert.equal((await c.waitFor('error')).error.code, 'not_subscribed');
    c.close();
    const anon = await joined('kanreg1', undefined, false);
    anon.send(question());
    assert.equal((await anon.waitFor('error')).error.code, 'unauthorized');
    anon.close();
  });

  it('closes with 1009 on a frame over the size limit', async () => {
    const c = await joined();
    c.send({ ...question(), body: 'x'.repeat(70 * 1024) });
    assert.equal(await c.closed, 1009);
  });

  it('closes with 1013 when the resume fails, and the next hello works', async () => {
    // A store failure during resume, injected at the service seam; the socket must not stay half-subscribed.
    const resume = server.service.resume;
    server.service.resume = async () => {
      throw new Error('disk gone');
    };
    try {
      const c = await TestClient.connect(url);
      c.send({ type: 'hello', v: 1, site: 'kanreg1', token, lastSeq: 1 });
      assert.equal((await c.waitFor('error')).error.code, 'internal');
      assert.equal(await c.closed, 1013);
      assert.equal(c.of('welcome').length, 0);
    } finally {
      server.service.resume = resume;
    }
    const again = await joined('kanreg1', 1);
    const watcher = await joined();
    watcher.send(question());
    await again.waitFor('event', (f) => f.event.change.kind === 'thread.created');
    again.close();
    watcher.close();
  });

  it('tells a forged token apart and still lets the client read', async () => {
    const c = await TestClient.connect(url);
    c.send({ type: 'hello', v: 1, site: 'kanreg1', token: token.slice(0, -3) + 'xyz' });
    assert.equal((await c.waitFor('error')).error.code, 'unauthorized');
    const welcome = await c.waitFor('welcome');
    assert.equal(welcome.visitor, undefined);
    c.close();
  });
});

describe('protocol versions', () => {
  it('answers a hello of another version with unsupported_version, even when its other fields are new, and closes', async () => {
    for (const hello of [
      { type: 'hello', v: 3, site: 'kanreg1', token },
      // A newer client may send fields this version does not know: the version is what it must hear about.
      { type: 'hello', v: 3, site: 'kanreg1', features: ['compression'], lastSeq: 'abc' },
      { type: 'hello', v: '1', site: 'kanreg1' },
    ]) {
      const c = await TestClient.connect(url);
      c.send(hello);
      const error = await c.waitFor('error');
      assert.equal(error.error.code, 'unsupported_version', JSON.stringify(hello));
      assert.equal(await c.closed, 1008);
      assert.equal(c.of('welcome').length, 0);
    }
  });

  it('still answers bad_request to a hello of this version with a bad field', async () => {
    const c = await TestClient.connect(url);
    c.send({ type: 'hello', v: 1, site: 'kanreg1', lastSeq: 'abc' });
    assert.equal((await c.waitFor('error')).error.code, 'bad_request');
    await c.barrier();
    c.close();
  });
});

describe('shutting down', () => {
  it('tells every client unavailable before closing with 1001', async () => {
    const stopping = await startTestServer();
    const c = await joined('kanreg1', undefined, false, stopping);
    await stopping.destroy();
    assert.equal(await c.closed, 1001);
    assert.deepEqual(c.of('error').map((f) => f.error.code), ['unavailable']);
  });
});

describe('origins', () => {
  it('refuses an upgrade from an unlisted origin before accepting it', async () => {
    await assert.rejects(TestClient.connect(url, { Origin: 'https://evil.example' }), /HTTP 403/);
  });

  it('accepts a listed origin only for its own site', async () => {
    const c = await TestClient.connect(url, { Origin: 'https://kanreg1.example.go.id' });
    c.send({ type: 'hello', v: 1, site: 'kanreg2' });
    assert.equal((await c.waitFor('error')).error.code, 'origin_not_allowed');
    assert.equal(await c.closed, 4003);
    const ok = await TestClient.connect(url, { Origin: 'https://kanreg1.example.go.id' });
    ok.send({ type: 'hello', v: 1, site: 'kanreg1' });
    await ok.waitFor('welcome');
    ok.close();
  });

  it('answers 404 for another path', async () => {
    await assert.rejects(TestClient.connect(`ws://127.0.0.1:${server.port}/other`), /HTTP 404/);
  });
});

describe('heartbeat', () => {
  it('ends a peer that never answers pings', async () => {
    // A raw TCP client completes the handshake and then ignores everything, like a dead phone.
    const socket = connect(server.port, '127.0.0.1');
    await new Promise((r) => socket.once('connect', r));
    socket.write(
      'GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
        'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
    );
    socket.resume(); // read (and drop) the pings, so that the server's close is seen
    const t0 = Date.now();
    await new Promise<void>((resolve, reject) => {
      socket.on('close', () => resolve());
      socket.on('error', () => resolve());
      setTimeout(() => reject(new Error('dead peer was not ended')), 5000);
    });
    assert.ok(Date.now() - t0 >= 900, 'not before one heartbeat');
  });
});
