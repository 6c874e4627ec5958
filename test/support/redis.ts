/**
 * Redis for tests (DEVELOPERS.md, "PostgreSQL and Redis for tests"). The shared server at 127.0.0.1:6379 is
 * found (or started with the documented command when nothing answers) and never stopped; each test takes a key
 * prefix of its own. A test that restarts Redis runs its own `redis-server` on a free port (ownRedis()).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import net from 'node:net';

export const TEST_REDIS_URL = process.env.OSG_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

let ready: Promise<void> | undefined;

/** Resolves once the shared test Redis answers PING; starts it as DEVELOPERS.md says when nothing listens. */
export function ensureRedis(): Promise<void> {
  ready ??= (async () => {
    const url = new URL(TEST_REDIS_URL);
    const port = Number(url.port || 6379);
    if (await ping(url.hostname, port)) return;
    try {
      execFileSync(
        'redis-server',
        ['--daemonize', 'yes', '--bind', '127.0.0.1', '-::1', '--port', String(port), '--save', '', '--appendonly', 'no', '--dir', '/var/lib/redis', '--logfile', '/var/log/redis/ci.log'],
        { stdio: 'pipe', timeout: 10_000 },
      );
    } catch (err) {
      throw new Error(`Redis for tests: nothing answers at ${TEST_REDIS_URL} and redis-server did not start: ${(err as Error).message} (see DEVELOPERS.md)`);
    }
    const deadline = Date.now() + 10_000;
    while (!(await ping(url.hostname, port))) {
      if (Date.now() > deadline) throw new Error(`Redis for tests: nothing answers at ${TEST_REDIS_URL} after starting redis-server (see DEVELOPERS.md)`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  })().catch((err) => {
    ready = undefined;
    throw err;
  });
  return ready;
}

/** A key prefix no other test uses, for OSG_REDIS_PREFIX. */
export function testPrefix(): string {
  return `osg_t_${process.pid}_${randomBytes(4).toString('hex')}:`;
}

/** True when something at host:port answers PING with PONG. */
export function ping(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, host);
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.on('error', () => done(false));
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (d) => done(d.toString().startsWith('+PONG')));
  });
}

export interface OwnRedis {
  port: number;
  url: string;
  /** Kills it (SIGKILL: whatever it held is gone, as on a crash). */
  stop(): Promise<void>;
  /** Starts it again on the same port. */
  start(): Promise<void>;
}

/** A redis-server of the test's own on a free loopback port, keeping nothing on disk. */
export async function ownRedis(): Promise<OwnRedis> {
  const port = await freePort();
  let proc: ChildProcess | undefined;
  const own: OwnRedis = {
    port,
    url: `redis://127.0.0.1:${port}`,
    async start() {
      proc = spawn('redis-server', ['--bind', '127.0.0.1', '--port', String(port), '--save', '', '--appendonly', 'no', '--loglevel', 'warning'], { stdio: 'ignore' });
      const deadline = Date.now() + 10_000;
      while (!(await ping('127.0.0.1', port))) {
        if (Date.now() > deadline) throw new Error(`own redis-server on port ${port} did not answer`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    async stop() {
      const p = proc;
      proc = undefined;
      if (!p || p.exitCode !== null) return;
      const exited = new Promise((resolve) => p.once('exit', resolve));
      p.kill('SIGKILL');
      await exited;
    },
  };
  await own.start();
  return own;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
