import assert from 'node:assert/strict';
import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { CLEAN_MARKER } from '../../../server/store/generation.js';
import { JsonStore } from '../../../server/store/json-store.js';
import { newPost, newThread } from './contract.js';

async function tempDir(t: TestContext): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'osg-generation-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

async function opened(t: TestContext, dir: string): Promise<JsonStore> {
  const store = new JsonStore({ dir });
  await store.open();
  t.after(() => store.close());
  return store;
}

async function write(store: JsonStore): Promise<void> {
  const { record } = await store.createThread({ thread: newThread() });
  await store.createPost({ post: newPost(record.id) });
}

/** The files as they are now; the live lock socket is not part of what a copy or a crash leaves. */
function copyOf(dir: string, to: string): string {
  cpSync(dir, to, { recursive: true, filter: (source) => !path.basename(source).startsWith('LOCK') });
  return to;
}

describe('the store generation', () => {
  it('stays the same across a clean close and reopen, however often', async (t) => {
    const dir = await tempDir(t);
    const first = await opened(t, dir);
    const generation = await first.generation();
    assert.match(generation, /^[A-Za-z0-9_-]{12}$/);
    await write(first);
    await first.close();
    assert.ok(existsSync(path.join(dir, CLEAN_MARKER)), 'a clean close leaves the marker');
    const second = await opened(t, dir);
    assert.equal(await second.generation(), generation);
    assert.equal(existsSync(path.join(dir, CLEAN_MARKER)), false, 'the marker is consumed at open');
    await second.close(); // nothing written: no new snapshot, same files
    const third = await opened(t, dir);
    assert.equal(await third.generation(), generation);
  });

  it('is new after an unclean stop (what kill -9 or a power cut leaves), even one right after a clean start', async (t) => {
    const dir = await tempDir(t);
    const first = await opened(t, dir);
    await write(first);
    await first.close();
    const generation = (await (await opened(t, dir)).generation());
    // The store above is still open: its files as they are now are what a crash would leave.
    const crashed = await opened(t, copyOf(dir, await tempDir(t)));
    assert.notEqual(await crashed.generation(), generation);
    assert.equal((await crashed.listThreads({ site: 'kanreg-1', filter: 'all', limit: 10 })).threads.length, 1, 'with the same data');
  });

  it('is new when the data files are a copy of a cleanly stopped store (a restore), marker and all', async (t) => {
    const dir = await tempDir(t);
    const first = await opened(t, dir);
    await write(first);
    await first.close();
    const generation = JSON.parse(readFileSync(path.join(dir, CLEAN_MARKER), 'utf8')).generation;
    const restored = await opened(t, copyOf(dir, await tempDir(t)));
    assert.notEqual(await restored.generation(), generation, 'copied files are new files (inode, ctime)');
  });

  it('is new when the journal changed after the clean stop (a lost or added tail), or the marker is damaged', async (t) => {
    const dir = await tempDir(t);
    const first = await opened(t, dir);
    await write(first);
    await first.close();
    const marker = readFileSync(path.join(dir, CLEAN_MARKER), 'utf8');
    const generation = JSON.parse(marker).generation;

    writeFileSync(path.join(dir, CLEAN_MARKER), marker.slice(0, 20));
    const damaged = await opened(t, dir);
    assert.notEqual(await damaged.generation(), generation);
    await damaged.close();

    const clean = JSON.parse(readFileSync(path.join(dir, CLEAN_MARKER), 'utf8')).generation;
    const journal = JSON.parse(readFileSync(path.join(dir, CLEAN_MARKER), 'utf8')).files.find((f: { name: string }) => f.name.startsWith('journal-')).name;
    writeFileSync(path.join(dir, journal), ''); // emptied in place: same inode, other size and times
    const changed = await opened(t, dir);
    assert.notEqual(await changed.generation(), clean);
  });
});
