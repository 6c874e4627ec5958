/**
 * The officers' live channel on a real server on loopback, with real ws clients, the real JSON store, real
 * officer sessions and the real officers file. Each test starts its own server (its own data and clock).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { hashPassword } from '../../../server/domain/passwords.js';
import { startTestServer, type TestServer } from '../../support/server.js';
import { TestClient } from '../../support/ws-client.js';

const MINUTE = 60_000;

interface Account {
  username: string;
  name: string;
  password: string;
  sites: string[];
}
const BUDI: Account = { username: 'budi', name: 'Budi Santoso', password: 'rahasia-budi-2026', sites: ['kanreg1'] };
const RINA: Account = { username: 'rina', name: 'Rina Wulandari', password: 'rahasia-rina-2026', sites: ['kanreg1'] };
const SARI: Account = { username: 'sari', name: 'Sari Kanreg Dua', password: 'rahasia-sari-2026', sites: ['kanreg2'] };

interface Rig {
  server: TestServer;
  clock: { now: number };
  officersFile: string;
}

async function writeAccounts(file: string, accounts: Account[]): Promise<void> {
  const rows = await Promise.all(accounts.map(async (a) => ({ username: a.username, name: a.name, passwordHash: await hashPassword(a.password), sites: a.sites })));
  writeFileSync(file, JSON.stringify(rows));
}

/** A server whose officers file holds `accounts`; typing lapses after `typingLapseMs`. */
async function rig(t: TestContext, accounts: Account[] = [BUDI, RINA, SARI], typingLapseMs = 5000): Promise<Rig> {
  const dir = mkdtempSync(join(tmpdir(), 'osg-officer-ws-'));
  const officersFile = join(dir, 'officers.json');
  await writeAccounts(officersFile, accounts);
  const clock = { now: Date.parse('2026-03-02T01:00:00Z') };
  const server = await startTestServer({}, dir, { now: () => clock.now, typingLapseMs });
  t.after(async () => {
    await server.destroy();
    rmSync(dir, { recursive: true, force: true });
  });
  return { server, clock, officersFile };
}

