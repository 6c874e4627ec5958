import assert from 'node:assert/strict';
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import type { OfficerSession } from '../../../server/domain/model.js';
import { JsonStore, SNAPSHOT_FILE } from '../../../server/store/json-store.js';
import { segmentPath } from '../../../server/store/journal.js';

const at = (hour: number, minute = 0) => new Date(Date.UTC(2026, 0, 5, hour, minute)).toISOString();

function session(id: string, createdHour: number, over: Partial<OfficerSession> = {}): OfficerSession {
  return {
    id,
    officerId: 'officer-petugas1',
    username: 'petugas1',
    credential: 'stamp',
    createdAt: at(createdHour),
    expiresAt: at(createdHour + 12),
    lastSeenAt: at(createdHour),
    ...over,
  };
}

const cleanups = new WeakMap<TestContext, Array<() => Promise<unknown>>>();

/** Runs `fn` when the test ends, last registered first (stores close before their directory goes). */
function onCleanup(t: TestContext, fn: () => Promise<unknown>): void {
  let list = cleanups.get(t);
  if (!list) {
    const fns: Array<() => Promise<unknown>> = [];
    cleanups.set(t, (list = fns));
    t.after(async () => {
      for (const cleanup of fns.reverse()) await cleanup();
    });
  }
  list.push(fn);
}

async function tempDir(t: TestContext): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'osg-sessions-'));
  onCleanup(t, () => rm(dir, { recursive: true, force: true }));
  return dir;
}

async function open(t: TestContext, dir: string): Promise<JsonStore> {
  const store = new JsonStore({ dir });
  await store.open();
  onCleanup(t, () => store.close());
  return store;
}

describe('officer sessions in the JSON store', () => {
  it('are journalled one record per change and replay from the journal alone after a crash', async (t) => {
    const dir = await tempDir(t);
    const store = await open(t, dir);
    await store.createOfficerSession({ session: session('a', 1), endOthers: true });
    await store.touchOfficerSession({ id: 'a', at: at(1, 5) });
    await store.createOfficerSession({ session: session('b', 2), endOthers: true });
    await store.endOfficerSession({ id: 'b', at: at(2, 1), reason: 'logout' });
    // Writes that change nothing are not journalled.
    await store.endOfficerSession({ id: 'b', at: at(2, 2), reason: 'idle' });
    await store.touchOfficerSession({ id: 'a', at: at(3) });
    const kinds = readFileSync(segmentPath(dir, 1), 'utf8').trim().split('\n').map((line) => JSON.parse(line).r.t);
    assert.deepEqual(kinds, ['officer-session.created', 'officer-session.touched', 'officer-session.created', 'officer-session.ended']);

    // What kill -9 would leave: no snapshot, only the journal.
    const copy = await tempDir(t);
    cpSync(dir, copy, { recursive: true, filter: (source) => !path.basename(source).startsWith('LOCK') });
    rmSync(path.join(copy, 'LOCK'), { force: true });
    const replayed = await open(t, copy);
    assert.deepEqual(await replayed.getOfficerSession({ id: 'a' }), { ...session('a', 1), lastSeenAt: at(1, 5), endedAt: at(2), endReason: 'replaced' });
    assert.deepEqual(await replayed.getOfficerSession({ id: 'b' }), { ...session('b', 2), endedAt: at(2, 1), endReason: 'logout' });
  });

  it('drop sessions past their end when a later one starts, so the snapshot holds only recent ones', async (t) => {
    const dir = await tempDir(t);
    const store = await open(t, dir);
    await store.createOfficerSession({ session: session('old', 0), endOthers: false });
    await store.createOfficerSession({ session: session('other', 0, { officerId: 'officer-petugas2', username: 'petugas2', expiresAt: at(20) }), endOthers: false });
    await store.createOfficerSession({ session: session('new', 13), endOthers: true });
    assert.equal(await store.getOfficerSession({ id: 'old' }), undefined, 'ended at 12:00, gone once a session starts at 13:00');
    assert.equal((await store.getOfficerSession({ id: 'other' }))?.endedAt, undefined);
    await store.endOfficerSession({ id: 'old', at: at(13, 5), reason: 'logout' });
    await store.close();

    const snapshot = JSON.parse(readFileSync(path.join(dir, SNAPSHOT_FILE), 'utf8'));
    assert.deepEqual(snapshot.officerSessions.map((s: OfficerSession) => s.id).sort(), ['new', 'other']);
    const reopened = await open(t, dir);
    assert.deepEqual(await reopened.getOfficerSession({ id: 'new' }), session('new', 13));
  });

  it('open a snapshot written before sessions existed as having none', async (t) => {
    const dir = await tempDir(t);
    const store = await open(t, dir);
    await store.createOfficerSession({ session: session('a', 1), endOthers: false });
    await store.close();
    const file = path.join(dir, SNAPSHOT_FILE);
    const snapshot = JSON.parse(readFileSync(file, 'utf8'));
    delete snapshot.officerSessions;
    writeFileSync(file, JSON.stringify(snapshot));
    const reopened = await open(t, dir);
    assert.equal(await reopened.getOfficerSession({ id: 'a' }), undefined);
    await reopened.createOfficerSession({ session: session('b', 2), endOthers: true });
    assert.equal((await reopened.getOfficerSession({ id: 'b' }))?.id, 'b');
  });
});
