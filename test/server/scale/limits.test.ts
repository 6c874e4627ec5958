/** Rate limits, sign-in lockouts and officer sessions hold across instances (server/store/redis/rate-limits.ts). */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { dropTestSchemas, queryIn, testSchema } from '../../support/postgres.js';
import { ensureRedis, ownRedis, TEST_REDIS_URL, testPrefix } from '../../support/redis.js';
import { sharedOfficersFile, startInstance, type Instance } from '../../support/scale-rig.js';
import { OFFICER } from '../../support/server.js';

after(dropTestSchemas);

const TIGHT = JSON.stringify({
  limits: {
    post: { member: { capacity: 3, perMinute: 1 }, newMember: { capacity: 3, perMinute: 1 }, ip: { capacity: 1000, perMinute: 1000 } },
    login: { ip: { capacity: 1000, perMinute: 1000 }, account: { failures: 3, windowMinutes: 15 } },
  },
});

async function pair(t: { after: (fn: () => unknown) => void }, redis: boolean | string): Promise<[Instance, Instance]> {
  await ensureRedis();
  const schema = await testSchema();
  t.after(schema.drop);
  await queryIn('public', `CREATE SCHEMA ${schema.name}`);
  const prefix = testPrefix();
  const settings = { schema: schema.name, officersFile: await sharedOfficersFile(), env: { OSG_TRUST: TIGHT }, ...(redis ? { redisUrl: typeof redis === 'string' ? redis : TEST_REDIS_URL, prefix } : {}) };
  const a = await startInstance(settings);
  t.after(() => a.stop());
  const b = await startInstance(settings);
  t.after(() => b.stop());
  return [a, b];
}

async function call(on: Instance, method: string, path: string, body?: unknown, token?: string): Promise<{ status: number; json: any }> {
  const res = await fetch(`${on.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, json: res.status === 204 ? undefined : await res.json() };
}

let n = 0;
const ask = (on: Instance, token: string) =>
  call(on, 'POST', '/api/sites/kanreg1/threads', { title: `Pertanyaan batas nomor ${n}`, body: 'Isi pertanyaan yang cukup panjang.', category: 'cuti', clientId: `lim-${n++}-${Date.now()}` }, token);

describe('limits across instances', () => {
  it('counts one member\'s posts once, whichever instance they reach', async (t) => {
    const [a, b] = await pair(t, true);
    const { token } = (await call(a, 'POST', '/api/visitors', {})).json;
    const statuses = [];
    for (const on of [a, b, a, b]) statuses.push((await ask(on, token)).status);
    assert.deepEqual(statuses, [201, 201, 201, 429]);
    const refused = await ask(a, token);
    assert.equal(refused.json.error.code, 'rate_limited');
    assert.ok(refused.json.error.retryAfterMs > 0);
  });

  it('without Redis each instance counts alone (what sharing prevents)', async (t) => {
    const [a, b] = await pair(t, false);
    const { token } = (await call(a, 'POST', '/api/visitors', {})).json;
    const statuses = [];
    for (const on of [a, b, a, b]) statuses.push((await ask(on, token)).status);
    assert.deepEqual(statuses, [201, 201, 201, 201]);
  });

  it('while Redis is down each instance still limits, in its own memory', async (t) => {
    const redis = await ownRedis();
    t.after(() => redis.stop());
    const [a] = await pair(t, redis.url);
    const { token } = (await call(a, 'POST', '/api/visitors', {})).json;
    await redis.stop();
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await ask(a, token)).status);
    assert.deepEqual(statuses, [201, 201, 201, 429]);
  });

  it('locks a username after failed sign-ins spread over both instances', async (t) => {
    const [a, b] = await pair(t, true);
    const wrong = { username: OFFICER.username, password: 'bukan-sandinya' };
    for (const on of [a, b, a]) assert.equal((await call(on, 'POST', '/api/officer/login', wrong)).status, 401);
    const locked = await call(b, 'POST', '/api/officer/login', { username: OFFICER.username, password: OFFICER.password });
    assert.equal(locked.json.error.code, 'login_locked', 'the right password too, on the other instance');
    assert.ok(locked.json.error.retryAfterMs > 0);
  });

  it('an officer token signed out on one instance is refused on the other at once', async (t) => {
    const [a, b] = await pair(t, true);
    const login = await call(a, 'POST', '/api/officer/login', { username: OFFICER.username, password: OFFICER.password });
    assert.equal(login.status, 200);
    const { token } = login.json;
    const onB = await call(b, 'GET', '/api/officer/verification-requests', undefined, token);
    assert.equal(onB.status, 200, JSON.stringify(onB.json));
    assert.equal((await call(a, 'POST', '/api/officer/logout', {}, token)).status, 204);
    const after = await call(b, 'GET', '/api/officer/verification-requests', undefined, token);
    assert.equal(after.status, 401);
    assert.equal((await call(a, 'GET', '/api/officer/verification-requests', undefined, token)).status, 401);
  });
});
