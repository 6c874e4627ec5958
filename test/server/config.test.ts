import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { ConfigError, loadConfig } from '../../server/config.js';

const dir = mkdtempSync(join(tmpdir(), 'osg-config-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const base = { OSG_DATA_DIR: dir };
const refused = (env: Record<string, string>, pattern: RegExp) =>
  assert.throws(() => loadConfig({ ...base, ...env }), (err: unknown) => err instanceof ConfigError && pattern.test(err.message));

describe('configuration at start-up', () => {
  it('has working defaults: port 8080, the demo site, ./data', () => {
    const config = loadConfig(base);
    assert.equal(config.port, 8080);
    assert.deepEqual(config.sites.map((s) => s.id), ['kanreg1']);
    assert.ok(config.sites[0]!.categories.some((c) => c.label.id === 'Kenaikan Pangkat'));
  });

  it('keeps a generated secret in the data directory so tokens survive restarts', () => {
    const first = loadConfig(base).secret;
    const second = loadConfig(base).secret;
    assert.equal(first.length, 32);
    assert.deepEqual(first, second);
    assert.match(readFileSync(join(dir, 'secret.key'), 'utf8'), /^[0-9a-f]{64}\n$/);
  });

  it('names the variable and the problem for a bad value', () => {
    refused({ PORT: 'eighty' }, /PORT must be a whole number/);
    refused({ PORT: '70000' }, /PORT must be at most 65535/);
    refused({ OSG_SECRET: 'short' }, /OSG_SECRET must be at least 32/);
    refused({ OSG_LOG_LEVEL: 'loud' }, /OSG_LOG_LEVEL/);
    refused({ OSG_PUBLIC_ORIGINS: 'https://ok.example,not an origin' }, /OSG_PUBLIC_ORIGINS: "not an origin"/);
  });

  it('takes a fan-out window of 20 to 1000 ms, 150 by default', () => {
    assert.equal(loadConfig(base).fanoutWindowMs, 150);
    assert.equal(loadConfig({ ...base, OSG_FANOUT_WINDOW_MS: '250' }).fanoutWindowMs, 250);
    refused({ OSG_FANOUT_WINDOW_MS: '5' }, /OSG_FANOUT_WINDOW_MS must be at least 20/);
    refused({ OSG_FANOUT_WINDOW_MS: '5000' }, /OSG_FANOUT_WINDOW_MS must be at most 1000/);
    refused({ OSG_FANOUT_WINDOW_MS: 'soon' }, /OSG_FANOUT_WINDOW_MS must be a whole number/);
  });

  it('validates the sites list', () => {
    refused({ OSG_SITES: '{not json' }, /OSG_SITES: cannot read JSON/);
    refused({ OSG_SITES: '[]' }, /at least one site/);
    refused({ OSG_SITES: '[{"id":"Bad Id","name":"x"}]' }, /0\.id: site id/);
    refused({ OSG_SITES: '[{"id":"a","name":"x","origins":["https://x.example/path"]}]' }, /origin is scheme/);
    refused({ OSG_SITES: '[{"id":"a","name":"x"},{"id":"a","name":"y"}]' }, /listed twice/);
    refused({ OSG_SITES: '[{"id":"a","name":"x","colour":"red"}]' }, /colour/);
  });

  it('trusts X-Forwarded-For from a proxy on the same host by default, and takes Express\'s other trust proxy values', () => {
    assert.deepEqual(loadConfig(base).trustProxy, ['loopback']);
    assert.equal(loadConfig({ ...base, OSG_TRUST_PROXY: 'false' }).trustProxy, false);
    assert.equal(loadConfig({ ...base, OSG_TRUST_PROXY: '2' }).trustProxy, 2);
    assert.deepEqual(loadConfig({ ...base, OSG_TRUST_PROXY: ' loopback, 10.0.0.0/8 ,fd00::/8, 192.168.1.7' }).trustProxy, ['loopback', '10.0.0.0/8', 'fd00::/8', '192.168.1.7']);
    refused({ OSG_TRUST_PROXY: 'true' }, /OSG_TRUST_PROXY: "true" would believe any client/);
    refused({ OSG_TRUST_PROXY: 'loopback,nginx' }, /OSG_TRUST_PROXY: invalid IP address: nginx/);
    refused({ OSG_TRUST_PROXY: '10.0.0.0/99' }, /OSG_TRUST_PROXY: invalid range on address: 10.0.0.0\/99/);
    refused({ OSG_TRUST_PROXY: ' , ' }, /OSG_TRUST_PROXY: /);
  });

  it('chooses PostgreSQL only with a valid OSG_DATABASE_URL, naming what is wrong otherwise', () => {
    assert.equal(loadConfig(base).database, undefined, 'the JSON store stays the default');
    assert.deepEqual(loadConfig({ ...base, OSG_DATABASE_URL: 'postgres://osg:rahasia@db.internal:5432/konsultasi' }).database, {
      url: 'postgres://osg:rahasia@db.internal:5432/konsultasi',
      poolSize: 10,
    });
    assert.equal(loadConfig({ ...base, OSG_DATABASE_URL: 'postgresql://db/k', OSG_DATABASE_POOL_SIZE: '25' }).database?.poolSize, 25);
    refused({ OSG_DATABASE_URL: 'not a url' }, /^OSG_DATABASE_URL is not a URL; expected e\.g\. postgres:\/\//);
    refused({ OSG_DATABASE_URL: 'mysql://db/k' }, /^OSG_DATABASE_URL must start with postgres:\/\/ or postgresql:\/\//);
    refused({ OSG_DATABASE_URL: 'postgres://db.internal' }, /^OSG_DATABASE_URL names no database/);
    refused({ OSG_DATABASE_URL: 'postgres://db/k', OSG_DATABASE_POOL_SIZE: '0' }, /OSG_DATABASE_POOL_SIZE must be at least 1/);
  });

  it('takes OSG_REDIS_URL only together with OSG_DATABASE_URL, naming what is wrong otherwise', () => {
    const pg = { OSG_DATABASE_URL: 'postgres://db/k' };
    assert.equal(loadConfig({ ...base, ...pg }).redis, undefined, 'Redis is optional on PostgreSQL');
    assert.deepEqual(loadConfig({ ...base, ...pg, OSG_REDIS_URL: 'redis://cache.internal:6379/2' }).redis, { url: 'redis://cache.internal:6379/2', prefix: 'osg:' });
    assert.deepEqual(loadConfig({ ...base, ...pg, OSG_REDIS_URL: 'rediss://u:p@cache:6380', OSG_REDIS_PREFIX: 'kanreg:' }).redis, { url: 'rediss://u:p@cache:6380', prefix: 'kanreg:' });
    refused({ ...pg, OSG_REDIS_URL: 'redis://cache', OSG_REDIS_PREFIX: 'a b' }, /^OSG_REDIS_PREFIX: 1 to 64/);
    refused({ OSG_REDIS_URL: 'redis://cache:6379' }, /^OSG_REDIS_URL is set without OSG_DATABASE_URL/);
    refused({ ...pg, OSG_REDIS_URL: 'cache:6379' }, /^OSG_REDIS_URL must start with redis:\/\/ or rediss:\/\//);
    refused({ ...pg, OSG_REDIS_URL: 'nonsense' }, /^OSG_REDIS_URL is not a URL/);
    refused({ ...pg, OSG_REDIS_URL: 'redis://cache:6379/sixteen' }, /^OSG_REDIS_URL: the database after the host must be a number/);
  });

  it('reads sites from a file', () => {
    const file = join(dir, 'sites.json');
    writeFileSync(file, JSON.stringify([{ id: 'kanreg4', name: 'Kanreg IV Makassar', origins: ['https://kanreg4.example.go.id'] }]));
    const config = loadConfig({ ...base, OSG_SITES_FILE: file });
    assert.equal(config.sites[0]!.id, 'kanreg4');
    assert.equal(config.sites[0]!.categories.length, 9);
    refused({ OSG_SITES_FILE: join(dir, 'missing.json') }, /OSG_SITES_FILE .* cannot read JSON/);
  });

  it('gives every site the follow-up defaults: WIB office hours, 240/2400 working minutes, a prefix from the id', () => {
    const [site] = loadConfig(base).sites;
    assert.equal(site!.followUp.timeZone, 'Asia/Jakarta');
    assert.equal(site!.followUp.workingHours.fri, '07:30-16:30');
    assert.equal(site!.followUp.workingHours.sat, undefined);
    assert.deepEqual(site!.followUp.sla, { firstResponseMinutes: 240, resolutionMinutes: 2400, categories: {} });
    assert.equal(site!.followUp.trackingPrefix, 'KR1');
    assert.equal(site!.followUp.autoCloseWorkingDays, 10);
    assert.deepEqual(site!.followUp.queueRules, { unansweredMinutes: 120, noOfficialAnswerHours: 16, flagged: true, negativeScore: true });
    assert.equal(site!.followUp.assignment, 'manual');
  });

  it('takes each site\'s follow-up settings from OSG_SITES', () => {
    const config = loadConfig({
      ...base,
      OSG_SITES: JSON.stringify([
        {
          id: 'kanreg4',
          name: 'Kanreg IV Makassar',
          timeZone: 'Asia/Makassar',
          workingHours: { mon: '08:00-12:00,13:00-16:00' },
          holidays: ['2026-12-25'],
          sla: { firstResponseMinutes: 60, categories: { pensiun: { resolutionMinutes: 4800 } } },
          trackingPrefix: 'MKS',
          autoCloseWorkingDays: 5,
          queueRules: { unansweredMinutes: false, flagged: false },
          assignment: 'round_robin',
        },
        { id: 'kanreg-xiv', name: 'Kanreg XIV Manokwari', timeZone: 'Asia/Jayapura' },
      ]),
    });
    const [kanreg4, kanreg14] = config.sites;
    assert.deepEqual(kanreg4!.followUp, {
      timeZone: 'Asia/Makassar',
      workingHours: { mon: '08:00-12:00,13:00-16:00' },
      holidays: ['2026-12-25'],
      sla: { firstResponseMinutes: 60, resolutionMinutes: 2400, categories: { pensiun: { resolutionMinutes: 4800 } } },
      trackingPrefix: 'MKS',
      autoCloseWorkingDays: 5,
      queueRules: { unansweredMinutes: false, noOfficialAnswerHours: 16, flagged: false, negativeScore: true },
      assignment: 'round_robin',
    });
    assert.equal(kanreg14!.followUp.trackingPrefix, 'KRXIV');
    assert.equal(kanreg14!.followUp.timeZone, 'Asia/Jayapura');
    assert.equal('timeZone' in kanreg14!, false, 'follow-up settings live under followUp only');
  });

  it('refuses bad follow-up settings at start-up, naming the site, the value and what was expected', () => {
    const site = (extra: object) => JSON.stringify([{ id: 'kanreg1', name: 'Kanreg I', ...extra }]);
    refused({ OSG_SITES: site({ timeZone: 'Asia/Singapore' }) }, /0\.timeZone: must be Asia\/Jakarta \(WIB\), Asia\/Makassar \(WITA\) or Asia\/Jayapura \(WIT\)/);
    refused({ OSG_SITES: site({ workingHours: { mon: '7:30-16' } }) }, /0\.workingHours\.mon: "7:30-16" is not HH:MM-HH:MM/);
    refused({ OSG_SITES: site({ workingHours: { mon: '16:00-07:30' } }) }, /start must be before the end/);
    refused({ OSG_SITES: site({ workingHours: { monday: '07:30-16:00' } }) }, /0\.workingHours\.monday: unknown day/);
    refused({ OSG_SITES: site({ holidays: ['2026-02-30'] }) }, /0\.holidays\.0: "2026-02-30" is not a real date/);
    refused({ OSG_SITES: site({ sla: { firstResponseMinutes: 3000 } }) }, /firstResponseMinutes \(3000\) must not exceed resolutionMinutes \(2400\)/);
    refused({ OSG_SITES: site({ trackingPrefix: 'kr1' }) }, /0\.trackingPrefix: must be 2–6 capital letters or digits/);
    refused({ OSG_SITES: site({ autoCloseWorkingDays: 0 }) }, /0\.autoCloseWorkingDays: must be between 1 and 60 working days/);
    refused({ OSG_SITES: site({ assignment: 'round-robin' }) }, /0\.assignment: must be manual or round_robin/);
    refused({ OSG_SITES: site({ queueRules: { unansweredMinutes: 0 } }) }, /0\.queueRules\.unansweredMinutes: must be a whole number of working minutes/);
    refused({ OSG_SITES: site({ sla: { categories: { beasiswa: { resolutionMinutes: 3000 } } } }) }, /kanreg1\.sla\.categories\.beasiswa: not one of the site's categories/);
    refused(
      { OSG_SITES: JSON.stringify([{ id: 'kanreg1', name: 'A' }, { id: 'kanreg-1', name: 'B' }]) },
      /kanreg-1\.trackingPrefix: "KR1" is already used by site "kanreg1"/,
    );
  });
});
