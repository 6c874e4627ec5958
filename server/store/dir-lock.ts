import { randomBytes } from 'node:crypto';
import { chmodSync, closeSync, openSync, readdirSync, rmSync, unlinkSync } from 'node:fs';
import { createConnection, createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { FILE_MODE } from './data-dir.js';

/** Another live process already uses the data directory; two writers would interleave the journal. */
export class StoreLockedError extends Error {
  constructor(
    readonly file: string,
    /** What the holder says its process id is (for the message only; never used to decide). */
    readonly pid: number | undefined,
  ) {
    super(`Data directory is in use by ${pid === undefined ? 'another process' : `process ${pid}`} (${file}). Stop that server first, or use another OSG_DATA_DIR.`);
    this.name = 'StoreLockedError';
  }
}

export interface DirLock {
  /** Gives the directory up (after the journal is closed). */
  release(): void;
  /** An earlier version's PID lock file was found and removed. */
  removedOldLockFile: boolean;
}

/**
 * Locks the data directory for this process with a Unix domain socket bound in it: the kernel closes the
 * socket when the process ends, however it ends (kill -9, OOM, power loss), so the lock dies with it. A PID in
 * a file cannot tell a dead process from a zombie or from an unrelated process that got the same PID (PID 1 in
 * every container); a listening socket can: connecting to it succeeds only while its owner lives.
 *
 * Each process binds a socket under a name of its own (`LOCK.<random>.sock`) and only then looks at the
 * others: one that accepts a connection is alive (refuse), one that refuses is a dead owner's (remove it). A
 * name is never bound twice, so a refused socket stays dead and removing it is always safe; and since every
 * process binds before it looks, of two starting at once at least one sees the other. Both may see each other
 * and back off: each then retries after a random pause, and only a holder still there after that is reported.
 */
export async function lockDir(dir: string): Promise<DirLock> {
  const place = socketPlace(dir);
  try {
    for (let attempt = 0; ; attempt++) {
      const name = `LOCK.${randomBytes(6).toString('hex')}.sock`;
      const server = await bind(place.prefix + name);
      chmodSync(place.prefix + name, FILE_MODE);
      const holder = await findLiveHolder(place.prefix, name);
      if (!holder) {
        const removedOldLockFile = removeOldLockFile(dir);
        const address = place.prefix + name;
        heldSockets.add(address);
        return {
          removedOldLockFile,
          release() {
            server.close();
            rmSync(address, { force: true });
            heldSockets.delete(address);
            place.close();
          },
        };
      }
      server.close();
      rmSync(place.prefix + name, { force: true });
      if (attempt === 2) throw new StoreLockedError(join(dir, holder.name), holder.pid);
      await new Promise((resolve) => setTimeout(resolve, 20 + Math.random() * 100));
    }
  } catch (err) {
    place.close();
    throw err;
  }
}

/** Socket files of the locks this process holds: removed on exit too (tidiness; a left one is harmless). */
const heldSockets = new Set<string>();
process.on('exit', () => {
  for (const address of heldSockets) rmSync(address, { force: true });
});

const SOCKET_NAME = /^LOCK\.[0-9a-f]+\.sock$/;
/** sun_path holds 108 bytes with its terminating NUL (104 on macOS). */
const MAX_SOCKET_PATH = 100;

/**
 * Where socket addresses in `dir` start. A socket address is limited to about 100 bytes; for a longer
 * directory the socket is reached through /proc/self/fd/<an open descriptor of the directory>/ (Linux).
 */
function socketPlace(dir: string): { prefix: string; close(): void } {
  if (Buffer.byteLength(join(dir, 'LOCK.000000000000.sock')) <= MAX_SOCKET_PATH) return { prefix: `${dir}/`, close() {} };
  if (process.platform !== 'linux') throw new Error(`Data directory path is too long for its lock socket (at most ~75 bytes here): ${dir}`);
  const fd = openSync(dir, 'r');
  let open = true;
  return {
    prefix: `/proc/self/fd/${fd}/`,
    close() {
      if (open) closeSync(fd);
      open = false;
    },
  };
}

function bind(address: string): Promise<Server> {
  const server = createServer((socket) => {
    socket.on('error', () => {});
    socket.end(`${process.pid}\n`);
  });
  server.on('error', () => {}); // after listening, errors of the listener have no one to tell
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(address, () => {
      server.off('error', reject);
      // The lock must not keep a finished process alive.
      server.unref();
      resolve(server);
    });
  });
}

/** The first other lock socket whose owner is alive; dead owners' sockets are removed on the way. */
async function findLiveHolder(prefix: string, own: string): Promise<{ name: string; pid?: number } | undefined> {
  for (const name of readdirSync(prefix)) {
    if (name === own || !SOCKET_NAME.test(name)) continue;
    const probe = await connectTo(prefix + name);
    if (probe.alive) return { name, pid: probe.pid };
    rmSync(prefix + name, { force: true });
  }
  return undefined;
}

/**
 * Connects to a lock socket: refused (or gone) means its owner is dead. Anything else (accepted, EACCES,
 * EAGAIN from a full backlog) counts as alive: refusing to start is safe, two writers are not.
 */
function connectTo(address: string): Promise<{ alive: boolean; pid?: number }> {
  return new Promise((resolve) => {
    const socket = createConnection(address);
    let said = '';
    const done = (result: { alive: boolean; pid?: number }) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };
    const timer = setTimeout(() => done({ alive: true }), 1000);
    socket.on('data', (d) => (said += d));
    socket.on('end', () => {
      const pid = Number.parseInt(said, 10);
      done({ alive: true, pid: Number.isSafeInteger(pid) ? pid : undefined });
    });
    socket.on('error', (err: NodeJS.ErrnoException) => done({ alive: err.code !== 'ECONNREFUSED' && err.code !== 'ENOENT' }));
  });
}

/** Earlier versions wrote their PID to LOCK; once this process holds the directory, that file means nothing. */
function removeOldLockFile(dir: string): boolean {
  try {
    unlinkSync(join(dir, 'LOCK'));
    return true;
  } catch {
    return false;
  }
}
