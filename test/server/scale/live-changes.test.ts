/**
 * Officers' queue changes and members' badge changes between instances (server/realtime/relay.ts): a page on
 * instance B hears, live, of a change made through instance A, and a page on A hears it once (not again through
 * Redis). The absence of a second frame is proven by a barrier: a later change made through B reaches A over the
 * same Redis subscription, after A's own earlier message.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { dropTestSchemas, queryIn, testSchema } from '../../support/postgres.js';
import { ensureRedis, ownRedis, TEST_REDIS_URL, testPrefix } from '../../support/redis.js';
import { callOn, sharedOfficersFile, startInstance, type Instance } from '../../support/scale-rig.js';
import { OFFICER } from '../../support/server.js';
import { TestClient } from '../../support/ws-client.js';

after(dropTestSchemas);

async function pair(t: { after: (fn: () => unknown) => void }, redis: boolean | string = true): Promise<[Instance, Instance]> {
  await ensureRedis();
  const schema = await testSchema();
  t.after(schema.drop);
  await queryIn('public', `CREATE SCHEMA ${schema.name}`);
  const settings = { schema: schema.name, officersFile: await sharedOfficersFile(), ...(redis ? { redisUrl: typeof redis === 'string' ? redis : TEST_REDIS_URL, prefix: testPrefix() } : {}) };
  const a = await startInstance(settings);
  t.after(() => a.stop());
  const b = await startInstance(settings);
  t.after(() => b.stop());
  return [a, b];
}


let n = 0;
/** A member's question through `on`, with a follow-up requested: the thread enters the officers' queue. */
async function followUp(on: Instance): Promise<string> {
  const { token } = await callOn(on, 'POST', '/api/visitors', {});
  const body = { title: `Pertanyaan tindak lanjut ${n}`, body: 'Isi pertanyaan yang cukup panjang.', category: 'cuti', clientId: `live-${n++}-${Date.now()}` };
  const thread = await callOn(on, 'POST', '/api/sites/kanreg1/threads', body, token);
  await callOn(on, 'POST', `/api/threads/${thread.id}/follow-up`, {}, token);
  return thread.id;
}

async function officerSocket(on: Instance): Promise<TestClient> {
  const { token } = await callOn(on, 'POST', '/api/officer/login', { username: OFFICER.username, password: OFFICER.password });
  const ws = await TestClient.connect(`ws://127.0.0.1:${on.port}/ws`);
  ws.send({ type: 'officer-hello', v: 1, token });
  await ws.waitFor('officer-welcome');
  return ws;
}

async function widget(on: Instance): Promise<TestClient> {
  const ws = await TestClient.connect(`ws://127.0.0.1:${on.port}/ws`);
  ws.send({ type: 'hello', v: 1, site: 'kanreg2' });
  await ws.waitFor('welcome');
  return ws;
}

const queueFrames = (ws: TestClient, threadId: string) => ws.of('queue').filter((f) => f.item.thread.id === threadId).map((f) => `${f.item.followUp.version}:${f.item.followUp.status}`);

describe('live changes between instances', () => {
  it('a follow-up opened through A reaches the officer console on B, and A\'s console once', async (t) => {
    const [a, b] = await pair(t);
    const onA = await officerSocket(a);
    t.after(() => onA.close());
    const onB = await officerSocket(b);
    t.after(() => onB.close());

    const threadId = await followUp(a);
    await onA.waitFor('queue', (f) => f.item.thread.id === threadId);
    await onB.waitFor('queue', (f) => f.item.thread.id === threadId);

    // Barrier: B's change reaches A after A's own message about the first thread would have come back.
    const later = await followUp(b);
    await onA.waitFor('queue', (f) => f.item.thread.id === later);
    await onB.waitFor('queue', (f) => f.item.thread.id === later);
    assert.deepEqual(queueFrames(onA, threadId), queueFrames(onB, threadId), 'both consoles saw the same changes');
    assert.equal(new Set(queueFrames(onA, threadId)).size, queueFrames(onA, threadId).length, 'no change twice on A');
    assert.equal(new Set(queueFrames(onB, later)).size, queueFrames(onB, later).length, 'no change twice on B');
  });

  it('a member renamed through A is shown renamed to a widget on B, live, and once on A', async (t) => {
    const [a, b] = await pair(t);
    const onA = await widget(a);
    t.after(() => onA.close());
    const onB = await widget(b);
    t.after(() => onB.close());
    const rina = await callOn(a, 'POST', '/api/visitors', {});
    const sari = await callOn(b, 'POST', '/api/visitors', {});

    await callOn(a, 'PATCH', '/api/visitors/me', { name: 'Rina Wulandari' }, rina.token);
    const seen = await onB.waitFor('member', (f) => f.member.id === rina.visitor.id);
    assert.equal(seen.member.name, 'Rina Wulandari');

    await callOn(b, 'PATCH', '/api/visitors/me', { name: 'Sari Kusuma' }, sari.token);
    await onA.waitFor('member', (f) => f.member.id === sari.visitor.id);
    assert.equal(onA.of('member').filter((f) => f.member.id === rina.visitor.id).length, 1, 'A\'s own change once');
    await onB.waitFor('member', (f) => f.member.id === sari.visitor.id);
    assert.equal(onB.of('member').filter((f) => f.member.id === sari.visitor.id).length, 1, 'B\'s own change once');
  });

  it('without Redis a member change stays on its instance (what the relay adds)', async (t) => {
    const [a, b] = await pair(t, false);
    const onB = await widget(b);
    t.after(() => onB.close());
    const rina = await callOn(a, 'POST', '/api/visitors', {});
    await callOn(a, 'PATCH', '/api/visitors/me', { name: 'Rina Wulandari' }, rina.token);
    // Barrier: a change made on B itself reaches its widget; A's, made before, never did.
    const sari = await callOn(b, 'POST', '/api/visitors', {});
    await callOn(b, 'PATCH', '/api/visitors/me', { name: 'Sari Kusuma' }, sari.token);
    await onB.waitFor('member', (f) => f.member.id === sari.visitor.id);
    assert.equal(onB.of('member').filter((f) => f.member.id === rina.visitor.id).length, 0);
  });

  it('while Redis is down a change still reaches its own instance\'s pages', async (t) => {
    const redis = await ownRedis();
    t.after(() => redis.stop());
    const [a] = await pair(t, redis.url);
    const console_ = await officerSocket(a);
    t.after(() => console_.close());
    const onA = await widget(a);
    t.after(() => onA.close());
    await redis.stop();
    const threadId = await followUp(a);
    await console_.waitFor('queue', (f) => f.item.thread.id === threadId);
    const rina = await callOn(a, 'POST', '/api/visitors', {});
    await callOn(a, 'PATCH', '/api/visitors/me', { name: 'Rina Wulandari' }, rina.token);
    await onA.waitFor('member', (f) => f.member.id === rina.visitor.id);
  });
});
