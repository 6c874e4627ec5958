import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { canBuild, decideBuild } from '../../server/cli/build-check.js';
import { ROOT } from './support/harness.js';

const temps: string[] = [];
const tempDir = (prefix: string) => {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  temps.push(dir);
  return dir;
};
after(() => temps.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function touch(root: string, file: string, secondsAgo: number): void {
  const path = join(root, file);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, '');
  const at = Date.now() / 1000 - secondsAgo;
  utimesSync(path, at, at);
}

describe('deciding whether `npm start` builds the widget', () => {
  const outputs = ['dist/widget/osg-konsultasi.js', 'dist/widget/osg-konsultasi.mjs', 'dist/admin/index.html'];

  it('builds when dist/ is missing and vite is there, and stops when vite is not', () => {
    const root = tempDir('osg-decide-');
    touch(root, 'widget/osg-konsultasi.ts', 100);
    assert.equal(decideBuild(root, true), 'build');
    assert.equal(decideBuild(root, false), 'missing');
  });

  it('serves a dist/ newer than the sources, and rebuilds an older one only where it can', () => {
    const root = tempDir('osg-decide-');
    touch(root, 'widget/osg-konsultasi.ts', 100);
    for (const file of outputs) touch(root, file, 50);
    assert.equal(decideBuild(root, true), 'serve');
    touch(root, 'widget/components/answer/answer.component.ts', 10);
    assert.equal(decideBuild(root, true), 'build');
    assert.equal(decideBuild(root, false), 'serve', 'a production install serves what was deployed');
  });

  it('knows whether vite is installed', () => {
    assert.equal(canBuild(ROOT), true);
    assert.equal(canBuild(tempDir('osg-novite-')), false);
  });
});

/** `npm start` in `dir` until it logs "listening"; resolves with its port, or rejects with what it printed. */
function npmStart(dir: string, dataDir: string): { port: Promise<number>; exit: Promise<{ code: number | null; output: string }>; stop(): void } {
  const child = spawn('npm', ['start'], {
    cwd: dir,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', OSG_DATA_DIR: dataDir, OSG_LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  const exit = new Promise<{ code: number | null; output: string }>((resolve) => child.once('exit', (code) => resolve({ code, output })));
  const port = new Promise<number>((resolve, reject) => {
    const read = (chunk: Buffer) => {
      output += chunk;
      const match = /"msg":"listening".*?"port":(\d+)/.exec(output);
      if (match) resolve(Number(match[1]));
    };
    child.stdout!.on('data', read);
    child.stderr!.on('data', read);
    void exit.then(({ code }) => reject(new Error(`npm start exited with ${code}:\n${output}`)));
  });
  port.catch(() => undefined);
  // npm runs node in its own child: the whole group is stopped.
  return { port, exit, stop: () => process.kill(-child.pid!, 'SIGTERM') };
}

describe('a production install (npm ci --omit=dev)', () => {
  let app: string;

  before(() => {
    // The repository's files and the dist/ built before this suite, installed without dev dependencies from the
    // npm cache that `npm ci` filled (no network).
    app = tempDir('osg-prod-');
    const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], { cwd: ROOT, encoding: 'utf8' }).split('\n').filter(Boolean);
    for (const file of files) cpSync(join(ROOT, file), join(app, file), { recursive: true });
    cpSync(join(ROOT, 'dist'), join(app, 'dist'), { recursive: true });
    execFileSync('npm', ['ci', '--omit=dev', '--offline', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: app, stdio: 'pipe' });
    assert.equal(canBuild(app), false, 'vite is a dev dependency');
  });

  it('starts with `npm start` and serves the prebuilt widget, its on-demand module under a content-hashed name cached for good', async () => {
    const server = npmStart(app, tempDir('osg-prod-data-'));
    try {
      const base = `http://127.0.0.1:${await server.port}`;
      const main = await fetch(`${base}/osg-konsultasi.js`);
      assert.equal(main.status, 200);
      assert.equal(main.headers.get('cache-control'), 'public, max-age=300');
      const script = await main.text();
      const names = [...new Set(script.match(/osg-konsultasi-profile[\w-]*\.mjs/g))];
      assert.equal(names.length, 1, `one on-demand module name in the main script: ${names}`);
      assert.match(names[0]!, /^osg-konsultasi-profile-[0-9a-f]{10}\.mjs$/);
      const module = await fetch(`${base}/${names[0]}`);
      assert.equal(module.status, 200);
      assert.equal(module.headers.get('cache-control'), 'public, max-age=31536000, immutable');
      assert.match(await module.text(), /export\s*\{[^}]*\binstall\b/);
      // The fixed name of before is gone: an old main script cannot load a newer module by it.
      assert.equal((await fetch(`${base}/osg-konsultasi-profile.mjs`)).status, 404);
      assert.equal((await fetch(`${base}/osg-konsultasi-profile-0123456789.mjs`)).status, 404);
      assert.equal((await fetch(`${base}/admin/`)).status, 200);
    } finally {
      server.stop();
      await server.exit;
    }
  });

  it('without dist/ stops at once with one line saying to run `npm run build`', async () => {
    rmSync(join(app, 'dist'), { recursive: true, force: true });
    const { code, output } = await npmStart(app, tempDir('osg-prod-data-')).exit;
    assert.notEqual(code, 0);
    const lines = output.split('\n').filter((line) => line.startsWith('osg-konsultasi:'));
    assert.equal(lines.length, 1, output);
    assert.match(lines[0]!, /dist\/ is missing.*`npm run build`/);
  });
});
