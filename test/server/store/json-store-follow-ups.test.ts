/**
 * The JSON store's follow-up queue on disk: journal records, replay after a crash, the snapshot. The
 * behaviour every store shares is in contract/follow-ups.ts.
 */
import assert from 'node:assert/strict';
import { appendFileSync, cpSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import type { FollowUp } from '../../../server/domain/follow-up/model.js';
import type { ChangeEvent } from '../../../server/domain/model.js';
import { JsonStore, SNAPSHOT_FILE } from '../../../server/store/json-store.js';
import { encodeLine, segmentPath, type JournalRecord } from '../../../server/store/journal.js';
import { StoreCorruptError, type Store } from '../../../server/store/store.js';
import { at, newFollowUp, newThread } from './contract.js';

const cleanups = new WeakMap<TestContext, Array<() => Promise<unknown>>>();

/** Runs `fn` when the test ends, last registered first (stores close before their directory goes). */
function onCleanup(t: TestContext, fn: () => Promise<unknown>): void {
  let list = cleanups.get(t);
  if (!list) {
    const fns: Array<() => Promise<unknown>> = [];
    list = fns;
    cleanups.set(t, fns);
    t.after(async () => {
      for (const cleanup of fns.reverse()) await cleanup();
    });
  }
  list.push(fn);
}

async function tempDir(t: TestContext): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'osg-json-follow-ups-'));
  onCleanup(t, () => rm(dir, { recursive: true, force: true }));
  return dir;
}

async function openStore(t: TestContext, dir: string, options: { snapshotEvery?: number } = {}): Promise<JsonStore> {
  const store = new JsonStore({ dir, ...options });
  await store.open();
  onCleanup(t, () => store.close());
  return store;
}

/** What a `kill -9` would leave: the files as they are on disk now, with the store still open. */
async function crashImage(t: TestContext, dir: string): Promise<string> {
  const copy = await tempDir(t);
  cpSync(dir, copy, { recursive: true, filter: (source) => !path.basename(source).startsWith('LOCK') });
  return copy;
}

/** Follow-ups on two sites and two years, an update with and one without a status change, SLA states, notifications. */
async function seed(store: Store) {
  const threads = [];
  for (let i = 0; i < 6; i++) threads.push((await store.createThread({ thread: newThread({ site: i < 4 ? 'kanreg-1' : 'kanreg-2', title: `Cuti ${i}` }) })).record);
  const opened = await Promise.all(threads.slice(0, 4).map((th) => store.openFollowUp({ followUp: newFollowUp(th), prefix: 'KR1', year: 2025 })));
  await store.openFollowUp({ followUp: newFollowUp(threads[4]!), prefix: 'KR2', year: 2025 });
  await store.openFollowUp({ followUp: newFollowUp(threads[5]!), prefix: 'KR2', year: 2026 });
  const first = opened[0]!.followUp;
  const moved: FollowUp = { ...first, status: 'diproses', updatedAt: at(20), version: 2, firstRespondedAt: at(20) };
  assert.ok((await store.updateFollowUp({ followUp: moved, expectedVersion: 1 })).ok);
  assert.ok((await store.updateFollowUp({ followUp: { ...moved, assigneeId: 'officer-a', version: 3 }, expectedVersion: 2 })).ok);
  await store.setSlaStates({ changes: [{ threadId: threads[1]!.id, slaState: 'breached' }] });
  const notification = { officerId: 'officer-s', kind: 'sla_breached' as const, threadId: threads[1]!.id, tracking: opened[1]!.followUp.tracking, site: 'kanreg-1', target: 'first_response' as const, read: false };
  await store.addNotifications({ notifications: [{ ...notification, id: 'n-1', at: at(30) }, { ...notification, id: 'n-2', at: at(31) }] });
  await store.markNotificationsRead({ officerId: 'officer-s', ids: ['n-1'] });
  return threads.map((th) => th.id);
}

/** Everything a reader could see of what seed wrote. */
async function read(store: Store, threadIds: string[]) {
  const sites = ['kanreg-1', 'kanreg-2'];
  return {
    followUps: (await store.getFollowUps({ threadIds })).sort((a, b) => a.tracking.localeCompare(b.tracking)),
    queue: await store.queryFollowUps({ sites, limit: 50 }),
    page: await store.queryFollowUps({ sites, limit: 2, words: ['cuti'] }),
    counts: await store.countFollowUps({ sites }),
    active: (await store.activeFollowUps()).map((f) => f.tracking).sort(),
    notifications: await store.listNotifications({ officerId: 'officer-s', limit: 10 }),
    threads: await Promise.all(threadIds.map((id) => store.getThreadRecord({ id }))),
    events: await Promise.all(sites.map((site) => store.eventsSince({ site, afterSeq: 0, limit: 100 }))),
  };
}

