/**
 * Several real instances on one PostgreSQL schema and one Redis, as in production (docs/SCALING.md): each an
 * in-process server on its own loopback port with its own PgStore, the same OSG_SECRET and the same sites.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../server/config.js';
import { silentLogger, type Logger } from '../../server/log.js';
import { startServer, type RunningServer, type ServerOptions } from '../../server/server.js';
import { PgStore } from '../../server/store/pg/pg-store.js';
import { GENEROUS_TRUST } from './limits.js';
import { queryIn, TEST_DATABASE_URL, testSchema } from './postgres.js';
import { ensureRedis, TEST_REDIS_URL, testPrefix } from './redis.js';
import { TEST_SECRET, writeOfficers } from './server.js';

export const SITES = JSON.stringify([
  { id: 'kanreg1', name: 'Kanreg I Yogyakarta', origins: ['https://kanreg1.example.go.id'] },
  { id: 'kanreg2', name: 'Kanreg II Surabaya', origins: ['https://kanreg2.example.go.id'] },
]);

export interface Instance extends RunningServer {
  store: PgStore;
}

export interface InstanceSettings {
  schema: string;
  /** The shared Redis (with `prefix`), or none for an instance without OSG_REDIS_URL. */
  redisUrl?: string;
  prefix?: string;
  /** Another address for PostgreSQL (a TcpProxy in front of it). */
  databaseUrl?: string;
  /** The same officers file for every instance (as deployed): a session is bound to the account's password hash. */
  officersFile?: string;
  env?: Record<string, string>;
  options?: ServerOptions & { log?: Logger };
}

/** An officers file with OFFICER for several instances to share; removed when the process ends. */
export async function sharedOfficersFile(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'osg-scale-officers-'));
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  return writeOfficers(dir);
}

/** One instance; `stop()` drains it and closes its store. */
export async function startInstance(settings: InstanceSettings): Promise<Instance> {
  const dir = mkdtempSync(join(tmpdir(), 'osg-scale-'));
  const url = settings.databaseUrl ?? TEST_DATABASE_URL;
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    OSG_DATA_DIR: dir,
    OSG_SECRET: TEST_SECRET,
    OSG_SITES: SITES,
    OSG_TRUST: GENEROUS_TRUST,
    OSG_OFFICERS_FILE: settings.officersFile ?? (await writeOfficers(dir)),
    OSG_DATABASE_URL: url,
    ...(settings.redisUrl ? { OSG_REDIS_URL: settings.redisUrl, OSG_REDIS_PREFIX: settings.prefix ?? 'osg:' } : {}),
    ...settings.env,
  });
  const store = new PgStore({ url, schema: settings.schema, eventRetention: config.eventRetention, healthTimeoutMs: 500, healthCacheMs: 100 });
  await store.open();
  const { log = silentLogger, ...options } = settings.options ?? {};
  const server = await startServer(config, store, log, { followUpClock: false, ...options });
  return {
    ...server,
    store,
    async stop() {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

let asked = 0;
/** Asks a question on kanreg1 through `on`'s REST API; `label` names the test in its title and clientId. */
export async function askOn(on: RunningServer, token: string, label: string): Promise<{ status: number; json: any }> {
  const i = asked++;
  const res = await fetch(`${on.url}/api/sites/kanreg1/threads`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ title: `Pertanyaan ${label} nomor ${i}`, body: 'Isi pertanyaan yang cukup panjang.', category: 'cuti', clientId: `${label}-${i}-${Date.now()}` }),
  });
  return { status: res.status, json: await res.json() };
}

/**
 * `/healthz` once it answers `status` (bounded: 5 s). A health answer is reused for up to 100 ms
 * (healthCacheMs), so one from just before a change may still be served.
 */
export async function healthOnceStatus(on: RunningServer, status: number): Promise<{ status: number; json: any }> {
  let health = await fetch(`${on.url}/healthz`);
  for (const deadline = Date.now() + 5000; health.status !== status && Date.now() < deadline; ) {
    await health.body?.cancel();
    await new Promise((resolve) => setTimeout(resolve, 50));
    health = await fetch(`${on.url}/healthz`);
  }
  return { status: health.status, json: await health.json() };
}

/** A REST call to `on` that must succeed; its JSON body. */
export async function callOn(on: RunningServer, method: string, path: string, body?: unknown, token?: string): Promise<any> {
  const res = await fetch(`${on.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await res.json();
  assert.ok(res.ok, `${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

/**
 * The environment of `server/main.ts` processes forming one deployment: a fresh schema (reached through the
 * connection's search_path), the shared Redis under a prefix of their own, the same sites and officers file.
 * `drop` removes the schema (named `schema`).
 */
export async function clusterEnv(): Promise<{ env: Record<string, string>; schema: string; drop: () => Promise<void> }> {
  await ensureRedis();
  const schema = await testSchema();
  await queryIn('public', `CREATE SCHEMA ${schema.name}`);
  const env = {
    OSG_DATABASE_URL: `${TEST_DATABASE_URL}?options=${encodeURIComponent(`-c search_path=${schema.name}`)}`,
    OSG_REDIS_URL: TEST_REDIS_URL,
    OSG_REDIS_PREFIX: testPrefix(),
    OSG_SITES: SITES,
    OSG_OFFICERS_FILE: await sharedOfficersFile(),
  };
  return { env, schema: schema.name, drop: schema.drop };
}