async function rest<T = any>(r: Rig, method: string, path: string, body?: unknown, bearer?: string, status = 200): Promise<T> {
  const res = await fetch(`http://127.0.0.1:${r.server.port}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await res.json();
  assert.equal(res.status, status, `${method} ${path}: ${JSON.stringify(json)}`);
  return json as T;
}

const login = async (r: Rig, a: Account): Promise<string> => (await rest(r, 'POST', '/api/officer/login', { username: a.username, password: a.password })).token;

const connect = (r: Rig) => TestClient.connect(`ws://127.0.0.1:${r.server.port}/ws`);

/** An officer's socket, welcomed. */
async function officerSocket(r: Rig, a: Account): Promise<{ ws: TestClient; token: string; id: string }> {
  const token = await login(r, a);
  const ws = await connect(r);
  ws.send({ type: 'officer-hello', v: 1, token });
  const welcome = await ws.waitFor('officer-welcome');
  return { ws, token, id: welcome.officer.id };
}

let n = 0;
/** A member's question on `site`; returns the thread id. */
async function thread(r: Rig, site = 'kanreg1'): Promise<string> {
  const { token } = await rest(r, 'POST', '/api/visitors', {}, undefined, 201);
  const body = { title: 'Kapan SK pensiun saya terbit?', body: 'Berkas pensiun sudah lengkap sejak bulan lalu.', category: 'pensiun', clientId: `officer-ws-${n++}-xxxx` };
  return (await rest(r, 'POST', `/api/sites/${site}/threads`, body, token, 201)).id;
}

describe('officer-hello', () => {
  it('welcomes an officer with who they are, their role and their sites', async (t) => {
    const r = await rig(t);
    const { ws } = await officerSocket(r, BUDI);
    const welcome = ws.of('officer-welcome')[0]!;
    assert.equal(welcome.officer.name, BUDI.name);
    assert.equal(welcome.officer.officer, true);
    assert.equal(welcome.role, 'officer');
    assert.deepEqual(welcome.sites, ['kanreg1']);
    assert.equal(r.server.officerChannel.connections, 1);
    ws.close();
  });

  it('refuses a forged token, a visitor token and a signed-out session with the code, then closes with 4003', async (t) => {
    const r = await rig(t);
    const token = await login(r, BUDI);
    const visitor = (await rest(r, 'POST', '/api/visitors', {}, undefined, 201)).token;
    const signedOut = await login(r, RINA);
    const out = await fetch(`http://127.0.0.1:${r.server.port}/api/officer/logout`, { method: 'POST', headers: { authorization: `Bearer ${signedOut}` } });
    assert.ok(out.ok);
    for (const [bad, code] of [
      [token.slice(0, -3) + 'xyz', 'unauthorized'],
      [visitor, 'forbidden'],
      [signedOut, 'session_ended'],
    ] as const) {
      const ws = await connect(r);
      ws.send({ type: 'officer-hello', v: 1, token: bad });
      assert.equal((await ws.waitFor('error')).error.code, code);
      assert.equal(await ws.closed, 4003);
      assert.equal(ws.of('officer-welcome').length, 0);
    }
    assert.equal(r.server.officerChannel.connections, 0);
  });

  it('closes with 1013 when the token cannot be checked now (the store fails), and the next hello works', async (t) => {
    const r = await rig(t);
    const token = await login(r, BUDI);
    // A store failure, injected at the service seam as the hub's tests do.
    const officerContext = r.server.followUps.officerContext;
    r.server.followUps.officerContext = async () => {
      throw new Error('disk gone');
    };
    try {
      const ws = await connect(r);
      ws.send({ type: 'officer-hello', v: 1, token });
      assert.equal((await ws.waitFor('error')).error.code, 'internal');
      assert.equal(await ws.closed, 1013);
    } finally {
      r.server.followUps.officerContext = officerContext;
    }
    const again = await connect(r);
    again.send({ type: 'officer-hello', v: 1, token });
    await again.waitFor('officer-welcome');
    again.close();
  });

  it('answers another protocol version with unsupported_version and closes', async (t) => {
    const r = await rig(t);
    const ws = await connect(r);
    ws.send({ type: 'officer-hello', v: 99, token: 'x' });
    assert.equal((await ws.waitFor('error')).error.code, 'unsupported_version');
    assert.equal(await ws.closed, 1008);
  });
});

describe('frames that are not an officer socket’s', () => {
  it('refuses view and typing on a visitor socket, and officer-hello after hello', async (t) => {
    const r = await rig(t);
    const id = await thread(r);
    const ws = await connect(r);
    ws.send({ type: 'view', threadId: id });
    assert.equal((await ws.waitFor('error')).error.code, 'bad_request');
    ws.send({ type: 'hello', v: 1, site: 'kanreg1' });
    await ws.waitFor('welcome');
    for (const frame of [{ type: 'typing', threadId: id }, { type: 'officer-hello', v: 1, token: await login(r, BUDI) }]) {
      const before = ws.of('error').length;
      ws.send(frame);
      await ws.waitFor('error', () => ws.of('error').length > before);
      assert.equal(ws.of('error').at(-1)!.error.code, 'bad_request', frame.type);
    }
    await ws.barrier();
    assert.equal(ws.of('officer-welcome').length, 0);
    ws.close();
  });

  it('refuses hello on an officer socket, typing without view, and an unknown thread', async (t) => {
    const r = await rig(t);
    const { ws } = await officerSocket(r, BUDI);
    const id = await thread(r);
    const frames: Array<[unknown, string]> = [
      [{ type: 'hello', v: 1, site: 'kanreg1' }, 'bad_request'],
      [{ type: 'typing', threadId: id }, 'bad_request'],
      [{ type: 'view', threadId: 'no-such-thread' }, 'thread_not_found'],
      // Another site's thread is refused as if it did not exist, as over REST.
      [{ type: 'view', threadId: await thread(r, 'kanreg2') }, 'thread_not_found'],
      [{ type: 'view', threadId: 'bad id!' }, 'bad_request'],
    ];
    for (const [frame, code] of frames) {
      const before = ws.of('error').length;
      ws.send(frame);
      await ws.waitFor('error', () => ws.of('error').length > before);
      assert.equal(ws.of('error').at(-1)!.error.code, code, JSON.stringify(frame));
    }
    await ws.barrier();
    assert.equal(ws.of('welcome').length, 0, 'an officer socket does not join a site stream');
    ws.close();
  });

  it('limits how fast an officer sends presence frames', async (t) => {
    const r = await rig(t);
    const { ws } = await officerSocket(r, BUDI);
    const id = await thread(r);
    ws.send({ type: 'view', threadId: id });
    for (let i = 0; i < 40; i++) ws.send({ type: 'typing', threadId: id });
    const limited = await ws.waitFor('error', (f) => f.error.code === 'rate_limited');
    assert.ok(limited.error.retryAfterMs! > 0);
    ws.close();
  });
});

describe('presence in a thread', () => {
  it('shows Rina that Budi is viewing, then typing, until it lapses, then that he left when he disconnects', async (t) => {
    const r = await rig(t, [BUDI, RINA], 300);
    const id = await thread(r);
    const rina = await officerSocket(r, RINA);
    const budi = await officerSocket(r, BUDI);
    rina.ws.send({ type: 'view', threadId: id });
    // Rina, first in the thread, learns that nobody else is there.
    assert.deepEqual((await rina.ws.waitFor('officer-presence')).officers, []);

    budi.ws.send({ type: 'view', threadId: id });
    const viewing = await rina.ws.waitFor('officer-presence', (f) => f.officers.length === 1);
    assert.equal(viewing.threadId, id);
    assert.deepEqual(
      viewing.officers.map((o) => [o.officer.name, o.typing]),
      [[BUDI.name, false]],
    );
    // Budi learns Rina is there; he is never listed to himself.
    const seenByBudi = await budi.ws.waitFor('officer-presence');
    assert.deepEqual(seenByBudi.officers.map((o) => o.officer.id), [rina.id]);

    budi.ws.send({ type: 'typing', threadId: id });
    await rina.ws.waitFor('officer-presence', (f) => f.officers[0]?.typing === true);
    // The REST thread view takes the same function.
    assert.deepEqual(r.server.officerChannel.presence(id, rina.id).map((o) => [o.officer.id, o.typing]), [[budi.id, true]]);
    const typingFrames = rina.ws.of('officer-presence').length;
    // Nothing else happens: the only way for "typing" to end is the lapse.
    await rina.ws.waitFor('officer-presence', (f) => rina.ws.of('officer-presence').indexOf(f) >= typingFrames && f.officers[0]?.typing === false);

    budi.ws.close();
    await rina.ws.waitFor('officer-presence', (f) => rina.ws.of('officer-presence').indexOf(f) > typingFrames && f.officers.length === 0);
    assert.deepEqual(r.server.officerChannel.presence(id), [{ officer: rina.ws.of('officer-welcome')[0]!.officer, typing: false }]);
    // Every frame Rina got spoke of the others only.
    for (const f of rina.ws.of('officer-presence')) assert.ok(f.officers.every((o) => o.officer.id !== rina.id));
    rina.ws.close();
  });

  it('tells nothing to officers of other threads', async (t) => {
    const r = await rig(t);
    const [one, two] = [await thread(r), await thread(r)];
    const rina = await officerSocket(r, RINA);
    const budi = await officerSocket(r, BUDI);
    rina.ws.send({ type: 'view', threadId: one });
    await rina.ws.waitFor('officer-presence');
    budi.ws.send({ type: 'view', threadId: two });
    await budi.ws.waitFor('officer-presence');
    budi.ws.send({ type: 'typing', threadId: two });
    // Budi's frames are handled in order: once his pong is back, his typing has been handled and announced.
    await budi.ws.barrier();
    await rina.ws.barrier();
    assert.equal(rina.ws.of('officer-presence').length, 1);
    rina.ws.close();
    budi.ws.close();
  });
});

describe('sessions and accounts', () => {
  it('closes a removed officer’s socket at once with session_ended, and leaves the others open', async (t) => {
    const r = await rig(t);
    const id = await thread(r);
    const rina = await officerSocket(r, RINA);
    const budi = await officerSocket(r, BUDI);
    rina.ws.send({ type: 'view', threadId: id });
    budi.ws.send({ type: 'view', threadId: id });
    await rina.ws.waitFor('officer-presence', (f) => f.officers.length === 1);

    // Rina's row is kept as it is: a new hash of her password would end her sessions too.
    const rows = JSON.parse(readFileSync(r.officersFile, 'utf8')) as Array<{ username: string }>;
    writeFileSync(r.officersFile, JSON.stringify(rows.filter((row) => row.username !== BUDI.username)));
    // The file watcher's own pace decides when (officer-sessions.test.ts allows it 10 s too).
    const error = await budi.ws.waitFor('error', () => true, 10_000);
    assert.equal(error.error.code, 'session_ended');
    assert.equal(error.error.reason, 'account_removed');
    assert.equal(await budi.ws.closed, 4003);
    // He left the thread as he went.
    await rina.ws.waitFor('officer-presence', (f) => f.officers.length === 0);
    await rina.ws.barrier();
    assert.equal(rina.ws.of('error').length, 0);
    assert.equal(r.server.officerChannel.connections, 1);
    rina.ws.close();
  });

  it('ends an idle session although its socket stays open, and counts view frames as activity', async (t) => {
    const r = await rig(t);
    const id = await thread(r);
    const budi = await officerSocket(r, BUDI);
    const rina = await officerSocket(r, RINA);
    // Rina works (a frame is activity like a request); Budi's page just stays open.
    r.clock.now += 20 * MINUTE;
    rina.ws.send({ type: 'view', threadId: id });
    await rina.ws.waitFor('officer-presence');
    await r.server.officerChannel.recheck();
    await budi.ws.barrier();
    assert.equal(budi.ws.of('error').length, 0, 'the session is 20 minutes idle: still live');

    r.clock.now += 11 * MINUTE;
    await r.server.officerChannel.recheck();
    const error = await budi.ws.waitFor('error');
    assert.equal(error.error.code, 'session_ended');
    assert.equal(error.error.reason, 'idle', 'the checks while the socket was open did not count as activity');
    assert.equal(await budi.ws.closed, 4003);
    await rina.ws.barrier();
    assert.equal(rina.ws.of('error').length, 0, 'Rina sent a frame 11 minutes ago');
    rina.ws.close();
  });

  it('closes the socket of a session signed out elsewhere at the next check', async (t) => {
    const r = await rig(t);
    const budi = await officerSocket(r, BUDI);
    // Signing in again ends the older session ("replaced").
    await login(r, BUDI);
    await r.server.officerChannel.recheck();
    const error = await budi.ws.waitFor('error');
    assert.equal(error.error.code, 'session_ended');
    assert.equal(error.error.reason, 'replaced');
    assert.equal(await budi.ws.closed, 4003);
  });

  it('checks the session at each frame, like REST', async (t) => {
    const r = await rig(t);
    const id = await thread(r);
    const budi = await officerSocket(r, BUDI);
    r.clock.now += 13 * 60 * MINUTE;
    budi.ws.send({ type: 'view', threadId: id });
    assert.equal((await budi.ws.waitFor('error')).error.code, 'token_expired');
    assert.equal(await budi.ws.closed, 4003);
  });
});
