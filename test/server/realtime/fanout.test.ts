import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { DigestView, EventView, ServerMessage } from '../../../server/protocol.js';
import { Fanout, type FanoutClient } from '../../../server/realtime/fanout.js';
import { startTestServer, type TestServer } from '../../support/server.js';
import { TestClient } from '../../support/ws-client.js';

// A long window, so that posts sent together land in one digest even on a loaded machine.
const WINDOW_MS = 1000;
let server: TestServer;
let token: string;
let n = 0;
const cid = () => `fo-${Date.now().toString(36)}-${n++}`;
const ask = () => ({ type: 'ask', clientId: cid(), title: `Syarat kenaikan pangkat reguler ${n}`, body: 'Dokumen apa saja yang harus diunggah ke SIASN?', category: 'mutasi' });

before(async () => {
  server = await startTestServer({ OSG_FANOUT_WINDOW_MS: String(WINDOW_MS) });
  const res = await fetch(`http://127.0.0.1:${server.port}/api/visitors`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
  token = (await res.json()).token;
});
after(() => server.destroy());

async function joined(v: 1 | 2, lastSeq?: number): Promise<TestClient> {
  const c = await TestClient.connect(`ws://127.0.0.1:${server.port}/ws`);
  c.send({ type: 'hello', v, site: 'kanreg1', token, ...(lastSeq === undefined ? {} : { lastSeq }) });
  await c.waitFor('welcome');
  return c;
}

/** Sends the frames at once (not waiting for each ack) and returns the acks, in the order sent. */
async function post(poster: TestClient, frames: Array<{ type: string; clientId: string; [field: string]: unknown }>) {
  for (const f of frames) poster.send(f);
  return Promise.all(frames.map((f) => poster.waitFor('ack', (a) => a.clientId === f.clientId, 10_000)));
}

const digests = (c: TestClient): DigestView[] => c.of('digest').map((f) => f.digest);
const ranges = (c: TestClient) => digests(c).map((d) => [d.fromSeq, d.toSeq]);
const until = (c: TestClient, seq: number) => c.waitFor('digest', (f) => f.digest.toSeq >= seq, 10_000);

/** The digest ranges follow each other from `from` to `to` with no gap and no overlap. */
function assertContiguous(c: TestClient, from: number, to: number): void {
  let next = from;
  for (const [lo, hi] of ranges(c)) {
    assert.equal(lo, next, `ranges ${JSON.stringify(ranges(c))} should start at ${from} without gaps`);
    assert.ok(hi! >= lo!);
    next = hi! + 1;
  }
  assert.equal(next - 1, to, `ranges ${JSON.stringify(ranges(c))} should end at ${to}`);
}

describe('protocol 2 digests', () => {
  it('coalesce the posts of a window into one frame with the exact seq range, and no event frames', async () => {
    const list = await joined(2);
    const start = list.of('welcome')[0]!.seq;
    const poster = await joined(2);
    const acks = await post(poster, [ask(), ask(), ask()]);
    const last = acks[2]!.thread!.seq;
    await until(list, last);
    assertContiguous(list, start + 1, last);
    assert.ok(digests(list).length < 3, `3 posts sent together came in ${digests(list).length} digests`);
    const shown = digests(list).flatMap((d) => d.threads.map((t) => t.id));
    assert.deepEqual(shown.sort(), acks.map((a) => a.thread!.id).sort());

    const answered = await post(poster, [{ type: 'answer', clientId: cid(), threadId: acks[0]!.thread!.id, body: 'Lihat Peraturan BKN Nomor 4 Tahun 2023.' }]);
    const digest = (await until(list, answered[0]!.post!.seq)).digest;
    assert.deepEqual(digest.activity, [{ id: acks[0]!.thread!.id, answerCount: 1, lastActivityAt: answered[0]!.post!.createdAt, status: 'answered' }]);
    await list.barrier();
    assert.equal(list.of('event').length, 0, 'a list reader gets no bodies');
    assertContiguous(list, start + 1, answered[0]!.post!.seq);
    list.close();
    poster.close();
  });

  it('send a watched thread its answers at once, before the digest, and other threads none', async () => {
    const poster = await joined(2);
    const [thread, other] = (await post(poster, [ask(), ask()])).map((a) => a.thread!);
    const watcher = await joined(2, other!.seq);
    watcher.send({ type: 'watch', threadId: thread!.id });
    await watcher.waitFor('presence', (f) => f.threadId === thread!.id && f.viewers === 1);
    const list = await joined(2, other!.seq);
    const [ack] = await post(poster, [{ type: 'answer', clientId: cid(), threadId: thread!.id, body: 'Unggah SK pangkat terakhir dan SKP.' }]);
    const event = await watcher.waitFor('event', (f) => f.event.seq === ack!.post!.seq);
    // The window is 1 s long: the body came at once, not with the digest.
    assert.equal(digests(watcher).filter((d) => d.toSeq >= ack!.post!.seq).length, 0);
    assert.equal(event.event.change.kind === 'post.created' && event.event.change.post.body, 'Unggah SK pangkat terakhir dan SKP.');

    const [elsewhere] = await post(poster, [{ type: 'answer', clientId: cid(), threadId: other!.id, body: 'Tanyakan ke BKD kabupaten.' }]);
    await until(watcher, elsewhere!.post!.seq);
    await until(list, elsewhere!.post!.seq);
    await watcher.barrier();
    await list.barrier();
    assert.deepEqual(watcher.of('event').map((f) => f.event.seq), [ack!.post!.seq], 'only the watched thread');
    assert.equal(list.of('event').length, 0);
    // The watcher's lastSeq moves with digests, which cover its thread's events too.
    assertContiguous(watcher, other!.seq + 1, elsewhere!.post!.seq);
    assertContiguous(list, other!.seq + 1, elsewhere!.post!.seq);
    for (const c of [poster, watcher, list]) c.close();
  });
});

describe('resuming in protocol 2', () => {
  it('from a lastSeq inside a digest range replays the rest of it in one digest, then goes on without gap or duplicate', async () => {
    const first = await joined(2);
    const poster = await joined(2);
    const acks = await post(poster, [ask(), ask(), ask()]);
    const seqs = acks.map((a) => a.thread!.seq);
    await until(first, seqs[2]!);
    const inside = digests(first).find((d) => d.fromSeq <= seqs[0]! && d.toSeq >= seqs[1]!);
    assert.ok(inside, `a digest covering ${seqs[0]} and ${seqs[1]}: ${JSON.stringify(ranges(first))}`);

    const back = await joined(2, seqs[0]!);
    await until(back, seqs[2]!);
    assert.deepEqual(ranges(back), [[seqs[0]! + 1, seqs[2]!]]);
    assert.deepEqual(digests(back)[0]!.threads.map((t) => t.id), [acks[1]!.thread!.id, acks[2]!.thread!.id]);

    // Posts, then a client resuming while their window is still open, then another post into it.
    const more = await post(poster, [ask(), ask()]);
    const midway = await joined(2, more[0]!.thread!.seq);
    const [late] = await post(poster, [ask()]);
    for (const c of [back, midway]) await until(c, late!.thread!.seq);
    assertContiguous(back, seqs[0]! + 1, late!.thread!.seq);
    assertContiguous(midway, more[0]!.thread!.seq + 1, late!.thread!.seq);
    const midwayThreads = digests(midway).flatMap((d) => d.threads.map((t) => t.id));
    assert.deepEqual(midwayThreads, [more[1]!.thread!.id, late!.thread!.id]);
    for (const c of [first, poster, back, midway]) c.close();
  });
});

describe('protocol 1 beside protocol 2', () => {
  it('still sends a version 1 client every event in order, and no digest', async () => {
    const v1 = await joined(1);
    const start = v1.of('welcome')[0]!.seq;
    const v2 = await joined(2);
    const acks = await post(v2, [ask(), ask()]);
    const [answer] = await post(v2, [{ type: 'answer', clientId: cid(), threadId: acks[0]!.thread!.id, body: 'Bisa, lewat SIASN.' }]);
    await v1.waitFor('event', (f) => f.event.seq === answer!.post!.seq);
    await until(v2, answer!.post!.seq);
    await v1.barrier();
    assert.deepEqual(v1.of('event').map((f) => f.event.seq), [start + 1, start + 2, start + 3]);
    assert.equal(v1.of('digest').length, 0);
    v1.close();
    v2.close();
  });
});

describe('an event delivered twice (this process and a bus)', () => {
  it('goes to each client once', async () => {
    const sent = new Map<FanoutClient, ServerMessage[]>();
    const fanout = new Fanout({ windowMs: 20, send: (c, frame) => sent.get(c)!.push(JSON.parse(frame.toString())) });
    const client = (): FanoutClient => {
      const c: FanoutClient = { sentSeq: 0, eventSeq: 0 };
      sent.set(c, []);
      return c;
    };
    const [v1, watcher, list] = [client(), client(), client()];
    fanout.join(v1, 'kanreg1', 1);
    fanout.join(watcher, 'kanreg1', 2);
    fanout.join(list, 'kanreg1', 2);
    for (const c of [v1, watcher, list]) fanout.replayed(c, 10);
    fanout.watch(watcher, 't1');
    const event = (seq: number): EventView => ({
      site: 'kanreg1',
      seq,
      at: '2026-04-01T01:00:00.000Z',
      change: { kind: 'post.created', post: { threadId: 't1' } as never, thread: { id: 't1', answerCount: seq - 10, lastActivityAt: '2026-04-01T01:00:00.000Z', status: 'answered' } },
    });
    for (const seq of [11, 11, 12, 11, 12]) fanout.publish(event(seq));
    // The window flushes by its timer; a second window with only repeats would be empty, so none may come.
    await new Promise<void>((resolve) => {
      const check = () => (sent.get(list)!.length ? resolve() : setTimeout(check, 5));
      check();
    });
    fanout.publish(event(12));
    fanout.close();
    assert.deepEqual(sent.get(v1)!.map((f) => f.type === 'event' && f.event.seq), [11, 12]);
    assert.deepEqual(sent.get(watcher)!.map((f) => (f.type === 'event' ? f.event.seq : f.type)), [11, 12, 'digest']);
    assert.deepEqual(sent.get(list)!.map((f) => f.type === 'digest' && [f.digest.fromSeq, f.digest.toSeq]), [[11, 12]]);
  });
});
