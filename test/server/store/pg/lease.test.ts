/** The follow-up clock runs on one instance at a time (server/store/pg/lease.ts). */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { silentLogger } from '../../../../server/log.js';
import { runLeased } from '../../../../server/store/pg/lease.js';
import { PgStore } from '../../../../server/store/pg/pg-store.js';
import { dropTestSchemas, TEST_DATABASE_URL, testSchema } from '../../../support/postgres.js';

after(dropTestSchemas);

async function stores(t: { after: (fn: () => unknown) => void }, count: number): Promise<PgStore[]> {
  const schema = await testSchema();
  t.after(schema.drop);
  const all: PgStore[] = [];
  for (let i = 0; i < count; i++) {
    const store = new PgStore({ url: TEST_DATABASE_URL, schema: schema.name });
    await store.open();
    t.after(() => store.close());
    all.push(store);
  }
  return all;
}

describe('a lease in PostgreSQL', () => {
  it('has one holder at a time; a stopped holder hands over at once, an expired one after its time', async (t) => {
    const [a, b] = await stores(t, 2);
    const leaseA = a!.lease('follow-up-clock', 60_000);
    const leaseB = b!.lease('follow-up-clock', 60_000);
    assert.equal(await leaseA.acquire(), true);
    assert.equal(await leaseB.acquire(), false, 'held by A');
    assert.equal(await leaseA.acquire(), true, 'A renews');
    await leaseA.release();
    assert.equal(await leaseB.acquire(), true, 'B takes it at once after A let it go');
    assert.equal(await leaseA.acquire(), false);

    const short = b!.lease('short', 1);
    assert.equal(await short.acquire(), true);
    await new Promise((resolve) => setTimeout(resolve, 20)); // the database's clock must pass the 1 ms lease
    assert.equal(await a!.lease('short', 60_000).acquire(), true, 'an expired lease goes to whoever asks');
  });

  it('runs the clock work on exactly one of several instances, never two passes at once, and moves when the holder stops', async (t) => {
    const instances = await stores(t, 3);
    const runs: { who: number; from: number; to: number }[] = [];
    let active = 0;
    let overlap = 0;
    const leaders = instances.map((store, who) =>
      runLeased(
        store.lease('follow-up-clock', 3_000),
        50,
        async () => {
          active++;
          if (active > 1) overlap++;
          const from = performance.now();
          await new Promise((resolve) => setTimeout(resolve, 5));
          active--;
          runs.push({ who, from, to: performance.now() });
        },
        silentLogger,
      ),
    );
    const until = async (done: () => boolean) => {
      const deadline = Date.now() + 15_000;
      while (!done()) {
        if (Date.now() > deadline) throw new Error(`not reached; runs: ${JSON.stringify(runs.map((r) => r.who))}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    };
    await until(() => runs.length >= 5);
    const first = runs[0]!.who;
    assert.deepEqual(new Set(runs.map((r) => r.who)), new Set([first]), 'only the holder runs the work');
    await leaders[first]!.stop();
    const handedAt = runs.length;
    await until(() => runs.length >= handedAt + 5);
    const next = new Set(runs.slice(handedAt).map((r) => r.who));
    assert.equal(next.size, 1, 'one new holder');
    assert.ok(!next.has(first));
    assert.equal(overlap, 0, 'never two passes at once');
    for (const [i, leader] of leaders.entries()) if (i !== first) await leader.stop();
  });
});
