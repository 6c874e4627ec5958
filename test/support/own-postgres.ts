/**
 * A PostgreSQL cluster of the test's own (initdb into a temporary directory, a free loopback port), for the
 * tests that stop and restart the database itself: the shared server at 127.0.0.1:5432 is never stopped, as
 * DEVELOPERS.md promises. Uses the Debian server binaries the shared server came with.
 */
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { freePort } from './redis.js';

export interface OwnPostgres {
  url: string;
  /** Stops it; `immediate` is a crash (no checkpoint: the next start replays the WAL). */
  stop(mode?: 'fast' | 'immediate'): void;
  start(): void;
  /** Stops it and removes its files. */
  destroy(): void;
}

function binDir(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'pg_ctl'))) : [];
  if (versions.length === 0) {
    throw new Error(`PostgreSQL server binaries not found under ${root} (see DEVELOPERS.md, "PostgreSQL and Redis for tests")`);
  }
  return join(root, versions.sort((a, b) => Number(b) - Number(a))[0]!, 'bin');
}

export async function ownPostgres(): Promise<OwnPostgres> {
  const bin = binDir();
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'osg-own-pg-'));
  const data = join(dir, 'data');
  // initdb and postgres refuse to run as root: as root (CI, this machine), run them as the postgres user.
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(dir, uid, gid);
  }
  const run = (file: string, args: string[]) =>
    execFileSync(asRoot ? 'runuser' : join(bin, file), asRoot ? ['-u', 'postgres', '--', join(bin, file), ...args] : args, { stdio: 'pipe', timeout: 60_000 });
  run('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']);
  const own: OwnPostgres = {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    start() {
      run('pg_ctl', ['-D', data, '-w', '-t', '30', '-l', join(dir, 'log'), '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1`, 'start']);
    },
    stop(mode = 'fast') {
      run('pg_ctl', ['-D', data, '-w', '-t', '30', '-m', mode, 'stop']);
    },
    destroy() {
      try {
        own.stop('immediate');
      } catch {
        // Already stopped.
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
  own.start();
  // The migrations expect pg_trgm in `public`, as ensurePostgres() provides on the shared server.
  const client = new pg.Client({ connectionString: own.url });
  await client.connect();
  await client.query('CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public');
  await client.end();
  return own;
}
