/**
 * What every open widget hears of a follow-up: the thread's public part (tracking number, status) as a
 * sequenced `thread.updated` event on the site's stream, so the asker's status and every visitor's chip change
 * live, and a widget that reconnects resumes them like any other event. Real server (JSON store), real ws
 * clients on loopback.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { EventView, ServerMessage } from '../../../server/protocol.js';
import { queueRig, type QueueRig } from '../../support/queue-rig.js';
import { TestClient } from '../../support/ws-client.js';

/** A visitor's socket on kanreg1, welcomed; from `lastSeq` when given. */
async function visitorSocket(q: QueueRig, token: string, lastSeq?: number): Promise<TestClient> {
  const ws = await TestClient.connect(`ws://127.0.0.1:${q.server.port}/ws`);
  ws.send({ type: 'hello', v: 1, site: 'kanreg1', token, ...(lastSeq === undefined ? {} : { lastSeq }) });
  await ws.waitFor('welcome');
  return ws;
}

const tokenOf = (auth: Record<string, string>) => auth.Authorization!.slice('Bearer '.length);

/** The follow-ups of `threadId` this socket heard, in order. */
function heard(ws: TestClient, threadId: string): Array<{ seq: number; followUp: unknown }> {
  return ws
    .of('event')
    .map((frame: Extract<ServerMessage, { type: 'event' }>) => frame.event)
    .filter((event: EventView) => event.change.kind === 'thread.updated' && event.change.thread.id === threadId)
    .map((event) => ({ seq: event.seq, followUp: event.change.kind === 'thread.updated' ? event.change.thread.followUp : undefined }));
}

describe("a follow-up's public part on the visitors' stream", () => {
  it('reaches every visitor as thread.updated on the request and on each status change, and nothing more', async (t) => {
    const q = await queueRig(t);
    const asker = await q.visitor();
    const reader = await q.visitor();
    const thread = await q.ask(asker.auth);
    const ws = await visitorSocket(q, tokenOf(reader.auth));

    const { tracking } = await q.request(asker.auth, thread.id);
    await ws.waitFor('event', (f) => f.event.change.kind === 'thread.updated' && f.event.change.thread.followUp?.status === 'baru');

    // Assignment is the officers' business: it changes no public part, so visitors hear nothing of it.
    const { version } = await q.followUp(q.officer.petugas1, thread.id);
    await q.api.post(`/api/officer/threads/${thread.id}/assign`).set(q.officer.petugas1).send({ officerId: 'officer-petugas1', version }).expect(200);
    await ws.barrier();
    assert.equal(heard(ws, thread.id).length, 1, 'assigning is not a public change');

    // The officer's first answer moves baru to diproses; selesai needs that answer.
    const answered = await q.api.post(`/api/officer/threads/${thread.id}/answers`).set(q.officer.petugas1)
      .send({ body: 'Berkas kami terima; kami periksa minggu ini.', clientId: 'officer-answer-1', followUpVersion: version + 1 }).expect(201);
    await q.api.post(`/api/officer/threads/${thread.id}/status`).set(q.officer.petugas1).send({ status: 'selesai', version: answered.body.followUp.version }).expect(200);
    await ws.waitFor('event', (f) => f.event.change.kind === 'thread.updated' && f.event.change.thread.followUp?.status === 'selesai');
    const events = heard(ws, thread.id);
    assert.deepEqual(events.map((e) => e.followUp), [
      { tracking, status: 'baru' },
      { tracking, status: 'diproses' },
      { tracking, status: 'selesai' },
    ]);
    assert.ok(events.every((e, i) => i === 0 || e.seq > events[i - 1]!.seq), 'sequenced like every other event');
    // Only the public part: no clocks, no assignee, no version.
    const raw = JSON.stringify(ws.frames);
    for (const secret of ['assignee', 'slaState', 'firstResponseDue', 'resolutionDue']) assert.ok(!raw.includes(secret), secret);
    ws.close();
  });

  it('replays the changes a reconnecting widget missed, from its last sequence number', async (t) => {
    const q = await queueRig(t);
    const asker = await q.visitor();
    const thread = await q.ask(asker.auth);
    const first = await visitorSocket(q, tokenOf(asker.auth));
    const lastSeq = first.of('welcome')[0]!.seq;
    first.close();

    const { tracking } = await q.request(asker.auth, thread.id);
    const { version } = await q.followUp(q.officer.petugas1, thread.id);
    await q.api.post(`/api/officer/threads/${thread.id}/answers`).set(q.officer.petugas1)
      .send({ body: 'Berkas kami terima; kami periksa minggu ini.', clientId: 'officer-answer-2', followUpVersion: version }).expect(201);

    const back = await visitorSocket(q, tokenOf(asker.auth), lastSeq);
    assert.equal(back.of('welcome')[0]!.resync, false);
    await back.waitFor('event', (f) => f.event.change.kind === 'thread.updated' && f.event.change.thread.followUp?.status === 'diproses');
    assert.deepEqual(heard(back, thread.id).map((e) => e.followUp), [
      { tracking, status: 'baru' },
      { tracking, status: 'diproses' },
    ]);
    back.close();
  });
});
