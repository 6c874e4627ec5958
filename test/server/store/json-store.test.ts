import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { appendFileSync, cpSync, readdirSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { crc32 } from 'node:zlib';
import { JsonStore, SNAPSHOT_FILE, type StoreLog } from '../../../server/store/json-store.js';
import { encodeLine, segmentPath, type JournalRecord } from '../../../server/store/journal.js';
import { StoreCorruptError, type Store } from '../../../server/store/store.js';
import { newPost, newThread, readTrust, runStoreContract, seedTrust, vote } from './contract.js';

runStoreContract('json', async (options) => {
  const dir = await mkdtemp(path.join(tmpdir(), 'osg-store-'));
  const make = async () => {
    const store = new JsonStore({ dir, eventRetention: options?.eventRetention });
    await store.open();
    return store;
  };
  return { store: await make(), reopen: make, cleanup: () => rm(dir, { recursive: true, force: true }) };
});

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
  const dir = await mkdtemp(path.join(tmpdir(), 'osg-json-store-'));
  onCleanup(t, () => rm(dir, { recursive: true, force: true }));
  return dir;
}

async function openStore(t: TestContext, dir: string, options: { snapshotEvery?: number; log?: StoreLog } = {}): Promise<JsonStore> {
  const store = new JsonStore({ dir, ...options });
  await store.open();
  onCleanup(t, () => store.close());
  return store;
}

/** One thread with `posts` answers on kanreg-1: 1 + posts journal records. */
async function fill(store: Store, posts: number): Promise<string> {
  const { record: thread } = await store.createThread({ thread: newThread({ body: 'Mohon penjelasan tentang cuti.' }) });
  for (let i = 0; i < posts; i++) await store.createPost({ post: newPost(thread.id) });
  return thread.id;
}

/** What a user could read from the store. */
async function readAll(store: Store, threadIds: string[]) {
  return {
    seq: await store.currentSeq({ site: 'kanreg-1' }),
    list: await store.listThreads({ site: 'kanreg-1', filter: 'all', limit: 1000 }),
    threads: await Promise.all(threadIds.map((id) => store.getThread({ id }))),
    events: await store.eventsSince({ site: 'kanreg-1', afterSeq: 0, limit: 1000 }),
  };
}

/** What a `kill -9` would leave: the files as they are on disk now, with the store still open. */
async function crashImage(t: TestContext, dir: string): Promise<string> {
  const copy = await tempDir(t);
  // The lock is a socket, which dies with its process: a crash image has none that is alive (and cp cannot copy one).
  cpSync(dir, copy, { recursive: true, filter: (source) => !path.basename(source).startsWith('LOCK') });
  return copy;
}

const segments = (dir: string) => readdirSync(dir).filter((n) => /^journal-\d+\.ndjson$/.test(n)).sort();
const hashes = (dir: string) => Object.fromEntries(readdirSync(dir).sort().map((n) => [n, createHash('sha256').update(readFileSync(path.join(dir, n))).digest('hex')]));

/** Byte offsets of each line start of a file. */
function lineStarts(file: string): number[] {
  const buf = readFileSync(file);
  const starts = [0];
  for (let i = buf.indexOf(10); i !== -1 && i < buf.length - 1; i = buf.indexOf(10, i + 1)) starts.push(i + 1);
  return starts;
}

