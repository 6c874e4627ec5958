import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { appendFileSync, chmodSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';
import { loadConfig } from '../../../server/config.js';
import { JsonStore, type StoreLog } from '../../../server/store/json-store.js';
import { segmentPath } from '../../../server/store/journal.js';
import { newPost, newThread } from './contract.js';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const parent = mkdtempSync(join(tmpdir(), 'osg-modes-'));
after(() => rmSync(parent, { recursive: true, force: true }));
let n = 0;
const freshPath = () => join(parent, `data-${++n}`);
const mode = (file: string) => statSync(file).mode & 0o777;

/** Every entry of `dir` with a mode other than 0600, as "name 0644". */
function looseFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => mode(join(dir, name)) !== 0o600)
    .map((name) => `${name} 0${mode(join(dir, name)).toString(8)}`);
}

async function fill(store: JsonStore, posts: number): Promise<void> {
  const { record } = await store.createThread({ thread: newThread() });
  for (let i = 0; i < posts; i++) await store.createPost({ post: newPost(record.id) });
}

describe('data files hold NIPs: only their owner may read them', () => {
  it('creates the data directory 0700 and every file in it 0600: segments, snapshot, lock, torn-tail side file, markers', async () => {
    const dir = freshPath();
    const store = new JsonStore({ dir, snapshotEvery: 5 });
    await store.open();
    assert.equal(mode(dir), 0o700);
    await fill(store, 12); // snapshots and rotations on the way
    await store.idle();
    assert.ok(readdirSync(dir).some((name) => name.startsWith('LOCK.')), 'the lock socket is there');
    assert.deepEqual(looseFiles(dir), []);
    await store.close();

    appendFileSync(segmentPath(dir, Number(/journal-(\d+)/.exec(readdirSync(dir).find((f) => f.startsWith('journal-'))!)![1])), '{"c":"0000');
    const again = new JsonStore({ dir });
    await again.open();
    assert.ok(readdirSync(dir).some((name) => name.includes('.torn-')), 'a torn tail was moved aside');
    await fill(again, 1);
    await again.snapshot();
    assert.deepEqual(looseFiles(dir), []);
    await again.close();
    assert.deepEqual(looseFiles(dir), [], 'and after a clean stop');
  });

  it('makes an existing directory and its files owner-only at start, and says so in the log', async () => {
    const dir = freshPath();
    const first = new JsonStore({ dir });
    await first.open();
    await fill(first, 2);
    await first.close();
    chmodSync(dir, 0o755);
    for (const name of readdirSync(dir)) chmodSync(join(dir, name), 0o644);
    writeFileSync(join(dir, 'snapshot.json.tmp'), '{}', { mode: 0o644 });

    const lines: Array<{ level: string; msg: string; fields: Record<string, unknown> }> = [];
    const log: StoreLog = (level, msg, fields) => lines.push({ level, msg, fields });
    const store = new JsonStore({ dir, log });
    await store.open();
    assert.equal(mode(dir), 0o700);
    assert.deepEqual(looseFiles(dir), []);
    const dirLine = lines.find((l) => l.msg.startsWith('data directory was open'));
    assert.equal(dirLine?.level, 'warn');
    assert.equal(dirLine?.fields.from, '0755');
    assert.ok(lines.some((l) => l.msg.startsWith('data files were readable') && l.level === 'warn'));
    await store.close();
  });

  it('keeps secret.key and officers.json (written by the CLI) owner-only, in an owner-only directory', () => {
    const dir = freshPath();
    loadConfig({ OSG_DATA_DIR: dir }); // no OSG_SECRET: a secret is made and kept in the data directory
    assert.equal(mode(dir), 0o700);
    assert.equal(mode(join(dir, 'secret.key')), 0o600);

    const cliDir = freshPath();
    const env = { ...process.env, OSG_DATA_DIR: cliDir, OSG_OFFICER_PASSWORD: 'kata-sandi-petugas-1' };
    execFileSync(process.execPath, ['--import', 'tsx', 'server/cli/officer.ts', 'add', 'petugas1', 'Petugas Satu'], { cwd: root, env, stdio: 'pipe' });
    assert.equal(mode(cliDir), 0o700);
    assert.equal(mode(join(cliDir, 'officers.json')), 0o600);
    // A .tmp left by an earlier run with a loose mode must not pass its mode on.
    writeFileSync(join(cliDir, 'officers.json.tmp'), '[]', { mode: 0o644 });
    chmodSync(join(cliDir, 'officers.json.tmp'), 0o644);
    execFileSync(process.execPath, ['--import', 'tsx', 'server/cli/officer.ts', 'add', 'petugas2', 'Petugas Dua'], { cwd: root, env, stdio: 'pipe' });
    assert.equal(mode(join(cliDir, 'officers.json')), 0o600);
  });
});