describe('json store: follow-ups on disk', () => {
  it('replays a journal without any snapshot to the same follow-ups, counters and notifications (what kill -9 leaves)', async (t) => {
    const dir = await tempDir(t);
    const store = await openStore(t, dir);
    const ids = await seed(store);
    const copy = await crashImage(t, dir);
    assert.deepEqual(readdirSync(copy), ['journal-000001.ndjson']);
    const expected = await read(store, ids);
    assert.equal(expected.followUps.length, 6);
    assert.equal(expected.notifications[1]?.read, true);

    const replayed = await openStore(t, copy);
    assert.deepEqual(await read(replayed, ids), expected);
    const next = await replayed.createThread({ thread: newThread() });
    const opened = await replayed.openFollowUp({ followUp: newFollowUp(next.record), prefix: 'KR1', year: 2025 });
    assert.equal(opened?.followUp.tracking, 'KR1-2025-000005', 'the count goes on from the replayed one');
  });

  it('keeps the queue, counters and notifications in the snapshot, and reopens from snapshot + tail and from the snapshot alone', async (t) => {
    const dir = await tempDir(t);
    const store = await openStore(t, dir, { snapshotEvery: 7 });
    const ids = await seed(store);
    await store.idle();
    const expected = await read(store, ids);
    const partial = JSON.parse(readFileSync(path.join(dir, SNAPSHOT_FILE), 'utf8'));
    assert.ok(partial.journalRecord > 0 && partial.followUps.length > 0, 'a snapshot was taken while follow-ups were written');
    const fromTail = await openStore(t, await crashImage(t, dir));
    assert.deepEqual(await read(fromTail, ids), expected, 'snapshot + journal tail');
    await fromTail.close();

    await store.close();
    const full = JSON.parse(readFileSync(path.join(dir, SNAPSHOT_FILE), 'utf8'));
    assert.equal(full.followUps.length, 6);
    assert.deepEqual(full.trackingCounters, { 'KR1-2025': 4, 'KR2-2025': 1, 'KR2-2026': 1 });
    assert.deepEqual(full.notifications.map((n: { id: string; read: boolean }) => [n.id, n.read]), [['n-1', true], ['n-2', false]]);
    const reopened = await openStore(t, dir);
    assert.deepEqual(await read(reopened, ids), expected, 'snapshot alone');
  });

  it('journals an open as one record holding the follow-up, its number and the thread event, on disk when subscribers hear it', async (t) => {
    const dir = await tempDir(t);
    const store = await openStore(t, dir);
    const { record: thread } = await store.createThread({ thread: newThread() });
    const file = segmentPath(dir, 1);
    const linesBefore = readFileSync(file, 'utf8').trim().split('\n').length;
    const onDiskWhenHeard: boolean[] = [];
    store.subscribe((e: ChangeEvent) => onDiskWhenHeard.push(readFileSync(file, 'utf8').includes(`"seq":${e.seq},`)));
    const opened = await store.openFollowUp({ followUp: newFollowUp(thread), prefix: 'KR1', year: 2025 });
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    assert.equal(lines.length, linesBefore + 1);
    const record = JSON.parse(lines.at(-1)!).r;
    assert.equal(record.t, 'follow-up.opened');
    assert.deepEqual([record.prefix, record.year, record.number], ['KR1', 2025, 1]);
    assert.deepEqual(record.followUp, opened?.followUp);
    assert.deepEqual(record.event, opened?.event);
    assert.deepEqual(onDiskWhenHeard, [true]);
  });

  it('refuses a journal whose follow-up skips a tracking number, naming the record', async (t) => {
    const dir = await tempDir(t);
    const store = await openStore(t, dir);
    const first = (await store.createThread({ thread: newThread() })).record;
    const second = (await store.createThread({ thread: newThread() })).record;
    const opened = (await store.openFollowUp({ followUp: newFollowUp(first), prefix: 'KR1', year: 2025 }))!;
    const copy = await crashImage(t, dir);
    const file = segmentPath(copy, 1);
    const size = statSync(file).size;
    const tracking = 'KR1-2025-000003';
    const skipped: JournalRecord = {
      t: 'follow-up.opened',
      followUp: { ...opened.followUp, threadId: second.id, tracking },
      prefix: 'KR1',
      year: 2025,
      number: 3,
      event: { ...opened.event!, seq: 4, change: { kind: 'thread.updated', thread: { ...second, followUp: { tracking, status: 'baru' } } } },
    };
    appendFileSync(file, encodeLine(4, skipped));
    await assert.rejects(new JsonStore({ dir: copy }).open(), (err: unknown) => {
      assert.ok(err instanceof StoreCorruptError);
      assert.equal(err.position, `line 4, byte offset ${size}`);
      assert.match(err.message, /tracking number 3 of KR1-2025 where 2 was next/);
      return true;
    });
  });

  it('opens a snapshot written before follow-ups existed, and numbers from 1', async (t) => {
    const dir = await tempDir(t);
    const first = await openStore(t, dir);
    const { record: thread } = await first.createThread({ thread: newThread() });
    await first.close();
    const file = path.join(dir, SNAPSHOT_FILE);
    const { followUps: _f, trackingCounters: _c, notifications: _n, ...older } = JSON.parse(readFileSync(file, 'utf8'));
    writeFileSync(file, JSON.stringify(older));
    const store = await openStore(t, dir);
    assert.deepEqual(await store.queryFollowUps({ sites: ['kanreg-1'], limit: 10 }), { followUps: [] });
    assert.equal((await store.openFollowUp({ followUp: newFollowUp(thread), prefix: 'KR1', year: 2025 }))?.followUp.tracking, 'KR1-2025-000001');
  });
});
