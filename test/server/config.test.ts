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

  it('reads sites from a file', () => {
    const file = join(dir, 'sites.json');
    writeFileSync(file, JSON.stringify([{ id: 'kanreg4', name: 'Kanreg IV Makassar', origins: ['https://kanreg4.example.go.id'] }]));
    const config = loadConfig({ ...base, OSG_SITES_FILE: file });
    assert.equal(config.sites[0]!.id, 'kanreg4');
    assert.equal(config.sites[0]!.categories.length, 9);
    refused({ OSG_SITES_FILE: join(dir, 'missing.json') }, /OSG_SITES_FILE .* cannot read JSON/);
  });
});
