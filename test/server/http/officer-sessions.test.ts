/**
 * Officer sessions end to end: a real server on loopback, the real JSON store, the real officer CLI
 * changing the real officers file. Each test starts its own server (its own data and clock).
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import request from 'supertest';
import type { Logger } from '../../../server/log.js';
import { OFFICER, startTestServer, type TestServer } from '../../support/server.js';
import { TestClient } from '../../support/ws-client.js';

const MINUTE = 60_000;
const ROOT = new URL('../../../', import.meta.url).pathname;

interface Rig {
  server: TestServer;
  api: ReturnType<typeof request>;
  /** The server's clock; tests move it. */
  clock: { now: number };
  logs: Array<{ level: string; msg: string; fields?: Record<string, unknown> }>;
}

const cleanups = new WeakMap<TestContext, Array<() => unknown>>();

/** Runs `fn` when the test ends, last registered first (servers stop before their directory goes). */
function onCleanup(t: TestContext, fn: () => unknown): void {
  let list = cleanups.get(t);
  if (!list) {
    const fns: Array<() => unknown> = [];
    cleanups.set(t, (list = fns));
    t.after(async () => {
      for (const cleanup of fns.reverse()) await cleanup();
    });
  }
  list.push(fn);
}

function tempDir(t: TestContext, prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  onCleanup(t, () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function rig(t: TestContext, env: Record<string, string> = {}, dir?: string, clock = { now: Date.parse('2026-03-02T01:00:00Z') }): Promise<Rig> {
  const logs: Rig['logs'] = [];
  const log: Logger = (level, msg, fields) => logs.push({ level, msg, fields });
  const server = await startTestServer(env, dir, { now: () => clock.now, log });
  onCleanup(t, () => server.destroy());
  return { server, api: request(server.http), clock, logs };
}

async function login(r: Rig, password = OFFICER.password, username = OFFICER.username): Promise<string> {
  const res = await r.api.post('/api/officer/login').send({ username, password });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body.token;
}

/** An officer-only read; returns status and error body. */
async function officerRead(r: Rig, token: string) {
  const res = await r.api.get('/api/officer/audit').set('Authorization', `Bearer ${token}`);
  return { status: res.status, error: res.body.error };
}

async function assertEnded(r: Rig, token: string, reason: string) {
  const { status, error } = await officerRead(r, token);
  assert.equal(status, 401);
  assert.equal(error.code, 'session_ended');
  assert.equal(error.reason, reason);
}

/** `npm run officer -- …` against the server's officers file, the password given as scripts give it. */
function officerCli(r: Rig, args: string[], password?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'server/cli/officer.ts', ...args],
      { cwd: ROOT, env: { ...process.env, OSG_OFFICERS_FILE: r.server.config.officersFile, ...(password ? { OSG_OFFICER_PASSWORD: password } : {}) } },
      (err, stdout, stderr) => (err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(stdout)),
    );
  });
}

