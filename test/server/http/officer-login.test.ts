/**
 * Officer sign-in under attack: the per-username lockout and the bound on concurrent password checks,
 * on a real server on loopback. Each test starts its own server (its own clock and counters).
 */
import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import request from 'supertest';
import { OFFICER, startTestServer } from '../../support/server.js';

const MINUTE = 60_000;

async function rig(t: TestContext, options: Parameters<typeof startTestServer>[2] = {}) {
  const clock = { now: Date.parse('2026-03-02T01:00:00Z') };
  const server = await startTestServer({}, undefined, { now: () => clock.now, ...options });
  t.after(() => server.destroy());
  const api = request(server.http);
  const attempt = async (username: string, password: string) => {
    const res = await api.post('/api/officer/login').send({ username, password });
    return { status: res.status, body: res.body, retryAfter: res.headers['retry-after'] as string | undefined };
  };
  return { clock, attempt };
}

describe('per-username lockout', () => {
  it('locks a username after 5 failures in 15 minutes, even for the right password, then lifts by itself', async (t) => {
    const { clock, attempt } = await rig(t);
    for (let i = 0; i < 5; i++) {
      assert.equal((await attempt(OFFICER.username, `salah-sandi-${i}00`)).body.error.code, 'bad_credentials');
      clock.now += MINUTE;
    }
    const locked = await attempt(OFFICER.username, OFFICER.password);
    assert.equal(locked.status, 429);
    assert.equal(locked.body.error.code, 'login_locked');
    assert.equal(locked.body.error.retryAfterMs, 10 * MINUTE);
    assert.equal(locked.retryAfter, '600');
    clock.now += 10 * MINUTE;
    const after = await attempt(OFFICER.username, OFFICER.password);
    assert.equal(after.status, 200, 'the lock lifted when the first failure left the window');
  });

  it('answers a username that does not exist exactly as one that does, failing and locked', async (t) => {
    const { clock, attempt } = await rig(t);
    const known: Array<Awaited<ReturnType<typeof attempt>>> = [];
    const unknown: typeof known = [];
    for (let i = 0; i < 7; i++) {
      known.push(await attempt(OFFICER.username, 'bukan-sandinya-123'));
      unknown.push(await attempt('petugas-palsu', 'bukan-sandinya-123'));
      clock.now += 1000;
    }
    assert.deepEqual(unknown, known);
    assert.deepEqual(
      known.map((a) => a.body.error.code),
      ['bad_credentials', 'bad_credentials', 'bad_credentials', 'bad_credentials', 'bad_credentials', 'login_locked', 'login_locked'],
    );
  });

  it('leaves other usernames alone and a success clears the count', async (t) => {
    const { attempt } = await rig(t);
    for (let i = 0; i < 4; i++) await attempt(OFFICER.username, 'bukan-sandinya-123');
    assert.equal((await attempt(OFFICER.username, OFFICER.password)).status, 200);
    for (let i = 0; i < 4; i++) await attempt(OFFICER.username, 'bukan-sandinya-123');
    assert.equal((await attempt(OFFICER.username, OFFICER.password)).status, 200, 'four failures after a success do not lock');
    for (let i = 0; i < 5; i++) await attempt('orang-lain', 'bukan-sandinya-123');
    assert.equal((await attempt(OFFICER.username, OFFICER.password)).status, 200);
  });
});

describe('the bound on concurrent password checks', () => {
  it('refuses sign-ins beyond it at once with unavailable and a retry time, and still answers the rest', async (t) => {
    const { attempt } = await rig(t, { hashing: { concurrent: 1, queued: 1 } });
    // Distinct usernames, as a spraying attacker would use: the lockout never steps in.
    const results = await Promise.all(Array.from({ length: 16 }, (_, i) => attempt(`tebakan-${i}`, 'bukan-sandinya-123')));
    const refused = results.filter((r) => r.status === 503);
    const checked = results.filter((r) => r.status === 401);
    assert.equal(refused.length + checked.length, results.length, JSON.stringify(results.map((r) => r.body)));
    assert.ok(refused.length > 0, 'some were refused');
    assert.ok(checked.length >= 2, 'the running and the queued check were answered');
    for (const r of refused) {
      assert.equal(r.body.error.code, 'unavailable');
      assert.ok(r.body.error.retryAfterMs >= 1000);
      assert.equal(r.retryAfter, String(Math.ceil(r.body.error.retryAfterMs / 1000)));
    }
    for (const r of checked) assert.equal(r.body.error.code, 'bad_credentials');
    assert.equal((await attempt(OFFICER.username, OFFICER.password)).status, 200, 'free again afterwards');
  });
});
