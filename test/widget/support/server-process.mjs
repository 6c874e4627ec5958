// Runs the real osg-konsultasi server (server/main.ts) as a child process for the widget tests.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

// Shared with the server tests (test/support/limits.ts).
const GENEROUS_TRUST = readFileSync(new URL('../../support/generous-trust.json', import.meta.url), 'utf8');

/** A port nobody listens on right now. */
export function freePort() {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolvePort(port));
    });
  });
}

/**
 * Writes `officers.json` (the format `npm run officer -- add` writes) into `dir` and returns its path. The
 * hashes come from the server's own hashPassword, run through tsx because this file is plain Node.
 */
function writeOfficers(dir, officers) {
  const script = `import { hashPassword } from './server/domain/passwords.ts';
    const officers = JSON.parse(process.env.OSG_TEST_OFFICERS);
    const hashed = [];
    for (const { username, name, password } of officers) hashed.push({ username, name, passwordHash: await hashPassword(password) });
    process.stdout.write(JSON.stringify(hashed));`;
  const hashed = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    cwd: root,
    env: { ...process.env, OSG_TEST_OFFICERS: JSON.stringify(officers) },
    encoding: 'utf8',
  });
  const file = join(dir, 'officers.json');
  writeFileSync(file, `${JSON.stringify(JSON.parse(hashed), null, 2)}\n`);
  return file;
}

/**
 * Starts the server and resolves once it logs `"msg":"listening"`. Pass `port` and `dataDir` to bring a
 * stopped server back as it was (same origin, same data). `officers` (`[{username, name, password}]`) become
 * officer accounts through `OSG_OFFICERS_FILE`.
 */
export async function startServer({ origins, port = 0, dataDir, officers } = {}) {
  const dir = dataDir ?? mkdtempSync(join(tmpdir(), 'osg-widget-test-'));
  const sites = [{ id: 'kanreg1', name: 'Kanreg I BKN Yogyakarta', origins }];
  const officerEnv = officers?.length ? { OSG_OFFICERS_FILE: writeOfficers(dir, officers) } : {};
  // Every test browser and raw client comes from 127.0.0.1: per-IP limits (meant for many people behind one
  // address) would refuse the suite's visitors and posts. Per-member limits stay as they are.
  const wide = { capacity: 100_000, perMinute: 100_000 };
  const trustEnv = { OSG_TRUST: JSON.stringify({ limits: { visitor: { ip: wide }, post: { ip: wide }, vote: { ip: wide }, flag: { ip: wide } } }) };
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: root,
    // Every browser test comes from 127.0.0.1 and makes many visitors: the default per-address limits would
    // measure the limiter. Rate limits have their own server tests.
    env: { ...process.env, PORT: String(port), OSG_DATA_DIR: dir, OSG_SITES: JSON.stringify(sites), OSG_LOG_LEVEL: 'info', OSG_TRUST: GENEROUS_TRUST, ...officerEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const listening = await new Promise((resolveStart, reject) => {
    let buffer = '';
    const timer = setTimeout(() => reject(new Error(`server did not start in 20 s:\n${stderr}`)), 20_000);
    child.once('exit', (code) => reject(new Error(`server exited with ${code}:\n${stderr}`)));
    child.stdout.on('data', (chunk) => {
      buffer += chunk;
      for (const line of buffer.split('\n')) {
        if (!line.includes('"listening"')) continue;
        clearTimeout(timer);
        resolveStart(JSON.parse(line));
      }
      buffer = buffer.slice(buffer.lastIndexOf('\n') + 1);
    });
  });
  child.stdout.resume();
  const url = `http://127.0.0.1:${listening.port}`;
  return {
    url,
    port: listening.port,
    dataDir: dir,
    /** Stops the process (SIGKILL, or `signal`: SIGTERM shuts it down as a process manager does); keeps the data unless `removeData`. */
    async stop({ removeData = false, signal = 'SIGKILL' } = {}) {
      // A child killed by a signal keeps exitCode null (signalCode is set): waiting for its 'exit' again would
      // hang on an event that already fired, and with nothing else pending Node would end web-test-runner with
      // status 0 before it reports failures.
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((done) => child.once('exit', done));
        child.kill(signal);
        await exited;
      }
      if (removeData) rmSync(dir, { recursive: true, force: true });
    },
  };
}
