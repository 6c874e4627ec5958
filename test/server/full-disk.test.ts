/**
 * A data directory on a real, full filesystem: a 2 MB tmpfs mounted for the test (needs root, as on the
 * development machines and in CI). Where mounting is impossible, the tests are skipped with the reason.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { JsonStore, type StoreLog } from '../../server/store/json-store.js';
import { segmentPath } from '../../server/store/journal.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { StoreUnavailableError } from '../../server/store/store.js';
import { newFollowUp, newPost, newThread } from './store/contract.js';

const mounted: string[] = [];
after(() => {
  for (const dir of mounted) {
    execFileSync('umount', ['-l', dir]); // lazy: a failed test may still hold a file open
    rmSync(dir, { recursive: true, force: true });
  }
});

/** A fresh 2 MB tmpfs, or the reason there cannot be one here. */
function smallDisk(): { dir: string } | { skip: string } {
  const dir = mkdtempSync(join(tmpdir(), 'osg-full-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=2m,mode=0700', 'tmpfs', dir], { stdio: 'pipe' });
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    return { skip: `cannot mount a small tmpfs here (${(err as Error).message.split('\n')[0]}); needs root` };
  }
  mounted.push(dir);
  return { dir };
}

/** Fills the filesystem to the last page with `filler`; returns its path. */
function fillUp(dir: string): string {
  const file = join(dir, 'filler');
  const chunk = Buffer.alloc(64 * 1024, 0x61);
  for (;;) {
    try {
      writeFileSync(file, chunk, { flag: 'a' });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
      break;
    }
  }
  // The last 64 KB did not fit whole: fill what is left a page at a time.
  const page = Buffer.alloc(4096, 0x61);
  for (;;) {
    try {
      writeFileSync(file, page, { flag: 'a' });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
      return file;
    }
  }
}

