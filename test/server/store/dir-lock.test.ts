import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { StoreLockedError } from '../../../server/store/dir-lock.js';
import { JsonStore } from '../../../server/store/json-store.js';

const dir = mkdtempSync(join(tmpdir(), 'osg-lock-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('one data directory, one server', () => {
  it('refuses a second store on a directory in use, and frees it on close', async () => {
    const first = new JsonStore({ dir });
    await first.open();
    const second = new JsonStore({ dir });
    await assert.rejects(second.open(), (err: unknown) => err instanceof StoreLockedError && err.pid === process.pid);
    await first.close();
    assert.equal(existsSync(join(dir, 'LOCK')), false);
    const third = new JsonStore({ dir });
    await third.open();
    await third.close();
  });

  it('takes over a lock left by a process that no longer runs (kill -9)', async () => {
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString();
    writeFileSync(join(dir, 'LOCK'), `${dead}\n`);
    const store = new JsonStore({ dir });
    await store.open();
    await store.close();
  });
});
