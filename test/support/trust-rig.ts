import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { DomainError } from '../../server/domain/errors.js';
import type { Visitor } from '../../server/domain/model.js';
import { hashPassword } from '../../server/domain/passwords.js';
import { ConsultationService, type Actor } from '../../server/domain/service.js';
import { DEMO_SITE } from '../../server/domain/sites.js';
import { TokenSigner } from '../../server/domain/tokens.js';
import { OfficerService, officerId } from '../../server/domain/officer-service.js';
import { TrustService } from '../../server/domain/trust-service.js';
import { DEFAULT_TRUST_RULES, type TrustRules } from '../../server/domain/trust.js';
import type { MemberSummary } from '../../server/protocol.js';
import { JsonStore } from '../../server/store/json-store.js';
import { PgStore } from '../../server/store/pg/pg-store.js';
import type { Store } from '../../server/store/store.js';
import { TEST_DATABASE_URL, testSchema } from './postgres.js';

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
export const OFFICER_PASSWORD = 'rahasia-petugas-1';
const wide = { capacity: 1e9, perMinute: 1e9 };

/** Default rules with limits out of the way: these tests are about reputation, flags and badges, not limits. */
export const WIDE_RULES: TrustRules = {
  ...DEFAULT_TRUST_RULES,
  limits: {
    ...DEFAULT_TRUST_RULES.limits,
    post: { member: wide, newMember: wide, ip: wide },
    vote: { member: wide, newMember: wide, ip: wide, daily: 1e9, newMemberDaily: 1e9 },
    flag: { member: wide, ip: wide, daily: 1e9 },
    profile: { member: wide },
  },
};

// Hashing is slow on purpose; one hash serves every rig (it is a value, not shared state).
let officerHash: Promise<string> | undefined;

/**
 * A fresh store for one test, removed when it ends: the JSON store in a temporary directory, or with
 * `OSG_TEST_STORE=postgres` (set by the *-pg.test.ts files) the PostgreSQL store in a schema of its own, so that
 * the domain's tests run on both persistent stores.
 */
async function freshStore(t: TestContext): Promise<Store> {
  if (process.env.OSG_TEST_STORE === 'postgres') {
    const schema = await testSchema();
    const store = new PgStore({ url: TEST_DATABASE_URL, schema: schema.name });
    await store.open();
    t.after(async () => {
      await store.close();
      await schema.drop();
    });
    return store;
  }
  const dir = mkdtempSync(join(tmpdir(), 'osg-trust-'));
  const store = new JsonStore({ dir });
  await store.open();
  t.after(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return store;
}

/**
 * Services on a fresh store (freshStore), with their own clock and one officer, removed when the test ends:
 * every test that builds one passes when run alone.
 */
export async function trustRig(t: TestContext, options: { rules?: TrustRules; start?: string } = {}) {
  const clock = { now: Date.parse(options.start ?? '2026-11-02T02:00:00Z') }; // 09:00 WIB
  const store = await freshStore(t);
  const tokens = new TokenSigner('s'.repeat(32), 86_400);
  const now = () => clock.now;
  const service = new ConsultationService({ store, sites: [DEMO_SITE], tokens, now, trust: options.rules ?? WIDE_RULES, officerNames: ['Petugas Kanreg I'] });
  const trust = new TrustService({ store, consultation: service, now });
  officerHash ??= hashPassword(OFFICER_PASSWORD);
  const officers = new OfficerService({
    store,
    consultation: service,
    tokens,
    now,
    officers: [{ username: 'petugas1', name: 'Petugas Kanreg I', passwordHash: await officerHash }],
  });
  await officers.syncOfficers();
  const memberEvents: MemberSummary[] = [];
  service.members.onChange((m) => memberEvents.push(m));
  const officer = await service.authenticateId(officerId('petugas1'));
  let n = 0;

  const fresh = (v: Pick<Visitor, 'id'>) => service.authenticateId(v.id);
  const actor = async (v: Pick<Visitor, 'id'>): Promise<Actor> => ({ visitor: await fresh(v) });
  const newMember = async (name: string): Promise<Visitor> => service.authenticate((await service.registerVisitor({ name })).token);
  const question = async (by: Pick<Visitor, 'id'>) =>
    (await service.ask(await actor(by), 'kanreg1', { title: `Pertanyaan uji ${n}`, body: 'Isi pertanyaan untuk uji kepercayaan.', category: 'lainnya', clientId: `q-${n++}-xxxxxx` })).thread;
  const answer = async (by: Pick<Visitor, 'id'>, threadId: string, body = 'Jawaban yang membantu.') =>
    (await service.answer(await actor(by), threadId, { body, clientId: `a-${n++}-xxxxxx` })).post;
  return {
    clock,
    store,
    service,
    trust,
    officers,
    officer,
    memberEvents,
    fresh,
    actor,
    newMember,
    question,
    answer,
    /** A member who has posted once; their votes count once they are a day old (advance the clock). */
    async participant(name: string): Promise<Visitor> {
      const m = await newMember(name);
      await question(m);
      return m;
    },
    reputation: async (v: Pick<Visitor, 'id'>) => (await trust.profile(v.id)).reputation,
    advance: (ms: number) => void (clock.now += ms),
  };
}

export type TrustRig = Awaited<ReturnType<typeof trustRig>>;

export const refused = (p: Promise<unknown>, code: string) =>
  assert.rejects(p, (e: unknown) => e instanceof DomainError && e.code === code, code);
