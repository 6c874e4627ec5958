/**
 * Viewer counts and officers' presence summed over two instances (server/realtime/shared-presence.ts): widgets and
 * officer consoles on A and on B see each other, the REST thread view lists officers on the other instance, and an
 * instance that stops (or goes silent) stops counting.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { hashPassword } from '../../../server/domain/passwords.js';
import { dropTestSchemas, queryIn, testSchema } from '../../support/postgres.js';
import { ensureRedis, ownRedis, TEST_REDIS_URL, testPrefix } from '../../support/redis.js';
import { callOn, startInstance, type Instance } from '../../support/scale-rig.js';
import { TestClient } from '../../support/ws-client.js';

after(dropTestSchemas);

const BUDI = { username: 'budi', name: 'Budi Santoso', password: 'rahasia-budi-2026' };
const RINA = { username: 'rina', name: 'Rina Wulandari', password: 'rahasia-rina-2026' };

async function officersFile(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'osg-presence-officers-'));
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'officers.json');
  const rows = await Promise.all([BUDI, RINA].map(async (a) => ({ username: a.username, name: a.name, passwordHash: await hashPassword(a.password) })));
  writeFileSync(file, JSON.stringify(rows));
  return file;
}

/** Two instances on one schema and one Redis prefix; `b` is returned with a stop that may be called early. */
async function pair(t: { after: (fn: () => unknown) => void }, presenceRefreshMs?: number, redisUrl = TEST_REDIS_URL): Promise<[Instance, Instance]> {
  await ensureRedis();
  const schema = await testSchema();
  t.after(schema.drop);
  await queryIn('public', `CREATE SCHEMA ${schema.name}`);
  const settings = { schema: schema.name, officersFile: await officersFile(), redisUrl, prefix: testPrefix(), options: { presenceRefreshMs } };
  const a = await startInstance(settings);
  t.after(() => a.stop());
  const b = await startInstance(settings);
  let bStopped: Promise<void> | undefined;
  const stopB = () => (bStopped ??= b.stop());
  t.after(stopB);
  return [a, { ...b, stop: stopB }];
}


let n = 0;
async function thread(on: Instance): Promise<string> {
  const { token } = await callOn(on, 'POST', '/api/visitors', {});
  const body = { title: `Pertanyaan kehadiran ${n}`, body: 'Isi pertanyaan yang cukup panjang.', category: 'cuti', clientId: `presence-${n++}-${Date.now()}` };
  return (await callOn(on, 'POST', '/api/sites/kanreg1/threads', body, token)).id;
}

async function watching(on: Instance, threadId: string): Promise<TestClient> {
  const ws = await TestClient.connect(`ws://127.0.0.1:${on.port}/ws`);
  ws.send({ type: 'hello', v: 1, site: 'kanreg1' });
  await ws.waitFor('welcome');
  ws.send({ type: 'watch', threadId });
  return ws;
}

async function officer(on: Instance, account: typeof BUDI): Promise<{ ws: TestClient; token: string; id: string }> {
  const { token } = await callOn(on, 'POST', '/api/officer/login', { username: account.username, password: account.password });
  const ws = await TestClient.connect(`ws://127.0.0.1:${on.port}/ws`);
  ws.send({ type: 'officer-hello', v: 1, token });
  const welcome = await ws.waitFor('officer-welcome');
  return { ws, token, id: welcome.officer.id };
}

const names = (list: Array<{ officer: { name: string }; typing: boolean }>) => list.map((p) => `${p.officer.name}${p.typing ? ' (mengetik)' : ''}`);