async function until<T>(fn: () => Promise<T | undefined>, what: string, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await fn();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('a full disk under a running server', () => {
  it('answers 503 storage_full and fails /healthz, takes writes again by itself once space is freed, and keeps every acknowledged post', async (t) => {
    const disk = smallDisk();
    if ('skip' in disk) return t.skip(disk.skip);
    const { dir } = disk;
    let server: TestServer = await startTestServer({}, dir);
    const post = (path: string, body: unknown, token?: string) =>
      fetch(`${server.url}/api${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify(body),
      });
    const { token } = await (await post('/visitors', {})).json();
    const asked = await post('/sites/kanreg1/threads', { title: 'Disk penuh saat menjawab', body: 'Apa yang terjadi bila disk server penuh?', category: 'lainnya', clientId: 'full-disk-q1' }, token);
    assert.equal(asked.status, 201);
    const threadId = (await asked.json()).id as string;
    const acked: string[] = [];
    let n = 0;
    const answer = async () => {
      const clientId = `full-disk-a${++n}`;
      // Longer than a page: a write into a full disk always fails part-way through the line.
      const res = await post(`/threads/${threadId}/posts`, { body: `Jawaban ${n}: ${'isi jawaban yang panjang. '.repeat(190)}`, clientId }, token);
      if (res.status === 201) acked.push(clientId);
      return res;
    };
    for (let i = 0; i < 5; i++) assert.equal((await answer()).status, 201);

    const filler = fillUp(dir);
    const refused = await answer();
    assert.equal(refused.status, 503);
    const body = await refused.json();
    assert.equal(body.error.code, 'unavailable');
    assert.match(body.error.message, /storage_full/);
    assert.ok(body.error.retryAfterMs > 0);
    assert.ok(Number(refused.headers.get('retry-after')) >= 1);
    const journal = readdirSync(dir).find((f) => /^journal-\d+\.ndjson$/.test(f))!;
    const left = readFileSync(join(dir, journal));
    assert.notEqual(left.at(-1), 0x0a, 'the failed write left part of a line behind (which recovery must cut off)');

    const health = await fetch(`${server.url}/healthz`);
    assert.equal(health.status, 503);
    assert.deepEqual((({ status, reason }) => ({ status, reason }))(await health.json()), { status: 'failing', reason: 'storage_full' });
    for (let i = 0; i < 3; i++) assert.equal((await answer()).status, 503, 'still full: still refused, quickly');

    rmSync(filler);
    await until(async () => ((await fetch(`${server.url}/healthz`)).status === 200 ? true : undefined), '/healthz to be ok again');
    for (let i = 0; i < 3; i++) assert.equal((await answer()).status, 201, 'writes are taken again without a restart');
    const journalNow = readFileSync(join(dir, journal), 'utf8');
    for (const line of journalNow.trimEnd().split('\n')) assert.doesNotThrow(() => JSON.parse(line), 'every line of the journal is whole');

    await server.stop();
    server = await startTestServer({}, dir);
    const stored = (await (await fetch(`${server.url}/api/threads/${threadId}`)).json()).posts.map((p: { clientId: string }) => p.clientId);
    assert.deepEqual([...stored].sort(), [...acked].sort(), 'every acknowledged answer is there, and none that was refused');
    assert.deepEqual(readdirSync(dir).filter((f) => f.includes('.torn-') || f.endsWith('.tmp')), [], 'no torn tail and no temp file');
    await server.stop();
  });
});

describe('a snapshot that does not fit', () => {
  it('leaves no .tmp behind, keeps the journal working, and loses nothing', async (t) => {
    const disk = smallDisk();
    if ('skip' in disk) return t.skip(disk.skip);
    const { dir } = disk;
    const errors: string[] = [];
    const log: StoreLog = (level, msg) => void (level === 'error' && errors.push(msg));
    const store = new JsonStore({ dir, log });
    await store.open();
    const { record: thread } = await store.createThread({ thread: newThread() });
    for (let i = 0; i < 300; i++) await store.createPost({ post: newPost(thread.id, { body: `Jawaban ${i} `.repeat(50) }) }); // ~200 KB
    const filler = fillUp(dir);
    // Give the journal room for a few posts, far too little for a snapshot of everything.
    const keep = statSync(filler).size - 24 * 1024;
    execFileSync('truncate', ['-s', String(keep), filler]);

    await store.snapshot();
    assert.ok(errors.some((m) => m.startsWith('snapshot failed')), `the failure was logged: ${errors.join('; ')}`);
    assert.deepEqual(readdirSync(dir).filter((f) => f.endsWith('.tmp')), [], 'the half-written snapshot was removed');
    const more = await store.createPost({ post: newPost(thread.id) });
    assert.equal(more?.created, true, 'the journal still takes writes');
    await store.close(); // tries the snapshot once more: fails the same way, tidily
    assert.deepEqual(readdirSync(dir).filter((f) => f.endsWith('.tmp')), []);

    rmSync(filler);
    const reopened = new JsonStore({ dir });
    await reopened.open();
    assert.equal((await reopened.getThread({ id: thread.id }))?.posts.length, 301);
    assert.ok(readFileSync(segmentPath(dir, 1)).length > 0);
    await reopened.close();
  });
});

describe('follow-ups opened while the disk fills', () => {
  it('keep the acknowledged ones numbered 1…k, and after space is back the next one is k+1: refused opens used no number', async (t) => {
    const disk = smallDisk();
    if ('skip' in disk) return t.skip(disk.skip);
    const { dir } = disk;
    const store = new JsonStore({ dir, retryIntervalMs: 50 });
    await store.open();
    const threads = [];
    for (let i = 0; i < 40; i++) threads.push((await store.createThread({ thread: newThread() })).record);
    const filler = fillUp(dir);
    // Room for a few records: some opens are acknowledged, then the disk is full under the rest.
    execFileSync('truncate', ['-s', String(statSync(filler).size - 4096), filler]);

    const results = await Promise.allSettled(threads.slice(0, 39).map((th) => store.openFollowUp({ followUp: newFollowUp(th), prefix: 'KR1', year: 2025 })));
    const acked = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value!.followUp.tracking] : []));
    const refused = results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason as Error);
    t.diagnostic(`${acked.length} opens acknowledged, ${refused.length} refused`);
    assert.ok(refused.length > 0, 'the disk filled up under the opens');
    assert.ok(refused.every((err) => err instanceof StoreUnavailableError && err.reason === 'storage_full'), refused.map(String).join('; '));
    const numbers = acked.map((tracking) => Number(tracking.slice(-6))).sort((a, b) => a - b);
    assert.deepEqual(numbers, numbers.map((_, i) => i + 1), 'the acknowledged opens have numbers 1…k');

    rmSync(filler);
    await until(async () => ((await store.health()).ok ? true : undefined), 'writes to be taken again');
    const next = await store.openFollowUp({ followUp: newFollowUp(threads[39]!), prefix: 'KR1', year: 2025 });
    assert.equal(next?.followUp.tracking, `KR1-2025-${String(acked.length + 1).padStart(6, '0')}`, 'no number was used up by a refused open');
    await store.close();

    const reopened = new JsonStore({ dir });
    await reopened.open();
    const kept = await reopened.activeFollowUps();
    assert.deepEqual(kept.map((f) => f.tracking).sort(), [...acked, next!.followUp.tracking].sort());
    for (const f of kept) assert.equal((await reopened.getThreadRecord({ id: f.threadId }))?.followUp?.tracking, f.tracking);
    await reopened.close();
  });
});
