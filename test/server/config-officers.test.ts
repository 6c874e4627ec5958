import assert from 'node:assert/strict';
import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { ConfigError, loadConfig, watchOfficersFile } from '../../server/config.js';
import type { OfficerAccount } from '../../server/domain/officer-accounts.js';
import { hashPassword } from '../../server/domain/passwords.js';

const dir = mkdtempSync(join(tmpdir(), 'osg-config-officers-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const base = { OSG_DATA_DIR: dir };
const refused = (env: Record<string, string>, pattern: RegExp) =>
  assert.throws(() => loadConfig({ ...base, ...env }), (err: unknown) => err instanceof ConfigError && pattern.test(err.message));

describe('officer session settings', () => {
  it('default to 30 idle minutes and 12 hours', () => {
    assert.deepEqual(loadConfig(base).officerSessions, { idleMinutes: 30, sessionHours: 12 });
    assert.deepEqual(loadConfig({ ...base, OSG_OFFICER_IDLE_MINUTES: '15', OSG_OFFICER_SESSION_HOURS: '8' }).officerSessions, { idleMinutes: 15, sessionHours: 8 });
  });

  it('name the variable and the problem for a bad value', () => {
    refused({ OSG_OFFICER_IDLE_MINUTES: 'lama' }, /OSG_OFFICER_IDLE_MINUTES must be a whole number/);
    refused({ OSG_OFFICER_IDLE_MINUTES: '0' }, /OSG_OFFICER_IDLE_MINUTES must be at least 1/);
    refused({ OSG_OFFICER_SESSION_HOURS: '200' }, /OSG_OFFICER_SESSION_HOURS must be at most 168/);
    refused({ OSG_OFFICER_IDLE_MINUTES: '120', OSG_OFFICER_SESSION_HOURS: '1' }, /OSG_OFFICER_IDLE_MINUTES \(120\) must not be longer than OSG_OFFICER_SESSION_HOURS/);
  });
});

/** Collects what the watcher reports; `next()` waits for the next report. */
function recorder() {
  const reports: Array<{ accounts?: OfficerAccount[]; error?: string }> = [];
  let wake: (() => void) | undefined;
  const push = (report: { accounts?: OfficerAccount[]; error?: string }) => {
    reports.push(report);
    wake?.();
  };
  return {
    reports,
    onAccounts: (accounts: OfficerAccount[]) => push({ accounts }),
    onError: (error: string) => push({ error }),
    async next(count: number): Promise<void> {
      const end = Date.now() + 10_000;
      while (reports.length < count) {
        if (Date.now() > end) throw new Error(`waited for report ${count}; got ${JSON.stringify(reports)}`);
        await new Promise<void>((resolve) => {
          wake = resolve;
          setTimeout(resolve, 50);
        });
      }
    },
  };
}

/** Writes the file as the CLI does: a new file renamed over the old one. */
function replace(file: string, content: string): void {
  writeFileSync(`${file}.tmp`, content);
  renameSync(`${file}.tmp`, file);
}

describe('watching the officers file', () => {
  it('reports each valid change, reports a broken or missing file as an error, and skips content that did not change', async (t) => {
    const file = join(dir, 'watched-officers.json');
    const one: OfficerAccount = { username: 'petugas1', name: 'Petugas Kanreg I', passwordHash: await hashPassword('rahasia-petugas-1') };
    const two: OfficerAccount = { username: 'petugas2', name: 'Rina', passwordHash: await hashPassword('rahasia-petugas-2') };
    writeFileSync(file, JSON.stringify([one]));
    const seen = recorder();
    const watcher = watchOfficersFile(file, [one], seen.onAccounts, seen.onError, { pollMs: 200 });
    t.after(() => watcher.close());

    replace(file, JSON.stringify([one, two]));
    await seen.next(1);
    assert.deepEqual(seen.reports[0], { accounts: [one, two] });

    replace(file, '[{"username": "petugas1"');
    await seen.next(2);
    assert.match(seen.reports[1]!.error!, /cannot read JSON.*accounts in force are kept/);

    replace(file, JSON.stringify([{ ...one, passwordHash: 'plain-text-password' }]));
    await seen.next(3);
    assert.match(seen.reports[2]!.error!, /passwordHash must be written by `npm run officer -- add`/);

    // The same accounts again (only spacing differs) are not a change; the next real change is the barrier.
    replace(file, JSON.stringify([one, two], null, 2));
    replace(file, JSON.stringify([two]));
    await seen.next(4);
    assert.deepEqual(seen.reports.slice(3), [{ accounts: [two] }]);

    rmSync(file);
    await seen.next(5);
    assert.match(seen.reports[4]!.error!, /is missing; the officer accounts in force are kept/);
  });

  it('says nothing about a missing file while there are no accounts (a fresh install)', async (t) => {
    const file = join(dir, 'not-yet.json');
    const seen = recorder();
    const watcher = watchOfficersFile(file, [], seen.onAccounts, seen.onError, { pollMs: 200 });
    t.after(() => watcher.close());
    watcher.check();
    const account: OfficerAccount = { username: 'petugas1', name: 'Petugas', passwordHash: await hashPassword('rahasia-petugas-1') };
    replace(file, JSON.stringify([account]));
    await seen.next(1);
    assert.deepEqual(seen.reports, [{ accounts: [account] }]);
  });
});

describe('officer roles and sites', () => {
  const sites = JSON.stringify([
    { id: 'kanreg1', name: 'Kanreg I' },
    { id: 'kanreg2', name: 'Kanreg II' },
  ]);
  const write = async (name: string, accounts: object[]) => {
    const file = join(dir, name);
    const passwordHash = await hashPassword('rahasia-petugas-1');
    writeFileSync(file, JSON.stringify(accounts.map((a) => ({ name: 'Petugas', passwordHash, ...a }))));
    return file;
  };

  it('reads role and sites; an account without them is an officer of every site', async () => {
    const file = await write('roles.json', [
      { username: 'petugas1' },
      { username: 'rina', role: 'supervisor', sites: ['kanreg2'] },
      { username: 'admin', role: 'admin' },
    ]);
    const { officers } = loadConfig({ ...base, OSG_SITES: sites, OSG_OFFICERS_FILE: file });
    assert.deepEqual(
      officers.map(({ username, role, sites }) => ({ username, role, sites })),
      [
        { username: 'petugas1', role: undefined, sites: undefined },
        { username: 'rina', role: 'supervisor', sites: ['kanreg2'] },
        { username: 'admin', role: 'admin', sites: undefined },
      ],
    );
  });

  it('refuses an unknown role, an empty site list and a site that is not configured, naming the account', async () => {
    const env = async (accounts: object[]) => ({ OSG_SITES: sites, OSG_OFFICERS_FILE: await write('bad.json', accounts) });
    refused(await env([{ username: 'petugas1', role: 'kepala' }]), /0\.role: role must be one of officer, supervisor, admin/);
    refused(await env([{ username: 'petugas1', sites: [] }]), /sites: list at least one site, or leave "sites" out/);
    refused(await env([{ username: 'petugas1', sites: ['kanreg1', 'kanreg9'] }]), /"petugas1" lists "kanreg9", not a configured site \(sites: kanreg1, kanreg2\)/);
  });

  it('keeps the accounts in force when a change names an unknown site', async (t) => {
    const file = await write('watched-sites.json', [{ username: 'petugas1', sites: ['kanreg1'] }]);
    const seen = recorder();
    const watcher = watchOfficersFile(file, [], seen.onAccounts, seen.onError, { pollMs: 200, siteIds: ['kanreg1', 'kanreg2'] });
    t.after(() => watcher.close());
    watcher.check();
    await seen.next(1);
    assert.deepEqual(seen.reports[0]!.accounts!.map((a) => a.sites), [['kanreg1']]);
    replace(file, JSON.stringify([{ ...seen.reports[0]!.accounts![0], sites: ['kanreg3'] }]));
    await seen.next(2);
    assert.match(seen.reports[1]!.error!, /"petugas1" lists "kanreg3", not a configured site.*accounts in force are kept/);
  });
});
