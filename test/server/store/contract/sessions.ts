/**
 * The officer-session part of the store contract (runStoreContract calls it for every implementation):
 * create, read, touch, end one, end all of an officer, a new sign-in ending the others, and all of it
 * surviving a reopen.
 */
import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import type { OfficerSession } from '../../../../server/domain/model.js';
import type { Store } from '../../../../server/store/store.js';
import type { StoreFixture, StoreFixtureOptions } from './context.js';

const at = (minute: number) => new Date(Date.UTC(2026, 0, 5, 1, minute)).toISOString();
let counter = 0;

function session(over: Partial<OfficerSession> = {}): OfficerSession {
  const id = `s-${++counter}-${Math.random().toString(36).slice(2, 8)}`;
  return {
    id,
    officerId: 'officer-petugas1',
    username: 'petugas1',
    credential: 'stamp-1',
    createdAt: at(0),
    expiresAt: at(12 * 60),
    lastSeenAt: at(0),
    ...over,
  };
}

export function runOfficerSessionContract(name: string, makeStore: (options?: StoreFixtureOptions) => Promise<StoreFixture>): void {
  describe(`${name} store contract: officer sessions`, () => {
    let fixture: StoreFixture;
    let store: Store;

    beforeEach(async () => {
      fixture = await makeStore();
      store = fixture.store;
    });

    async function done(): Promise<void> {
      await store.close();
      await fixture.cleanup();
    }

    async function reopen(): Promise<Store> {
      await store.close();
      store = await fixture.reopen();
      return store;
    }

    it('keeps a created session and gives undefined for an unknown id; callers get copies', async (t) => {
      t.after(done);
      const s = session();
      assert.deepEqual(await store.createOfficerSession({ session: s, endOthers: false }), s);
      const read = (await store.getOfficerSession({ id: s.id }))!;
      assert.deepEqual(read, s);
      read.endedAt = at(1);
      assert.deepEqual(await store.getOfficerSession({ id: s.id }), s, 'changing a copy changes nothing');
      assert.equal(await store.getOfficerSession({ id: 'nobody' }), undefined);
    });

    it('moves lastSeenAt forward only, and not on an ended session', async (t) => {
      t.after(done);
      const s = session();
      await store.createOfficerSession({ session: s, endOthers: false });
      await store.touchOfficerSession({ id: s.id, at: at(5) });
      await store.touchOfficerSession({ id: s.id, at: at(3) });
      assert.equal((await store.getOfficerSession({ id: s.id }))?.lastSeenAt, at(5));
      await store.endOfficerSession({ id: s.id, at: at(6), reason: 'logout' });
      await store.touchOfficerSession({ id: s.id, at: at(7) });
      assert.equal((await store.getOfficerSession({ id: s.id }))?.lastSeenAt, at(5));
      await store.touchOfficerSession({ id: 'nobody', at: at(7) });
      assert.equal(await store.getOfficerSession({ id: 'nobody' }), undefined, 'touching an unknown session creates nothing');
    });

    it('ends one session with its time and reason; ending it again keeps the first end', async (t) => {
      t.after(done);
      const a = session();
      const b = session();
      await store.createOfficerSession({ session: a, endOthers: false });
      await store.createOfficerSession({ session: b, endOthers: false });
      await store.endOfficerSession({ id: a.id, at: at(10), reason: 'logout' });
      await store.endOfficerSession({ id: a.id, at: at(11), reason: 'idle' });
      assert.deepEqual(await store.getOfficerSession({ id: a.id }), { ...a, endedAt: at(10), endReason: 'logout' });
      assert.deepEqual(await store.getOfficerSession({ id: b.id }), b, 'the other session goes on');
      await store.endOfficerSession({ id: 'nobody', at: at(11), reason: 'logout' });
    });

    it('a new session with endOthers ends every other live session of that officer only', async (t) => {
      t.after(done);
      const first = session();
      const second = session();
      const other = session({ officerId: 'officer-petugas2', username: 'petugas2' });
      await store.createOfficerSession({ session: first, endOthers: false });
      await store.createOfficerSession({ session: second, endOthers: false });
      await store.createOfficerSession({ session: other, endOthers: false });
      await store.endOfficerSession({ id: first.id, at: at(2), reason: 'logout' });
      const third = session({ createdAt: at(20), lastSeenAt: at(20), expiresAt: at(20 + 12 * 60) });
      await store.createOfficerSession({ session: third, endOthers: true });
      assert.deepEqual(await store.getOfficerSession({ id: first.id }), { ...first, endedAt: at(2), endReason: 'logout' }, 'an ended one keeps its end');
      assert.deepEqual(await store.getOfficerSession({ id: second.id }), { ...second, endedAt: at(20), endReason: 'replaced' });
      assert.deepEqual(await store.getOfficerSession({ id: third.id }), third);
      assert.deepEqual(await store.getOfficerSession({ id: other.id }), other, "another officer's session goes on");
    });

    it('ends every live session of one officer at once', async (t) => {
      t.after(done);
      const a = session();
      const b = session();
      const other = session({ officerId: 'officer-petugas2', username: 'petugas2' });
      for (const s of [a, b, other]) await store.createOfficerSession({ session: s, endOthers: false });
      await store.endOfficerSessions({ officerId: 'officer-petugas1', at: at(30), reason: 'credentials_changed' });
      assert.equal((await store.getOfficerSession({ id: a.id }))?.endReason, 'credentials_changed');
      assert.equal((await store.getOfficerSession({ id: b.id }))?.endedAt, at(30));
      assert.equal((await store.getOfficerSession({ id: other.id }))?.endedAt, undefined);
      await store.endOfficerSessions({ officerId: 'officer-nobody', at: at(31), reason: 'account_removed' });
    });

    it('keeps sessions, activity and every way of ending across close and reopen', async (t) => {
      t.after(done);
      const live = session();
      const loggedOut = session({ officerId: 'officer-petugas2', username: 'petugas2' });
      const replaced = session({ officerId: 'officer-petugas3', username: 'petugas3' });
      const removed = session({ officerId: 'officer-petugas4', username: 'petugas4' });
      for (const s of [live, loggedOut, replaced, removed]) await store.createOfficerSession({ session: s, endOthers: false });
      await store.touchOfficerSession({ id: live.id, at: at(4) });
      await store.endOfficerSession({ id: loggedOut.id, at: at(5), reason: 'logout' });
      const successor = session({ officerId: 'officer-petugas3', username: 'petugas3', createdAt: at(6), lastSeenAt: at(6) });
      await store.createOfficerSession({ session: successor, endOthers: true });
      await store.endOfficerSessions({ officerId: 'officer-petugas4', at: at(7), reason: 'account_removed' });
      const ids = [live, loggedOut, replaced, removed, successor].map((s) => s.id);
      const before = await Promise.all(ids.map((id) => store.getOfficerSession({ id })));
      assert.deepEqual(
        before.map((s) => [s?.lastSeenAt, s?.endReason]),
        [[at(4), undefined], [at(0), 'logout'], [at(0), 'replaced'], [at(0), 'account_removed'], [at(6), undefined]],
      );
      const reopened = await reopen();
      assert.deepEqual(await Promise.all(ids.map((id) => reopened.getOfficerSession({ id }))), before);
    });
  });
}
