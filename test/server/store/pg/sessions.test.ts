/**
 * Officer sessions on a shared PostgreSQL: two sign-ins racing through two instances leave one live
 * session, and an ended session is ended for every instance at once (the domain caches nothing).
 */
import assert from 'node:assert/strict';
import { after, describe, it, type TestContext } from 'node:test';
import { DomainError } from '../../../../server/domain/errors.js';
import type { OfficerSession, Visitor } from '../../../../server/domain/model.js';
import { credentialStamp, OfficerAccounts } from '../../../../server/domain/officer-accounts.js';
import { OfficerSessions } from '../../../../server/domain/officer-sessions.js';
import { TokenSigner } from '../../../../server/domain/tokens.js';
import { PgStore } from '../../../../server/store/pg/pg-store.js';
import { clientIn, dropTestSchemas, queryIn, TEST_DATABASE_URL, testSchema, waitUntilBlockedBy } from '../../../support/postgres.js';

after(dropTestSchemas);

const at = (minute: number) => new Date(Date.UTC(2026, 0, 5, 1, minute)).toISOString();
let counter = 0;

function session(over: Partial<OfficerSession> = {}): OfficerSession {
  return {
    id: `s-${++counter}-${Math.random().toString(36).slice(2, 8)}`,
    officerId: 'officer-petugas1',
    username: 'petugas1',
    credential: 'stamp-1',
    createdAt: at(0),
    expiresAt: at(12 * 60),
    lastSeenAt: at(0),
    ...over,
  };
}

async function instances(t: TestContext): Promise<{ stores: PgStore[]; schema: string }> {
  const schema = await testSchema();
  const stores = [0, 1].map(() => new PgStore({ url: TEST_DATABASE_URL, schema: schema.name }));
  for (const store of stores) await store.open();
  t.after(async () => {
    for (const store of stores) await store.close();
    await schema.drop();
  });
  return { stores, schema: schema.name };
}

describe('PostgreSQL store: officer sessions on two instances', () => {
  it('leave exactly one live session when two sign-ins with endOthers race through both', async (t) => {
    const { stores, schema } = await instances(t);
    const earlier = session();
    await stores[0].createOfficerSession({ session: earlier, endOthers: false });
    // Hold the live session's row: both sign-ins reach it and wait, then go one right after the other.
    // Each ending only the sessions committed when its statement started, both would survive.
    const holder = await clientIn(schema);
    t.after(() => holder.end());
    await holder.query('BEGIN');
    await holder.query('SELECT 1 FROM officer_sessions WHERE id = $1 FOR UPDATE', [earlier.id]);
    const [a, b] = [session({ createdAt: at(10), lastSeenAt: at(10) }), session({ createdAt: at(11), lastSeenAt: at(11) })];
    const racing = [stores[0].createOfficerSession({ session: a, endOthers: true }), stores[1].createOfficerSession({ session: b, endOthers: true })];
    await waitUntilBlockedBy(holder, 2);
    await holder.query('COMMIT');
    await Promise.all(racing);

    const rows = await queryIn<{ id: string; end_reason: string | null }>(schema, 'SELECT id, end_reason FROM officer_sessions ORDER BY created_at');
    assert.equal(rows.filter((r) => r.end_reason === null).length, 1, 'one live session');
    assert.deepEqual(rows.map((r) => r.end_reason).sort(), ['replaced', 'replaced', null].sort());
    const live = rows.find((r) => r.end_reason === null)!.id;
    for (const store of stores) assert.equal((await store.getOfficerSession({ id: live }))?.endedAt, undefined);
  });

  it('see on one instance what the other recorded: activity, a sign-out, every session of an officer ended', async (t) => {
    const { stores } = await instances(t);
    const [a, b] = stores;
    const first = session();
    const second = session();
    await a.createOfficerSession({ session: first, endOthers: false });
    await a.createOfficerSession({ session: second, endOthers: false });
    await b.touchOfficerSession({ id: first.id, at: at(4) });
    assert.equal((await a.getOfficerSession({ id: first.id }))?.lastSeenAt, at(4));
    await b.endOfficerSession({ id: first.id, at: at(5), reason: 'logout' });
    assert.deepEqual(await a.getOfficerSession({ id: first.id }), { ...first, lastSeenAt: at(4), endedAt: at(5), endReason: 'logout' });
    await a.endOfficerSessions({ officerId: first.officerId, at: at(6), reason: 'credentials_changed' });
    assert.deepEqual(await b.getOfficerSession({ id: second.id }), { ...second, endedAt: at(6), endReason: 'credentials_changed' });
    assert.equal((await b.getOfficerSession({ id: first.id }))?.endReason, 'logout', 'an ended session keeps its first end');
  });

  it('drop sessions that expired by the time a new one is created', async (t) => {
    const { stores } = await instances(t);
    const old = session({ expiresAt: at(30) });
    const current = session({ officerId: 'officer-petugas2', username: 'petugas2', expiresAt: at(90) });
    await stores[0].createOfficerSession({ session: old, endOthers: false });
    await stores[0].createOfficerSession({ session: current, endOthers: false });
    await stores[1].createOfficerSession({ session: session({ officerId: 'officer-petugas3', username: 'petugas3', createdAt: at(30), lastSeenAt: at(30) }), endOthers: false });
    assert.equal(await stores[0].getOfficerSession({ id: old.id }), undefined);
    assert.deepEqual(await stores[0].getOfficerSession({ id: current.id }), current);
  });
});

describe('officer sessions (the domain) over two instances of one PostgreSQL store', () => {
  it('refuse on one instance a token whose session ended through the other: sign-out, then a new sign-in', async (t) => {
    const { stores } = await instances(t);
    const account = { username: 'petugas1', name: 'Petugas', passwordHash: 'scrypt$not-a-real-hash' };
    const member: Visitor = { id: 'officer-petugas1', name: 'Petugas', createdAt: at(0), updatedAt: at(0), role: 'officer', username: 'petugas1' };
    const tokens = new TokenSigner('a-test-secret-of-at-least-32-bytes!!', 3600);
    const now = Date.parse(at(0));
    const [onA, onB] = stores.map((store) => new OfficerSessions({ store, tokens, accounts: new OfficerAccounts([account]), now: () => now }));
    const refusal = (reason: string) => (err: unknown) => err instanceof DomainError && err.code === 'session_ended' && err.details.reason === reason;

    const { token } = await onA.start(account, member);
    const claims = tokens.verify(token, now);
    assert.equal((await onB.check(claims, member)).username, 'petugas1');
    await onB.end(token);
    await assert.rejects(onA.check(claims, member), refusal('logout'));

    const second = tokens.verify((await onB.start(account, member)).token, now);
    assert.equal(credentialStamp(await onA.check(second, member)), credentialStamp(account));
    const third = tokens.verify((await onA.start(account, member)).token, now);
    await assert.rejects(onB.check(second, member), refusal('replaced'));
    await onA.check(third, member);
  });
});