/** The barrier after a file change: the server's own count of reloads that have fully taken effect. */
async function reloaded(r: Rig, before: number): Promise<void> {
  const end = Date.now() + 10_000;
  while (r.server.officers.accountsVersion <= before) {
    if (Date.now() > end) throw new Error('the server did not reload the officers file within 10 s');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** A member's thread on kanreg1, for official answers. */
async function thread(r: Rig): Promise<string> {
  const member = (await r.api.post('/api/visitors').send({}).expect(201)).body.token;
  const res = await r.api
    .post('/api/sites/kanreg1/threads')
    .set('Authorization', `Bearer ${member}`)
    .send({ title: 'Kapan SK pensiun terbit?', body: 'Berkas pensiun sudah lengkap sejak bulan lalu.', category: 'pensiun', clientId: `t-${Math.random().toString(36).slice(2)}` })
    .expect(201);
  return res.body.id;
}

const journalRecords = (dir: string) =>
  readdirSync(dir)
    .filter((n) => /^journal-\d+\.ndjson$/.test(n))
    .flatMap((n) => readFileSync(join(dir, n), 'utf8').trim().split('\n').filter(Boolean))
    .map((line) => JSON.parse(line).r.t as string);

describe('signing out', () => {
  it('ends the token at once, on officer routes and on the visitors’ routes alike; signing out again is fine', async (t) => {
    const r = await rig(t);
    const threadId = await thread(r);
    const token = await login(r);
    assert.equal((await officerRead(r, token)).status, 200);
    await r.api.post('/api/officer/logout').set('Authorization', `Bearer ${token}`).expect(204);
    await assertEnded(r, token, 'logout');
    const answer = await r.api.post(`/api/threads/${threadId}/posts`).set('Authorization', `Bearer ${token}`).send({ body: 'Jawaban resmi.', clientId: 'after-logout-1' });
    assert.equal(answer.status, 401);
    assert.equal(answer.body.error.code, 'session_ended', 'no official answer from a signed-out token');
    await r.api.post('/api/officer/logout').set('Authorization', `Bearer ${token}`).expect(204);
    assert.equal((await r.api.post('/api/officer/logout').expect(401)).body.error.code, 'unauthorized');
  });

  it('stops a signed-out officer’s WebSocket from posting official answers', async (t) => {
    const r = await rig(t);
    const threadId = await thread(r);
    const token = await login(r);
    const ws = await TestClient.connect(`ws://127.0.0.1:${r.server.port}/ws`);
    t.after(() => ws.ws.close());
    ws.send({ type: 'hello', v: 1, site: 'kanreg1', token });
    await ws.waitFor('welcome');
    ws.send({ type: 'answer', threadId, clientId: 'ws-before-logout', body: 'Sebelum keluar.' });
    await ws.waitFor('ack', (f) => f.clientId === 'ws-before-logout');
    await r.api.post('/api/officer/logout').set('Authorization', `Bearer ${token}`).expect(204);
    ws.send({ type: 'answer', threadId, clientId: 'ws-after-logout', body: 'Sesudah keluar.' });
    const refused = await ws.waitFor('error', (f) => f.clientId === 'ws-after-logout');
    assert.equal(refused.error.code, 'session_ended');
  });
});

describe('signing in again', () => {
  it('ends the older session of the same account, which then says why', async (t) => {
    const r = await rig(t);
    const first = await login(r);
    const second = await login(r);
    await assertEnded(r, first, 'replaced');
    assert.equal((await officerRead(r, second)).status, 200);
  });
});

describe('changing the officers file while the server runs', () => {
  it('a new password (npm run officer -- passwd) ends every token of that account at once', async (t) => {
    const r = await rig(t);
    const token = await login(r);
    const before = r.server.officers.accountsVersion;
    await officerCli(r, ['passwd', OFFICER.username], 'kata-sandi-baru-2026');
    await reloaded(r, before);
    await assertEnded(r, token, 'credentials_changed');
    assert.equal((await r.api.post('/api/officer/login').send({ username: OFFICER.username, password: OFFICER.password })).body.error.code, 'bad_credentials');
    const fresh = await login(r, 'kata-sandi-baru-2026');
    assert.equal((await officerRead(r, fresh)).status, 200);
    assert.ok(r.logs.some((l) => l.msg === 'officer accounts reloaded'));
  });

  it('removing the account (npm run officer -- remove) ends its tokens and its sign-in', async (t) => {
    const r = await rig(t);
    const token = await login(r);
    const before = r.server.officers.accountsVersion;
    await officerCli(r, ['remove', OFFICER.username]);
    await reloaded(r, before);
    await assertEnded(r, token, 'account_removed');
    assert.equal((await r.api.post('/api/officer/login').send({ username: OFFICER.username, password: OFFICER.password })).body.error.code, 'bad_credentials');
  });

  it('adds an officer who can sign in at once, and leaves the other sessions alone', async (t) => {
    const r = await rig(t);
    const token = await login(r);
    const before = r.server.officers.accountsVersion;
    await officerCli(r, ['add', 'petugas2', 'Rina Kanreg I'], 'rahasia-petugas-2');
    await reloaded(r, before);
    const other = await login(r, 'rahasia-petugas-2', 'petugas2');
    assert.equal((await officerRead(r, other)).status, 200);
    assert.equal((await officerRead(r, token)).status, 200);
  });

  it('keeps the accounts in force when the file is broken, and logs why', async (t) => {
    const r = await rig(t);
    const token = await login(r);
    const file = r.server.config.officersFile;
    const good = readFileSync(file, 'utf8');
    writeFileSync(file, '[{"username": "petugas1", "name": ');
    const end = Date.now() + 10_000;
    while (!r.logs.some((l) => l.msg === 'officers file not reloaded')) {
      if (Date.now() > end) throw new Error('no error logged for the broken file');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    assert.match(String(r.logs.find((l) => l.msg === 'officers file not reloaded')!.fields?.message), /cannot read JSON.*kept/);
    assert.equal((await officerRead(r, token)).status, 200);
    assert.equal((await login(r)).length > 0, true, 'signing in still works with the accounts in force');
    // Fixed again: the same accounts, nothing ends.
    const before = r.server.officers.accountsVersion;
    writeFileSync(file, good.replace('Petugas Kanreg I', 'Petugas Kanreg I Yogyakarta'));
    await reloaded(r, before);
    assert.equal(r.server.officers.accountsVersion, before + 1);
  });
});

describe('expiry', () => {
  it('ends a session idle for 30 minutes, and records activity at most once a minute', async (t) => {
    const r = await rig(t);
    const token = await login(r);
    const touches = () => journalRecords(r.server.dir).filter((k) => k === 'officer-session.touched').length;
    for (let i = 0; i < 5; i++) {
      r.clock.now += 5_000;
      assert.equal((await officerRead(r, token)).status, 200);
    }
    assert.equal(touches(), 0, 'no durable write for requests within the first minute');
    r.clock.now += 29 * MINUTE;
    assert.equal((await officerRead(r, token)).status, 200);
    assert.equal(touches(), 1);
    r.clock.now += 29 * MINUTE;
    assert.equal((await officerRead(r, token)).status, 200, 'activity counts from the last request');
    r.clock.now += 30 * MINUTE;
    await assertEnded(r, token, 'idle');
  });

  it('honours OSG_OFFICER_IDLE_MINUTES', async (t) => {
    const r = await rig(t, { OSG_OFFICER_IDLE_MINUTES: '5' });
    const token = await login(r);
    r.clock.now += 4 * MINUTE;
    assert.equal((await officerRead(r, token)).status, 200);
    r.clock.now += 5 * MINUTE;
    await assertEnded(r, token, 'idle');
  });

  it('ends a session OSG_OFFICER_SESSION_HOURS after sign-in however active it is', async (t) => {
    const r = await rig(t, { OSG_OFFICER_SESSION_HOURS: '1' });
    const res = await r.api.post('/api/officer/login').send({ username: OFFICER.username, password: OFFICER.password }).expect(200);
    assert.equal(Date.parse(res.body.expiresAt), Math.floor(r.clock.now / 1000) * 1000 + 3600_000);
    for (let i = 0; i < 3; i++) {
      r.clock.now += 19 * MINUTE;
      assert.equal((await officerRead(r, res.body.token)).status, 200);
    }
    r.clock.now += 4 * MINUTE;
    const { status, error } = await officerRead(r, res.body.token);
    assert.equal(status, 401);
    assert.equal(error.code, 'token_expired');
  });
});

describe('sessions across a restart', () => {
  it('keep live sessions live and ended ones ended, after a clean stop and after a crash (journal replay)', async (t) => {
    const dir = tempDir(t, 'osg-sessions-restart-');
    const clock = { now: Date.parse('2026-03-02T01:00:00Z') };
    const first = await rig(t, {}, dir, clock);
    const replaced = await login(first);
    const loggedOut = await login(first);
    await first.api.post('/api/officer/logout').set('Authorization', `Bearer ${loggedOut}`).expect(204);
    const live = await login(first);

    // A crash image: the files as a kill -9 would leave them (no snapshot; the journal only).
    const crashed = tempDir(t, 'osg-sessions-crash-');
    cpSync(dir, crashed, { recursive: true, filter: (source) => !basename(source).startsWith('LOCK') });
    rmSync(join(crashed, 'LOCK'), { force: true });
    assert.equal(readdirSync(crashed).includes('snapshot.json'), false);

    await first.server.stop();
    for (const restarted of [await rig(t, {}, dir, clock), await rig(t, {}, crashed, clock)]) {
      assert.equal((await officerRead(restarted, live)).status, 200);
      await assertEnded(restarted, replaced, 'replaced');
      await assertEnded(restarted, loggedOut, 'logout');
    }
  });
});
