/**
 * `npm run officer`: the real CLI in a child process, writing a real officers file. At a terminal (a
 * pseudo-terminal made by util-linux `script`) the password is read without echo.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { readOfficersFile } from '../../../server/config.js';
import { verifyPassword } from '../../../server/domain/passwords.js';

const ROOT = new URL('../../../', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'osg-officer-cli-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

/** Runs the CLI with `input` piped to its standard input, as a script would. */
function cli(file: string, args: string[], input = '', env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'server/cli/officer.ts', ...args], {
    cwd: ROOT,
    input,
    encoding: 'utf8',
    env: { ...process.env, OSG_OFFICERS_FILE: file, OSG_OFFICER_PASSWORD: '', ...env },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const freshFile = () => join(dir, `officers-${++n}.json`);

describe('the officer CLI', () => {
  it('adds an officer with a piped password, writing only its hash, readable by the server and by no one else', async () => {
    const file = freshFile();
    const added = cli(file, ['add', 'petugas1', 'Petugas Kanreg I'], 'rahasia-petugas-1\n');
    assert.equal(added.status, 0, added.stderr);
    assert.equal(readFileSync(file, 'utf8').includes('rahasia-petugas-1'), false);
    assert.equal(statSync(file).mode & 0o777, 0o600);
    const [account] = readOfficersFile(file);
    assert.equal(account!.name, 'Petugas Kanreg I');
    assert.equal(await verifyPassword('rahasia-petugas-1', account!.passwordHash), true);
  });

  it('changes a password with passwd (from OSG_OFFICER_PASSWORD) and keeps the rest', async () => {
    const file = freshFile();
    cli(file, ['add', 'petugas1', 'Petugas Kanreg I'], 'rahasia-petugas-1\n');
    cli(file, ['add', 'petugas2', 'Rina'], 'rahasia-petugas-2\n');
    const before = readOfficersFile(file);
    const changed = cli(file, ['passwd', 'petugas1'], '', { OSG_OFFICER_PASSWORD: 'kata-sandi-baru-2026' });
    assert.equal(changed.status, 0, changed.stderr);
    assert.match(changed.stdout, /password of "petugas1" changed/);
    const after = readOfficersFile(file);
    assert.equal(await verifyPassword('kata-sandi-baru-2026', after[0]!.passwordHash), true);
    assert.deepEqual({ ...after[0], passwordHash: '' }, { ...before[0], passwordHash: '' });
    assert.deepEqual(after[1], before[1]);
  });

  it('refuses passwd and remove for an unknown officer, and a short password, changing nothing', () => {
    const file = freshFile();
    cli(file, ['add', 'petugas1', 'Petugas Kanreg I'], 'rahasia-petugas-1\n');
    const before = readFileSync(file, 'utf8');
    const unknown = cli(file, ['passwd', 'petugas9'], 'rahasia-petugas-9\n');
    assert.equal(unknown.status, 2);
    assert.match(unknown.stderr, /no officer "petugas9"/);
    assert.equal(cli(file, ['remove', 'petugas9']).status, 2);
    const short = cli(file, ['passwd', 'petugas1'], 'pendek\n');
    assert.equal(short.status, 2);
    assert.match(short.stderr, /at least 10 characters/);
    assert.equal(readFileSync(file, 'utf8'), before);
  });

  it('removes an officer', () => {
    const file = freshFile();
    cli(file, ['add', 'petugas1', 'Petugas Kanreg I'], 'rahasia-petugas-1\n');
    cli(file, ['add', 'petugas2', 'Rina'], 'rahasia-petugas-2\n');
    assert.equal(cli(file, ['remove', 'petugas1']).status, 0);
    assert.deepEqual(readOfficersFile(file).map((a) => a.username), ['petugas2']);
    assert.equal(cli(file, ['list']).stdout, 'petugas2\tRina\tofficer\tevery site\n');
  });

  it('adds a supervisor of two sites and an admin, and set changes role, sites and name but not the password', () => {
    const file = freshFile();
    const env = { OSG_SITES: JSON.stringify([{ id: 'kanreg1', name: 'A' }, { id: 'kanreg2', name: 'B' }, { id: 'kanreg3', name: 'C' }]) };
    assert.equal(cli(file, ['add', 'rina', 'Rina', '--role', 'supervisor', '--sites', 'kanreg1,kanreg2'], 'rahasia-petugas-1\n', env).status, 0);
    assert.equal(cli(file, ['add', 'kepala', 'Kepala', '--role=admin'], 'rahasia-petugas-2\n', env).status, 0);
    assert.equal(cli(file, ['add', 'budi', 'Budi'], 'rahasia-petugas-3\n', env).status, 0);
    const [rina, kepala, budi] = readOfficersFile(file, ['kanreg1', 'kanreg2', 'kanreg3']);
    assert.deepEqual([rina!.role, rina!.sites], ['supervisor', ['kanreg1', 'kanreg2']]);
    assert.deepEqual([kepala!.role, kepala!.sites], ['admin', undefined]);
    assert.deepEqual([budi!.role, budi!.sites], [undefined, undefined], 'an officer of every site by default');

    const hash = rina!.passwordHash;
    const set = cli(file, ['set', 'rina', '--role', 'officer', '--sites', 'kanreg3', '--name', 'Rina Wati'], '', env);
    assert.equal(set.status, 0, set.stderr);
    assert.match(set.stdout, /"rina" is now officer, kanreg3/);
    const after = readOfficersFile(file)[0]!;
    assert.deepEqual({ ...after }, { username: 'rina', name: 'Rina Wati', passwordHash: hash, role: 'officer', sites: ['kanreg3'] });
    assert.equal(cli(file, ['set', 'rina', '--all-sites'], '', env).status, 0);
    assert.equal(readOfficersFile(file)[0]!.sites, undefined);
    assert.equal(cli(file, ['list']).stdout.split('\n')[1], 'kepala\tKepala\tadmin\tevery site');
  });

  it('refuses an unknown role, an unknown site (when the sites are configured) and an empty change, changing nothing', () => {
    const file = freshFile();
    const env = { OSG_SITES: JSON.stringify([{ id: 'kanreg1', name: 'A' }]) };
    cli(file, ['add', 'rina', 'Rina'], 'rahasia-petugas-1\n');
    const before = readFileSync(file, 'utf8');
    const role = cli(file, ['set', 'rina', '--role', 'kepala'], '', env);
    assert.equal(role.status, 2);
    assert.match(role.stderr, /--role must be one of officer, supervisor, admin/);
    const site = cli(file, ['set', 'rina', '--sites', 'kanreg1,kanreg9'], '', env);
    assert.equal(site.status, 2);
    assert.match(site.stderr, /"kanreg9" is not a configured site \(sites: kanreg1\)/);
    const added = cli(file, ['add', 'budi', 'Budi', '--sites', 'kanreg9'], 'rahasia-petugas-2\n', env);
    assert.equal(added.status, 2, 'checked before the password is read');
    assert.match(cli(file, ['set', 'rina'], '', env).stderr, /nothing to change/);
    assert.match(cli(file, ['set', 'nobody', '--role', 'admin'], '', env).stderr, /no officer "nobody"/);
    assert.equal(readFileSync(file, 'utf8'), before);
  });
});

const hasScript = (() => {
  try {
    execFileSync('script', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

/** Types `answers` at a pseudo-terminal, each after the prompt it answers has appeared; resolves everything shown. */
function atTerminal(file: string, args: string[], answers: Array<[prompt: string, typed: string]>): Promise<{ code: number | null; shown: string }> {
  const command = ['node', '--import', 'tsx', 'server/cli/officer.ts', ...args].map((a) => `'${a}'`).join(' ');
  const child = spawn('script', ['-qec', command, '/dev/null'], {
    cwd: ROOT,
    env: { ...process.env, OSG_OFFICERS_FILE: file, OSG_OFFICER_PASSWORD: '' },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  let shown = '';
  child.stdout.on('data', (d: Buffer) => {
    shown += d.toString();
    const next = answers[0];
    if (next && shown.includes(next[0])) {
      answers.shift();
      child.stdin.write(next[1]);
    }
  });
  const timer = setTimeout(() => child.kill(), 30_000);
  return new Promise((resolve) =>
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, shown });
    }),
  );
}

describe('the officer CLI at a terminal', { skip: hasScript ? false : 'util-linux `script` is not installed' }, () => {
  it('asks twice and never shows the password', async () => {
    const file = freshFile();
    const { code, shown } = await atTerminal(file, ['add', 'petugas1', 'Petugas Kanreg I'], [
      ['not shown', 'rahasia-terminal-1\r'],
      ['Repeat', 'rahasia-terminal-1\r'],
    ]);
    assert.equal(code, 0, shown);
    assert.equal(shown.includes('rahasia-terminal-1'), false, `the terminal showed: ${JSON.stringify(shown)}`);
    assert.equal(await verifyPassword('rahasia-terminal-1', readOfficersFile(file)[0]!.passwordHash), true);
  });

  it('changes nothing when the two passwords differ', async () => {
    const file = freshFile();
    cli(file, ['add', 'petugas1', 'Petugas Kanreg I'], 'rahasia-petugas-1\n');
    const before = readFileSync(file, 'utf8');
    const { code, shown } = await atTerminal(file, ['passwd', 'petugas1'], [
      ['not shown', 'rahasia-terminal-1\r'],
      ['Repeat', 'rahasia-terminal-2\r'],
    ]);
    assert.equal(code, 2);
    assert.match(shown, /the two passwords differ/);
    assert.equal(readFileSync(file, 'utf8'), before);
  });
});