describe('json store on disk', () => {
  describe('snapshots and journal rotation', () => {
    it('snapshots every snapshotEvery records, drops covered segments, and reopens to the same state', async (t) => {
      const dir = await tempDir(t);
      const store = await openStore(t, dir, { snapshotEvery: 10 });
      const ids = [await fill(store, 11), await fill(store, 12)]; // 25 records
      await store.idle();

      const snapshot = JSON.parse(readFileSync(path.join(dir, SNAPSHOT_FILE), 'utf8'));
      assert.equal(snapshot.journalRecord, 20);
      assert.equal(snapshot.journalSegment, 3);
      assert.deepEqual(segments(dir), ['journal-000003.ndjson'], 'segments 1 and 2 were removed after the snapshot');
      assert.equal(readFileSync(segmentPath(dir, 3), 'utf8').trim().split('\n').length, 5);

      const expected = await readAll(store, ids);
      assert.equal(expected.seq, 25);
      const crashed = await openStore(t, await crashImage(t, dir));
      assert.deepEqual(await readAll(crashed, ids), expected, 'snapshot + journal tail replay to the same state');

      await store.close();
      assert.equal(JSON.parse(readFileSync(path.join(dir, SNAPSHOT_FILE), 'utf8')).journalRecord, 25, 'close() snapshots');
      assert.deepEqual(segments(dir), ['journal-000004.ndjson']);
      const reopened = await openStore(t, dir);
      assert.deepEqual(await readAll(reopened, ids), expected);
    });

    it('reopens from its snapshot rewritten as any other valid JSON (one line, indented)', async (t) => {
      const dir = await tempDir(t);
      const store = await openStore(t, dir);
      const ids = [await fill(store, 3), await fill(store, 2)];
      await store.close();
      const expected = await readAll(await openStore(t, await crashImage(t, dir)), ids);
      const file = path.join(dir, SNAPSHOT_FILE);
      const snapshot = JSON.parse(readFileSync(file, 'utf8'));
      for (const text of [JSON.stringify(snapshot), JSON.stringify(snapshot, null, 2)]) {
        writeFileSync(file, text);
        assert.deepEqual(await readAll(await openStore(t, await crashImage(t, dir)), ids), expected);
      }
    });

    it('replays a journal without any snapshot to the same state', async (t) => {
      const dir = await tempDir(t);
      const store = await openStore(t, dir);
      const ids = [await fill(store, 3), await fill(store, 2)];
      const copy = await crashImage(t, dir);
      assert.deepEqual(readdirSync(copy), ['journal-000001.ndjson']);
      assert.deepEqual(await readAll(await openStore(t, copy), ids), await readAll(store, ids));
    });

    it('does not rewrite the snapshot for each post, only appends a line to the journal', async (t) => {
      const dir = await tempDir(t);
      const first = await openStore(t, dir);
      const threadId = await fill(first, 50);
      await first.close();
      const store = await openStore(t, dir);
      const snapshotFile = path.join(dir, SNAPSHOT_FILE);
      const journalFile = path.join(dir, segments(dir)[0]);
      const before = statSync(snapshotFile);
      const journalBefore = statSync(journalFile).size;

      for (let i = 0; i < 5; i++) await store.createPost({ post: newPost(threadId) });

      const after = statSync(snapshotFile);
      assert.deepEqual([after.size, after.mtimeMs, after.ino], [before.size, before.mtimeMs, before.ino]);
      const grown = statSync(journalFile).size - journalBefore;
      assert.ok(grown > 0 && grown < 5 * 1024, `journal grew by ${grown} bytes for 5 posts`);
    });
  });

  describe('durability of acknowledged writes', () => {
    it('has the record in the journal file when listeners hear it and when the commit resolves', async (t) => {
      const dir = await tempDir(t);
      const store = await openStore(t, dir);
      const journal = () => readFileSync(segmentPath(dir, 1), 'utf8');
      const inJournalWhenHeard: boolean[] = [];
      store.subscribe((e) => inJournalWhenHeard.push(journal().includes(`"seq":${e.seq},`)));
      const result = await store.createThread({ thread: newThread({ clientId: 'durable-before-ack' }) });
      assert.ok(journal().includes('durable-before-ack'));
      assert.deepEqual(inJournalWhenHeard, [true]);
      assert.equal(result.created, true);
    });
  });

  describe('a torn last line (crash residue)', () => {
    it('is moved to a side file and cut off; the store opens with every complete record and a warning', async (t) => {
      const dir = await tempDir(t);
      const store = await openStore(t, dir);
      const ids = [await fill(store, 3)];
      const expected = await readAll(store, ids);
      const copy = await crashImage(t, dir);
      const journalFile = segmentPath(copy, 1);
      const completeSize = statSync(journalFile).size;
      const torn = '{"c":"0badf00d","n":5,"r":{"t":"change","event":{"site":"kanr';
      appendFileSync(journalFile, torn);

      const warnings: Array<Record<string, unknown>> = [];
      const recovered = await openStore(t, copy, { log: (level, _msg, fields) => level === 'warn' && warnings.push(fields) });

      assert.deepEqual(await readAll(recovered, ids), expected);
      assert.equal(statSync(journalFile).size, completeSize, 'the torn bytes were cut off');
      const sideFiles = readdirSync(copy).filter((n) => n.startsWith('journal-000001.ndjson.torn-'));
      assert.equal(sideFiles.length, 1);
      assert.equal(readFileSync(path.join(copy, sideFiles[0]), 'utf8'), torn);
      assert.equal(warnings.length, 1);
      assert.equal(warnings[0].offset, completeSize);

      // The journal goes on cleanly after the cut.
      await recovered.createPost({ post: newPost(ids[0]) });
      await recovered.close();
      const again = await openStore(t, copy);
      assert.equal(await again.currentSeq({ site: 'kanreg-1' }), 5);
    });
  });

  describe('damaged data', () => {
    /** A journal of four records (lines), left by a store that is still open. */
    async function journalOfFour(t: TestContext): Promise<{ dir: string; file: string; starts: number[] }> {
      const dir = await tempDir(t);
      const store = await openStore(t, dir);
      await fill(store, 3);
      const copy = await crashImage(t, dir);
      const file = segmentPath(copy, 1);
      return { dir: copy, file, starts: lineStarts(file) };
    }

    function lines(file: string): string[] {
      return readFileSync(file, 'utf8').split('\n');
    }

    /** open() must throw StoreCorruptError naming `file` and `position`, and change no file. */
    async function assertRefused(dir: string, file: string, position: string, reason: RegExp): Promise<void> {
      const before = hashes(dir);
      const store = new JsonStore({ dir });
      await assert.rejects(store.open(), (err: unknown) => {
        assert.ok(err instanceof StoreCorruptError, `expected StoreCorruptError, got ${String(err)}`);
        assert.equal(err.file, file);
        assert.equal(err.position, position);
        assert.match(err.message, reason);
        assert.ok(err.message.includes(file));
        return true;
      });
      assert.deepEqual(hashes(dir), before, 'no file was changed, added or removed');
    }

    it('refuses a complete middle line that is not a record', async (t) => {
      const { dir, file, starts } = await journalOfFour(t);
      const all = lines(file);
      all[1] = 'this is not json';
      writeFileSync(file, all.join('\n'));
      await assertRefused(dir, file, `line 2, byte offset ${starts[1]}`, /checksum/);
    });

    it('refuses a line whose checksum matches but whose JSON does not parse', async (t) => {
      const { dir, file, starts } = await journalOfFour(t);
      const all = lines(file);
      const rest = '"n":3,"r":{oops}';
      all[2] = `{"c":"${crc32(rest).toString(16).padStart(8, '0')}",${rest}`;
      writeFileSync(file, all.join('\n'));
      await assertRefused(dir, file, `line 3, byte offset ${starts[2]}`, /not valid JSON/);
    });

    it('refuses a line whose content does not match its checksum', async (t) => {
      const { dir, file, starts } = await journalOfFour(t);
      const all = lines(file);
      assert.ok(all[1].includes('SIASN'));
      all[1] = all[1].replace('SIASN', 'SIAPP');
      writeFileSync(file, all.join('\n'));
      await assertRefused(dir, file, `line 2, byte offset ${starts[1]}`, /checksum mismatch/);
    });

    it('refuses a bad last line that does end with a newline (complete, so not crash residue)', async (t) => {
      const { dir, file, starts } = await journalOfFour(t);
      const all = lines(file);
      all[3] = all[3].slice(0, 40);
      writeFileSync(file, all.join('\n'));
      await assertRefused(dir, file, `line 4, byte offset ${starts[3]}`, /checksum mismatch/);
    });

    it('refuses a gap in the record numbering', async (t) => {
      const { dir, file, starts } = await journalOfFour(t);
      const all = lines(file);
      all.splice(1, 1);
      writeFileSync(file, all.join('\n'));
      await assertRefused(dir, file, `line 2, byte offset ${starts[1]}`, /record number 3 where 2 was expected/);
    });

    it('refuses an incomplete line in a segment that is not the newest', async (t) => {
      const { dir, file, starts } = await journalOfFour(t);
      const size = statSync(file).size;
      appendFileSync(file, '{"c":"00');
      writeFileSync(segmentPath(dir, 2), '');
      await assertRefused(dir, file, `line ${starts.length + 1}, byte offset ${size}`, /not the newest/);
    });

    it('refuses a truncated snapshot', async (t) => {
      const dir = await tempDir(t);
      const store = await openStore(t, dir);
      await fill(store, 3);
      await store.close();
      const file = path.join(dir, SNAPSHOT_FILE);
      const half = Math.floor(statSync(file).size / 2);
      const line = readFileSync(file).subarray(0, half).toString('latin1').split('\n').length;
      truncateSync(file, half);
      await assertRefused(dir, file, `line ${line}, byte offset ${half}`, /not valid JSON/);
    });

    it('refuses a snapshot cut short at the end of one of its lines', async (t) => {
      const dir = await tempDir(t);
      const store = await openStore(t, dir);
      await fill(store, 3);
      await store.close();
      const file = path.join(dir, SNAPSHOT_FILE);
      const starts = lineStarts(file);
      const cut = starts[starts.indexOf(starts.find((s) => readFileSync(file).subarray(s, s + 9).toString() === '"posts":[')!) + 2];
      truncateSync(file, cut);
      await assertRefused(dir, file, `line ${starts.indexOf(cut) + 1}, byte offset ${cut}`, /not valid JSON/);
    });

    it('refuses a snapshot damaged inside a line, naming the line and byte of the damage', async (t) => {
      const dir = await tempDir(t);
      const store = await openStore(t, dir);
      await fill(store, 3);
      await store.close();
      const file = path.join(dir, SNAPSHOT_FILE);
      const text = readFileSync(file, 'latin1');
      const at = text.indexOf('"body":', text.indexOf('"posts":[')) + 6;
      writeFileSync(file, text.slice(0, at) + text.slice(at + 1), 'latin1'); // a post's "body" loses its ':'
      await assertRefused(dir, file, `line ${text.slice(0, at).split('\n').length}, byte offset ${at}`, /not valid JSON/);
    });

    it('refuses a snapshot that parses but is not a snapshot', async (t) => {
      const dir = await tempDir(t);
      const file = path.join(dir, SNAPSHOT_FILE);
      writeFileSync(file, '{"threads": []}');
      await assertRefused(dir, file, 'line 1, byte offset 0', /unknown snapshot format/);
    });
  });
});