describe('presence across instances', () => {
  it('counts a thread\'s viewers on both instances, and stops counting an instance that stops', async (t) => {
    const [a, b] = await pair(t);
    const threadId = await thread(a);
    const onA = await watching(a, threadId);
    t.after(() => onA.close());
    await onA.waitFor('presence', (f) => f.threadId === threadId && f.viewers === 1);
    const onB = await watching(b, threadId);
    t.after(() => onB.close());
    await onB.waitFor('presence', (f) => f.threadId === threadId && f.viewers === 2);
    await onA.waitFor('presence', (f) => f.threadId === threadId && f.viewers === 2);
    const second = await watching(b, threadId);
    await onA.waitFor('presence', (f) => f.threadId === threadId && f.viewers === 3);
    second.close();
    await onA.waitFor('presence', (f) => f.threadId === threadId && f.viewers === 2);

    await b.stop();
    await onA.waitFor('presence', (f) => f.threadId === threadId && f.viewers === 1);
  });

  it('a silent instance (killed, cut off) is forgotten after three refreshes', async (t) => {
    const [a, b] = await pair(t, 200);
    const threadId = await thread(a);
    const onA = await watching(a, threadId);
    t.after(() => onA.close());
    const onB = await watching(b, threadId);
    t.after(() => onB.close());
    await onA.waitFor('presence', (f) => f.threadId === threadId && f.viewers === 2);
    // B can no longer publish and says no goodbye, as when its process is killed; its widget stays connected.
    b.redis!.client.disconnect();
    b.redis!.subscriber.disconnect();
    await onA.waitFor('presence', (f) => f.threadId === threadId && f.viewers === 1);
  });

  it('while Redis is down each instance counts its own; when it returns the counts are whole again', async (t) => {
    const redis = await ownRedis();
    t.after(() => redis.stop());
    const [a, b] = await pair(t, 200, redis.url);
    const threadId = await thread(a);
    const onA = await watching(a, threadId);
    t.after(() => onA.close());
    const onB = await watching(b, threadId);
    t.after(() => onB.close());
    await onA.waitFor('presence', (f) => f.threadId === threadId && f.viewers === 2);
    await redis.stop();
    await onA.waitFor('presence', (f) => f.threadId === threadId && f.viewers === 1);
    await onB.waitFor('presence', (f) => f.threadId === threadId && f.viewers === 1);
    const [beforeA, beforeB] = [onA.of('presence').length, onB.of('presence').length];
    await redis.start();
    // The instances reconnect by themselves (ioredis retries at most every 2 s).
    await onA.waitFor('presence', (f) => f.threadId === threadId && f.viewers === 2 && onA.of('presence').indexOf(f) >= beforeA, 15_000);
    await onB.waitFor('presence', (f) => f.threadId === threadId && f.viewers === 2 && onB.of('presence').indexOf(f) >= beforeB, 15_000);
  });

  it('officers see each other across instances, typing too, also in the REST thread view; a stopped instance\'s officer leaves', async (t) => {
    const [a, b] = await pair(t);
    const threadId = await thread(a);
    const budi = await officer(a, BUDI);
    t.after(() => budi.ws.close());
    const rina = await officer(b, RINA);
    t.after(() => rina.ws.close());

    budi.ws.send({ type: 'view', threadId });
    await budi.ws.waitFor('officer-presence', (f) => f.threadId === threadId);
    rina.ws.send({ type: 'view', threadId });
    const joined = await budi.ws.waitFor('officer-presence', (f) => f.threadId === threadId && f.officers.length === 1);
    assert.deepEqual(names(joined.officers), ['Rina Wulandari']);
    // The newcomer on B is told who is already there on A.
    const there = await rina.ws.waitFor('officer-presence', (f) => f.threadId === threadId && f.officers.length === 1);
    assert.deepEqual(names(there.officers), ['Budi Santoso']);

    rina.ws.send({ type: 'typing', threadId });
    const typing = await budi.ws.waitFor('officer-presence', (f) => f.threadId === threadId && f.officers.some((p) => p.typing));
    assert.deepEqual(names(typing.officers), ['Rina Wulandari (mengetik)']);
    const view = await callOn(a, 'GET', `/api/officer/threads/${threadId}`, undefined, budi.token);
    assert.deepEqual(names(view.officers), ['Rina Wulandari (mengetik)'], 'the REST view on A lists the officer on B');

    await b.stop();
    const left = await budi.ws.waitFor('officer-presence', (f) => f.threadId === threadId && f.officers.length === 0);
    assert.deepEqual(left.officers, []);
    assert.deepEqual((await callOn(a, 'GET', `/api/officer/threads/${threadId}`, undefined, budi.token)).officers, []);
  });
});
