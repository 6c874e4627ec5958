import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';
import { StoreLockedError } from '../../../server/store/dir-lock.js';
import { JsonStore } from '../../../server/store/json-store.js';
import { spawnServer } from '../../support/child-server.js';
import { GENEROUS_TRUST } from '../../support/limits.js';
import { TEST_SECRET } from '../../support/server.js';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'osg-lock-'));
  dirs.push(dir);
  return dir;
};
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const lockFiles = (dir: string) => readdirSync(dir).filter((n) => n.startsWith('LOCK'));

/** The state letter of a process in /proc (R, S, Z …), or undefined once it is gone. */
function processState(pid: number): string | undefined {
  try {
    return /^\d+ \(.*\) (\S)/.exec(readFileSync(`/proc/${pid}/stat`, 'utf8'))?.[1];
  } catch {
    return undefined;
  }
}

async function until(check: () => boolean, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('one data directory, one server', () => {
  it('refuses a second store on a directory in use, naming the holder, and frees it on close', async () => {
    const dir = tempDir();
    const first = new JsonStore({ dir });
    await first.open();
    const second = new JsonStore({ dir });
    await assert.rejects(second.open(), (err: unknown) => err instanceof StoreLockedError && err.pid === process.pid && /in use by process \d+/.test(err.message));
    assert.equal(lockFiles(dir).length, 1, 'the refused store left no lock of its own behind');
    await first.close();
    assert.deepEqual(lockFiles(dir), []);
    const third = new JsonStore({ dir });
    await third.open();
    await third.close();
  });

  it('is not blocked by a LOCK file naming a live, unrelated process (PID 1 in a container)', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'LOCK'), '1\n'); // what earlier versions wrote; PID 1 is always alive
    const store = new JsonStore({ dir });
    await store.open();
    assert.equal(existsSync(join(dir, 'LOCK')), false, 'the old-style lock file is gone');
    await store.close();
  });

  it('takes over the lock of a store whose process is gone, and works in a directory whose path is too long for a socket address', async () => {
    const dir = join(tempDir(), 'a-rather-long-folder-name-for-the-data-of-osg-konsultasi-'.repeat(2), 'data');
    mkdirSync(dir, { recursive: true });
    assert.ok(Buffer.byteLength(dir) > 108);
    const store = new JsonStore({ dir });
    await store.open();
    await assert.rejects(new JsonStore({ dir }).open(), StoreLockedError);
    await store.close();
    // A process that held the lock and died: its socket file stays, nobody listens on it.
    const child = spawn(process.execPath, ['--import', 'tsx', '-e', `
      const { JsonStore } = await import(${JSON.stringify(join(root, 'server/store/json-store.ts'))});
      await new JsonStore({ dir: ${JSON.stringify(dir)} }).open();
      process.stdout.write('open\\n');
      setInterval(() => {}, 1000);
    `], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise((resolve) => child.stdout!.once('data', resolve));
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    assert.equal(lockFiles(dir).length, 1, 'the dead process left its lock file');
    const again = new JsonStore({ dir });
    await again.open();
    await again.close();
    assert.deepEqual(lockFiles(dir), []);
  });
});

describe('restarting a server killed with SIGKILL', () => {
  it('starts at once, even while the dead server is still a zombie that its parent has not reaped', async () => {
    const dir = tempDir();
    // `exec sleep` replaces the shell by a parent that never waits for its child: a killed server stays a zombie.
    const env = { ...process.env, PORT: '0', HOST: '127.0.0.1', OSG_DATA_DIR: dir, OSG_SECRET: TEST_SECRET, OSG_TRUST: GENEROUS_TRUST };
    const parent = spawn('sh', ['-c', `"${process.execPath}" --import tsx server/main.ts & echo "pid=$!"; exec sleep 60`], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    parent.stdout!.on('data', (d) => (out += d));
    parent.stderr!.on('data', (d) => (out += d));
    try {
      await until(() => /"msg":"listening"/.test(out), 'the first server to listen');
      const pid = Number(/pid=(\d+)/.exec(out)![1]);
      process.kill(pid, 'SIGKILL');
      await until(() => processState(pid) === 'Z', `process ${pid} to be a zombie`);

      const server = await spawnServer(dir);
      assert.equal(processState(pid), 'Z', 'the dead server was still a zombie while the new one started');
      const health = await fetch(`${server.url}/healthz`);
      assert.equal(health.status, 200);
      server.proc.kill('SIGTERM');
      assert.equal(await server.exited, 0);
    } finally {
      parent.kill('SIGKILL');
    }
  });

  it('still refuses a second live server on the same directory', async () => {
    const dir = tempDir();
    const first = await spawnServer(dir);
    const message = await spawnServer(dir).then(
      () => assert.fail('a second server started on a directory in use'),
      (err: Error) => err.message,
    );
    assert.match(message, /exited with 1/);
    assert.match(message, new RegExp(`in use by process ${first.proc.pid}`));
    assert.equal((await fetch(`${first.url}/healthz`)).status, 200, 'the first server is unharmed');
    first.proc.kill('SIGTERM');
    assert.equal(await first.exited, 0);
  });
});