describe('json store: trust records on disk', () => {
  it('replays a journal without any snapshot to the same trust state (what kill -9 leaves)', async (t) => {
    const dir = await tempDir(t);
    const store = await openStore(t, dir);
    const seeded = await seedTrust(store);
    const copy = await crashImage(t, dir);
    assert.deepEqual(readdirSync(copy), ['journal-000001.ndjson']);
    const expected = await readTrust(store, seeded);
    assert.deepEqual(await readTrust(await openStore(t, copy), seeded), expected);
  });

  it('snapshots trust records in format 2 and reopens to the same state from snapshot + journal tail', async (t) => {
    const dir = await tempDir(t);
    const store = await openStore(t, dir, { snapshotEvery: 7 });
    const seeded = await seedTrust(store);
    await store.idle();
    const expected = await readTrust(store, seeded);
    const snapshot = JSON.parse(readFileSync(path.join(dir, SNAPSHOT_FILE), 'utf8'));
    assert.equal(snapshot.format, 2);
    assert.ok(snapshot.journalRecord > 0);
    assert.deepEqual(await readTrust(await openStore(t, await crashImage(t, dir)), seeded), expected, 'snapshot + tail');

    await store.close();
    const full = JSON.parse(readFileSync(path.join(dir, SNAPSHOT_FILE), 'utf8'));
    assert.deepEqual(
      [full.votes.length, full.flags.length, full.verificationRequests.length, full.audit.length],
      [expected.allVotes.length, 1, 2, 2],
    );
    assert.deepEqual(await readTrust(await openStore(t, dir), seeded), expected, 'snapshot alone');
  });

  it('has a vote in the journal file when listeners hear its post.updated event', async (t) => {
    const dir = await tempDir(t);
    const store = await openStore(t, dir);
    const { record: thread } = await store.createThread({ thread: newThread() });
    const post = (await store.createPost({ post: newPost(thread.id) }))!.record;
    const inJournalWhenHeard: boolean[] = [];
    store.subscribe((e) => inJournalWhenHeard.push(readFileSync(segmentPath(dir, 1), 'utf8').includes(`"seq":${e.seq},`)));
    await store.putVote({ vote: vote(post, 'v-durable', 1) });
    await store.setAccepted({ threadId: thread.id, postId: post.id, at: post.createdAt });
    assert.deepEqual(inJournalWhenHeard, [true, true]);
  });

  it('refuses a journal whose vote does not fit the data before it', async (t) => {
    const dir = await tempDir(t);
    const store = await openStore(t, dir);
    await fill(store, 1);
    const copy = await crashImage(t, dir);
    const file = segmentPath(copy, 1);
    const size = statSync(file).size;
    const event = { site: 'kanreg-1', seq: 3, at: '2025-01-01T09:00:00.000Z', change: { kind: 'post.updated', post: { id: 'ghost' } } };
    const ghost = { postId: 'ghost', threadId: 't', site: 'kanreg-1', voterId: 'v', authorId: 'a', value: 1, castAt: event.at, counts: true };
    appendFileSync(file, encodeLine(3, { t: 'vote', vote: ghost, event } as unknown as JournalRecord));
    await assert.rejects(new JsonStore({ dir: copy }).open(), (err: unknown) => {
      assert.ok(err instanceof StoreCorruptError);
      assert.equal(err.position, `line 3, byte offset ${size}`);
      assert.match(err.message, /unknown post ghost/);
      return true;
    });
  });

  describe('data written before trust', () => {
    const at = (minute: number) => new Date(Date.UTC(2025, 0, 1, 8, minute)).toISOString();
    const thread = {
      id: 't-old', site: 'kanreg-1', seq: 1, title: 'Cuti besar', body: 'Syarat cuti besar?', category: 'cuti',
      authorId: 'v-old', authorName: 'Lama', clientId: 'c-t', createdAt: at(0), lastActivityAt: at(0), answerCount: 0,
    };
    const post = (id: string, seq: number, minute: number) => ({
      id, threadId: 't-old', site: 'kanreg-1', seq, body: 'Lima tahun masa kerja.', authorId: 'v-budi', authorName: 'Budi', clientId: `c-${id}`, createdAt: at(minute),
    });
    const p1 = post('p-old-1', 2, 5);
    const p2 = post('p-old-2', 3, 9);
    const events = [
      { site: 'kanreg-1', seq: 1, at: at(0), change: { kind: 'thread.created', thread } },
      { site: 'kanreg-1', seq: 2, at: at(5), change: { kind: 'post.created', post: p1, answerCount: 1, lastActivityAt: at(5) } },
    ];

    /** A format-1 snapshot covering records 1–3, and a segment with records 4–6, as the previous version wrote them. */
    function writeOldData(dir: string): void {
      const snapshot = {
        format: 1, journalRecord: 3, journalSegment: 2, savedAt: at(6),
        visitors: [{ id: 'v-old', name: 'Lama', createdAt: at(0), updatedAt: at(0) }],
        threads: [{ ...thread, answerCount: 1, lastActivityAt: at(5) }],
        posts: [p1],
        seqs: { 'kanreg-1': 2 },
        events: { 'kanreg-1': events },
      };
      writeFileSync(path.join(dir, SNAPSHOT_FILE), JSON.stringify(snapshot));
      const records = [
        { t: 'visitor.renamed', id: 'v-old', name: 'Lama Sekali', at: at(7) },
        { t: 'visitor.created', visitor: { id: 'v-budi', name: 'Budi', createdAt: at(8), updatedAt: at(8) } },
        { t: 'change', event: { site: 'kanreg-1', seq: 3, at: at(9), change: { kind: 'post.created', post: p2, answerCount: 2, lastActivityAt: at(9) } } },
      ];
      writeFileSync(segmentPath(dir, 2), records.map((r, i) => encodeLine(4 + i, r as JournalRecord)).join(''));
    }

    it('loads a format-1 snapshot and its journal, and keeps it all through trust writes, a format-2 snapshot and reopen', async (t) => {
      const dir = await tempDir(t);
      writeOldData(dir);
      const store = await openStore(t, dir);
      assert.deepEqual(await store.getVisitor({ id: 'v-old' }), { id: 'v-old', name: 'Lama Sekali', createdAt: at(0), updatedAt: at(7) });
      assert.deepEqual(await store.getThread({ id: 't-old' }), { thread: { ...thread, answerCount: 2, lastActivityAt: at(9) }, posts: [p1, p2] });
      assert.equal(await store.currentSeq({ site: 'kanreg-1' }), 3);
      assert.deepEqual((await store.eventsSince({ site: 'kanreg-1', afterSeq: 0, limit: 10 }))?.map((e) => e.seq), [1, 2, 3]);
      assert.deepEqual(await store.activityOf({ memberId: 'v-budi' }), { threads: [], posts: [p1, p2] });
      assert.deepEqual(await store.allVotes(), []);
      assert.deepEqual(await store.listAudit({ limit: 10 }), []);
      assert.deepEqual(await store.findByClientId({ authorId: 'v-budi', clientId: 'c-p-old-1' }), { post: p1 });

      const voted = await store.putVote({ vote: vote({ ...p1, seq: 2 }, 'v-old', 1, { castAt: at(10) }) });
      assert.deepEqual(voted?.post, { ...p1, up: 1, down: 0 });
      assert.equal(voted?.event.seq, 4);
      await store.updateMember({ id: 'v-old', patch: { updatedAt: at(11), reputation: 3 } });
      await store.setAccepted({ threadId: 't-old', postId: p1.id, at: at(12) });
      const before = {
        visitor: await store.getVisitor({ id: 'v-old' }),
        thread: await store.getThread({ id: 't-old' }),
        votes: await store.allVotes(),
        events: await store.eventsSince({ site: 'kanreg-1', afterSeq: 0, limit: 10 }),
      };
      await store.close();
      assert.equal(JSON.parse(readFileSync(path.join(dir, SNAPSHOT_FILE), 'utf8')).format, 2);

      const reopened = await openStore(t, dir);
      assert.deepEqual(
        {
          visitor: await reopened.getVisitor({ id: 'v-old' }),
          thread: await reopened.getThread({ id: 't-old' }),
          votes: await reopened.allVotes(),
          events: await reopened.eventsSince({ site: 'kanreg-1', afterSeq: 0, limit: 10 }),
        },
        before,
      );
      assert.equal(before.visitor?.reputation, 3);
      assert.equal(before.thread?.thread.acceptedPostId, p1.id);
      assert.equal(await reopened.currentSeq({ site: 'kanreg-1' }), 5);
    });
  });
});
