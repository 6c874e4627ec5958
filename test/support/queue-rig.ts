/**
 * A real server (JSON store in a temporary directory, supertest) with officers of different roles and sites
 * and an injected clock, for the officers' follow-up queue. The clock pass runs only when a test calls it.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import request from 'supertest';
import type { OfficerAccount } from '../../server/domain/officer-accounts.js';
import { hashPassword } from '../../server/domain/passwords.js';
import { loadConfig } from '../../server/config.js';
import { silentLogger } from '../../server/log.js';
import { startServer, type RunningServer } from '../../server/server.js';
import { PgStore } from '../../server/store/pg/pg-store.js';
import { GENEROUS_TRUST } from './limits.js';
import { dropSchema, ensurePostgres, TEST_DATABASE_URL, testSchema } from './postgres.js';
import { startTestServer, TEST_SECRET } from './server.js';

/** Which store the server under test runs on: the JSON store in a temporary directory, or a PostgreSQL schema. */
export type StoreKind = 'json' | 'postgres';

export const PASSWORD = 'rahasia-petugas-1';
/** Monday 2 March 2026, 08:00 WIB: inside working hours. */
export const MONDAY_0800_WIB = Date.parse('2026-03-02T01:00:00Z');
export const MINUTE = 60_000;

let hash: Promise<string> | undefined;

/** kanreg1: petugas1, petugas2 (officers), rina (supervisor); kanreg2: budi (officer); kepala: admin. */
export async function officerAccounts(): Promise<OfficerAccount[]> {
  const passwordHash = await (hash ??= hashPassword(PASSWORD));
  return [
    { username: 'petugas1', name: 'Petugas Satu', passwordHash, sites: ['kanreg1'] },
    { username: 'petugas2', name: 'Petugas Dua', passwordHash, sites: ['kanreg1'] },
    { username: 'rina', name: 'Rina Supervisor', passwordHash, role: 'supervisor', sites: ['kanreg1'] },
    { username: 'budi', name: 'Budi Kanreg Dua', passwordHash, sites: ['kanreg2'] },
    { username: 'kepala', name: 'Kepala Admin', passwordHash, role: 'admin' },
  ];
}

export type Api = ReturnType<typeof request>;
export type Auth = Record<string, string>;

export interface QueueRig {
  server: RunningServer;
  api: Api;
  clock: { now: number };
  dir: string;
  /** Officer sign-in headers, by username. */
  officer: Record<'petugas1' | 'petugas2' | 'rina' | 'budi' | 'kepala', Auth>;
  visitor(name?: string): Promise<{ id: string; auth: Auth }>;
  ask(auth: Auth, site?: string): Promise<{ id: string }>;
  answer(auth: Auth, threadId: string, body?: string): Promise<{ id: string }>;
  /** The asker's request: the thread enters the queue. */
  request(auth: Auth, threadId: string): Promise<{ tracking: string; status: string }>;
  /** The officer's view of a thread's follow-up. */
  followUp(auth: Auth, threadId: string): Promise<{ version: number; status: string; [k: string]: unknown }>;
  /** Signs every officer in again (after the clock moved past their sessions). */
  signIn(): Promise<void>;
  /** Stops this server (keeping the directory) and starts another on the same data. */
  restart(): Promise<void>;
}

let n = 0;

/** The rig's two sites with follow-up settings of their own (the keys of docs/FOLLOW-UP.md, "Site settings"). */
export function rigSites(kanreg1: Record<string, unknown> = {}, kanreg2: Record<string, unknown> = {}): string {
  return JSON.stringify([
    { id: 'kanreg1', name: 'Kanreg I Yogyakarta', ...kanreg1 },
    { id: 'kanreg2', name: 'Kanreg II Surabaya', ...kanreg2 },
  ]);
}

/** `sites`: OSG_SITES for both stores (rigSites()); without it, the two sites with default settings. */
export async function queueRig(t: TestContext, kind: StoreKind = 'json', options_: { sites?: string } = {}): Promise<QueueRig> {
  const dir = mkdtempSync(join(tmpdir(), 'osg-queue-'));
  writeFileSync(join(dir, 'officers.json'), JSON.stringify(await officerAccounts()));
  const clock = { now: MONDAY_0800_WIB };
  // Sessions as long as allowed: tests move the clock by hours (and sign in again after days: signIn()).
  const env: Record<string, string> = { OSG_OFFICER_IDLE_MINUTES: '1440', OSG_OFFICER_SESSION_HOURS: '168' };
  if (options_.sites) env.OSG_SITES = options_.sites;
  const options = { now: () => clock.now, followUpClock: false };
  let schema: string | undefined;
  if (kind === 'postgres') {
    await ensurePostgres();
    schema = (await testSchema()).name;
  }
  const start = async (): Promise<RunningServer> => {
    if (!schema) return startTestServer(env, dir, options);
    const config = loadConfig({
      PORT: '0',
      HOST: '127.0.0.1',
      OSG_DATA_DIR: dir,
      OSG_SECRET: TEST_SECRET,
      OSG_SITES: JSON.stringify([
        { id: 'kanreg1', name: 'Kanreg I Yogyakarta' },
        { id: 'kanreg2', name: 'Kanreg II Surabaya' },
      ]),
      OSG_TRUST: GENEROUS_TRUST,
      OSG_OFFICERS_FILE: join(dir, 'officers.json'),
      ...env,
    });
    const store = new PgStore({ url: TEST_DATABASE_URL, schema });
    await store.open();
    return startServer(config, store, silentLogger, options);
  };
  const rig = { clock, dir, officer: {} } as QueueRig;
  const signIn = async () => {
    for (const username of ['petugas1', 'petugas2', 'rina', 'budi', 'kepala'] as const) {
      const res = await rig.api.post('/api/officer/login').send({ username, password: PASSWORD }).expect(200);
      rig.officer[username] = { Authorization: `Bearer ${res.body.token}` };
    }
  };
  rig.server = await start();
  rig.api = request(rig.server.http);
  t.after(async () => {
    await rig.server.stop();
    rmSync(dir, { recursive: true, force: true });
    if (schema) await dropSchema(schema);
  });
  await signIn();
  rig.signIn = signIn;
  rig.restart = async () => {
    await rig.server.stop();
    rig.server = await start();
    rig.api = request(rig.server.http);
    await signIn();
  };
  rig.visitor = async (name) => {
    const res = await rig.api.post('/api/visitors').send(name ? { name } : {}).expect(201);
    return { id: res.body.visitor.id, auth: { Authorization: `Bearer ${res.body.token}` } };
  };
  rig.ask = async (auth, site = 'kanreg1') => {
    const res = await rig.api
      .post(`/api/sites/${site}/threads`)
      .set(auth)
      .send({ title: `Kenaikan pangkat reguler ${++n}`, body: 'Kapan berkas kenaikan pangkat periode April harus masuk?', category: 'kenaikan-pangkat', clientId: `thread-${n}-xxxx` })
      .expect(201);
    return res.body;
  };
  rig.answer = async (auth, threadId, body = 'Berkas masuk paling lambat akhir Januari.') => {
    const res = await rig.api.post(`/api/threads/${threadId}/posts`).set(auth).send({ body, clientId: `post-${++n}-xxxx` }).expect(201);
    return res.body;
  };
  rig.request = async (auth, threadId) => (await rig.api.post(`/api/threads/${threadId}/follow-up`).set(auth).expect(201)).body.followUp;
  rig.followUp = async (auth, threadId) => (await rig.api.get(`/api/officer/threads/${threadId}`).set(auth).expect(200)).body.followUp;
  return rig;
}
