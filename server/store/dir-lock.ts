import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/** Another live process already uses the data directory; two writers would interleave the journal. */
export class StoreLockedError extends Error {
  constructor(readonly file: string, readonly pid: number) {
    super(`Data directory is in use by process ${pid} (${file}). Stop that server first, or use another OSG_DATA_DIR.`);
    this.name = 'StoreLockedError';
  }
}

/**
 * Takes the data directory's LOCK file for this process. A lock left by a process that no longer runs
 * (kill -9, power loss) is taken over: the journal's own checks make that safe.
 */
export function lockDir(dir: string): () => void {
  const file = join(dir, 'LOCK');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx', 0o644);
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      return () => rmSync(file, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const pid = Number.parseInt(readFileSync(file, 'utf8'), 10);
    if (Number.isInteger(pid) && pid > 0 && isAlive(pid)) throw new StoreLockedError(file, pid);
    rmSync(file, { force: true });
  }
  throw new StoreLockedError(file, Number.NaN);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
